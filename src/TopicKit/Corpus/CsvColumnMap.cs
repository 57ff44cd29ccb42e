namespace TopicKit.Corpus;

/// <summary>
/// Overrides of which CSV/TSV header column holds each field. Every property is a header name, matched
/// case-insensitively; <see langword="null"/> keeps the automatic recognition for that field
/// (<c>title</c>/<c>titles</c>; <c>abstract</c>/<c>summary</c>/<c>summaries</c>/<c>text</c>; <c>authors</c>/<c>author</c>;
/// <c>categories</c>/<c>terms</c>/<c>category</c>/<c>keywords</c>; <c>id</c>; <c>date</c>/<c>update_date</c>/<c>published</c>).
/// A named column that is absent from the header is an error.
/// </summary>
/// <param name="Title">Column holding the title.</param>
/// <param name="Abstract">Column holding the abstract (the only required field).</param>
/// <param name="Authors">Column holding the author list (<c>A, B and C</c>, <c>A; B</c> or a list literal).</param>
/// <param name="Categories">Column holding the categories (space/comma/semicolon separated or a list literal; primary first).</param>
/// <param name="Id">Column holding the record id.</param>
/// <param name="Date">Column holding the date.</param>
public sealed record CsvColumnMap(
    string? Title = null,
    string? Abstract = null,
    string? Authors = null,
    string? Categories = null,
    string? Id = null,
    string? Date = null);
