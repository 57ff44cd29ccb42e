namespace TopicKit.Storage;

/// <summary>Summary statistics of the documents in a workspace.</summary>
/// <param name="Documents">Number of documents.</param>
/// <param name="WithTitle">Documents that have a non-empty title.</param>
/// <param name="WithDate">Documents that have a date.</param>
/// <param name="WithAuthors">Documents with at least one author.</param>
/// <param name="WithCategories">Documents with at least one category.</param>
/// <param name="AverageAbstractWords">Mean number of whitespace-separated words per abstract (0 when empty).</param>
/// <param name="MinAbstractWords">Fewest words in an abstract (0 when empty).</param>
/// <param name="MaxAbstractWords">Most words in an abstract (0 when empty).</param>
/// <param name="AverageAuthors">Mean number of authors per document (0 when empty).</param>
/// <param name="DistinctAuthors">Number of distinct author name strings.</param>
/// <param name="DuplicateGroups">Number of exact-duplicate groups.</param>
/// <param name="DocumentsInDuplicateGroups">Documents that belong to an exact-duplicate group.</param>
/// <param name="BySource">Documents per source file, most first (ties by name).</param>
/// <param name="ByYear">Documents per year of their date, ascending; undated documents are not listed.</param>
/// <param name="ByPrimaryCategory">Documents per first category, most first (ties by name); uncategorised ones are not listed.</param>
public sealed record CorpusStats(
    int Documents,
    int WithTitle,
    int WithDate,
    int WithAuthors,
    int WithCategories,
    double AverageAbstractWords,
    int MinAbstractWords,
    int MaxAbstractWords,
    double AverageAuthors,
    int DistinctAuthors,
    int DuplicateGroups,
    int DocumentsInDuplicateGroups,
    IReadOnlyList<CountEntry> BySource,
    IReadOnlyList<CountEntry> ByYear,
    IReadOnlyList<CountEntry> ByPrimaryCategory);

/// <summary>A key and how many documents have it.</summary>
/// <param name="Key">The source name, year or category.</param>
/// <param name="Count">Number of documents.</param>
public sealed record CountEntry(string Key, int Count);
