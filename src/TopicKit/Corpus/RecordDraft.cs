namespace TopicKit.Corpus;

/// <summary>A record as a reader found it, before normalisation and id assignment.</summary>
internal sealed class RecordDraft
{
    /// <summary>The record's own id (arXiv id, BibTeX key, id column), if the format has one.</summary>
    public string? Id { get; init; }

    public string? Title { get; init; }

    public string? Abstract { get; init; }

    public IReadOnlyList<string> Authors { get; init; } = [];

    public DateOnly? Date { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>1-based line where the record starts (for error messages).</summary>
    public long Line { get; init; }

    /// <summary>Whether LaTeX must be converted whatever the options say (BibTeX).</summary>
    public bool AlwaysLatex { get; init; }
}
