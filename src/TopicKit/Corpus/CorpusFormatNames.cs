using System.Collections.Frozen;

namespace TopicKit.Corpus;

/// <summary>Command-line names of <see cref="CorpusFormat"/> values, with common aliases.</summary>
public static class CorpusFormatNames
{
    private static readonly FrozenDictionary<string, CorpusFormat> ByName = new Dictionary<string, CorpusFormat>
    {
        ["auto"] = CorpusFormat.Auto,
        ["hf"] = CorpusFormat.HfDailyPapers, ["hf-daily-papers"] = CorpusFormat.HfDailyPapers, ["hfdailypapers"] = CorpusFormat.HfDailyPapers,
        ["publication-list"] = CorpusFormat.PublicationList, ["publicationlist"] = CorpusFormat.PublicationList, ["publications"] = CorpusFormat.PublicationList,
        ["abstract-lines"] = CorpusFormat.AbstractLines, ["abstractlines"] = CorpusFormat.AbstractLines, ["abstracts"] = CorpusFormat.AbstractLines,
        ["json"] = CorpusFormat.Json, ["jsonl"] = CorpusFormat.Json, ["ndjson"] = CorpusFormat.Json,
        ["csv"] = CorpusFormat.Csv,
        ["tsv"] = CorpusFormat.Tsv, ["tab"] = CorpusFormat.Tsv,
        ["bibtex"] = CorpusFormat.Bibtex, ["bib"] = CorpusFormat.Bibtex,
        ["plain-text"] = CorpusFormat.PlainText, ["plaintext"] = CorpusFormat.PlainText, ["text"] = CorpusFormat.PlainText, ["txt"] = CorpusFormat.PlainText,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical names, in enum order: auto, hf-daily-papers, publication-list, abstract-lines, json, csv, tsv, bibtex, plain-text.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. Enum.GetValues<CorpusFormat>().Select(Name)];

    /// <summary>The canonical kebab-case name of a format (e.g. <c>hf-daily-papers</c>).</summary>
    public static string Name(CorpusFormat format) => format switch
    {
        CorpusFormat.Auto => "auto",
        CorpusFormat.HfDailyPapers => "hf-daily-papers",
        CorpusFormat.PublicationList => "publication-list",
        CorpusFormat.AbstractLines => "abstract-lines",
        CorpusFormat.Json => "json",
        CorpusFormat.Csv => "csv",
        CorpusFormat.Tsv => "tsv",
        CorpusFormat.Bibtex => "bibtex",
        CorpusFormat.PlainText => "plain-text",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown corpus format."),
    };

    /// <summary>Parses a canonical name, an alias (<c>hf</c>, <c>jsonl</c>, <c>bib</c>, <c>txt</c>, ...) or the enum name, case-insensitively.</summary>
    public static bool TryParse(string? text, out CorpusFormat format)
    {
        format = CorpusFormat.Auto;
        return !string.IsNullOrWhiteSpace(text) && ByName.TryGetValue(text.Trim(), out format);
    }
}
