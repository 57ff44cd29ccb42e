namespace TopicKit.Corpus;

/// <summary>One paper record as read from a source file, after normalisation.</summary>
/// <param name="Id">Stable identifier, unique within its file: the record's own id where the format has one (arXiv id,
/// BibTeX key, id column or field), otherwise 16 hex digits of a SHA-256 over the file name and the case- and
/// whitespace-folded title and abstract. A repeat within one file gets <c>~2</c>, <c>~3</c>, ... appended.</param>
/// <param name="Title">Title, or <see langword="null"/> when the format has none (e.g. <c>Abstract:</c> lists).</param>
/// <param name="Abstract">Abstract text (NFC, whitespace collapsed).</param>
/// <param name="Authors">Author names in listed order; empty when unknown.</param>
/// <param name="Date">Publication or update date when the source states one.</param>
/// <param name="Categories">Subject categories, primary first; empty when unknown.</param>
/// <param name="Source">File name (without directory) the record came from.</param>
/// <param name="Position">Zero-based record index within <paramref name="Source"/>.</param>
public sealed record Document(
    string Id,
    string? Title,
    string Abstract,
    IReadOnlyList<string> Authors,
    DateOnly? Date,
    IReadOnlyList<string> Categories,
    string Source,
    int Position)
{
    /// <summary>The record's own id when <see cref="Id"/> carries a <c>~N</c> suffix because the id was repeated in
    /// its file; <see langword="null"/> when <see cref="Id"/> is the record's own id. A workspace stores this id as the
    /// original and reports the rename, exactly as for an id taken by another file.</summary>
    public string? RepeatedId { get; init; }

    /// <summary>The id the record carried in its file: <see cref="RepeatedId"/>, else <see cref="Id"/>.</summary>
    public string OwnId => RepeatedId ?? Id;
}
