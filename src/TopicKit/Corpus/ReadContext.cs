namespace TopicKit.Corpus;

/// <summary>What a format reader needs besides the lines: the file, the options, and error construction.</summary>
internal sealed class ReadContext(string path, CorpusReadOptions options)
{
    public string Path { get; } = path;

    public CorpusReadOptions Options { get; } = options;

    /// <summary>Number of records produced so far; the next record's 1-based number is <c>Produced + 1</c>.</summary>
    public int Produced { get; set; }

    public CorpusFormatException Error(long? line, string problem, string remedy, bool withRecord = true) =>
        new(Path, line, withRecord ? Produced + 1 : null, problem, remedy);

    public CorpusFormatException Error(long? line, string problem, string remedy, Exception inner) =>
        new(Path, line, Produced + 1, problem, remedy, inner);
}
