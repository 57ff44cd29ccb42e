namespace TopicKit.Corpus;

/// <summary>The input formats <see cref="CorpusReader"/> understands.</summary>
public enum CorpusFormat
{
    /// <summary>Detect the format from the file content, with the extension as a tie-breaker (<see cref="CorpusReader.Detect"/>).</summary>
    Auto = 0,

    /// <summary>A Hugging Face "Daily Papers" listing page saved as text: title, abstract, then an optional
    /// metadata block (<c>• N authors</c> or an organisation line, a <c>·</c> line, and a date/upvotes line).</summary>
    HfDailyPapers,

    /// <summary>An author's publication list saved as text: a metadata line (score, category code, date), a line with
    /// the title and author list glued together, then the abstract.</summary>
    PublicationList,

    /// <summary>One abstract per line, each starting with <c>Abstract:</c>; no titles.</summary>
    AbstractLines,

    /// <summary>JSON Lines or a JSON array of objects (including the arXiv metadata snapshot schema).</summary>
    Json,

    /// <summary>Comma-separated values with a header row (RFC 4180 quoting, multi-line fields).</summary>
    Csv,

    /// <summary>Tab-separated values with a header row (quoted fields allowed as in CSV).</summary>
    Tsv,

    /// <summary>BibTeX entries (<c>@article{key, ...}</c> and other entry types).</summary>
    Bibtex,

    /// <summary>Plain text: every blank-line-separated paragraph is one untitled document (the whole paragraph is the abstract).</summary>
    PlainText,
}
