namespace TopicKit.Corpus;

/// <summary>Options for <see cref="CorpusReader.ReadAsync(string, CorpusReadOptions, System.Threading.CancellationToken)"/>.</summary>
public sealed record CorpusReadOptions
{
    /// <summary>Default cap on the characters of one line or one record: 8 Mi characters.</summary>
    public const int DefaultMaxRecordChars = 8 * 1024 * 1024;

    /// <summary>Input format; <see cref="CorpusFormat.Auto"/> (default) detects it from the content.</summary>
    public CorpusFormat Format { get; init; } = CorpusFormat.Auto;

    /// <summary>CSV/TSV column overrides; <see langword="null"/> (default) recognises columns by name.</summary>
    public CsvColumnMap? Columns { get; init; }

    /// <summary>
    /// Longest line or record accepted, in characters (default <see cref="DefaultMaxRecordChars"/>). Longer input is
    /// rejected with a <see cref="CorpusFormatException"/> instead of being buffered, so a huge single line cannot
    /// exhaust memory.
    /// </summary>
    public int MaxRecordChars { get; init; } = DefaultMaxRecordChars;

    /// <summary>
    /// Convert LaTeX markup in titles and abstracts to readable text (default <see langword="true"/>); see
    /// <see cref="TextNormalizer.Normalize(string?, bool)"/>. BibTeX input is always converted.
    /// </summary>
    public bool ConvertLatex { get; init; } = true;

    /// <summary>
    /// Year assumed for dates printed without one (web listings omit the current year, e.g. <c>Oct 17</c>).
    /// <see langword="null"/> (default) leaves such dates unset, because the year cannot be known from the file.
    /// </summary>
    public int? YearForDatesWithoutYear { get; init; }
}
