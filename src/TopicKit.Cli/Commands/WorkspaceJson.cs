using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>docs list|show --json</c>: one document (README.md, "JSON contract").</summary>
internal sealed record DocumentJson(
    string Id, string? Title, string Abstract, IReadOnlyList<string> Authors, string? Date, IReadOnlyList<string> Categories,
    string Source, int Position)
{
    public static DocumentJson From(Document document) => new(
        document.Id,
        document.Title,
        document.Abstract,
        document.Authors ?? [],
        document.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        document.Categories ?? [],
        document.Source,
        document.Position);
}

/// <summary><c>docs stats --json</c>: corpus counts and the per-source, per-year and per-category maps.</summary>
internal sealed record StatsJson(
    int Documents, int WithTitle, int WithoutTitle, int WithDate, int WithAuthors, int WithCategories,
    double AverageAbstractWords, int MinAbstractWords, int MaxAbstractWords, double AverageAuthors, int DistinctAuthors,
    int DuplicateGroups, int DocumentsInDuplicateGroups,
    IReadOnlyDictionary<string, int> BySource, IReadOnlyDictionary<string, int> ByYear, IReadOnlyDictionary<string, int> ByPrimaryCategory)
{
    public static StatsJson From(CorpusStats stats) => new(
        stats.Documents, stats.WithTitle, stats.Documents - stats.WithTitle, stats.WithDate, stats.WithAuthors, stats.WithCategories,
        Math.Round(stats.AverageAbstractWords, 2), stats.MinAbstractWords, stats.MaxAbstractWords, Math.Round(stats.AverageAuthors, 2),
        stats.DistinctAuthors, stats.DuplicateGroups, stats.DocumentsInDuplicateGroups,
        Counts(stats.BySource), Counts(stats.ByYear), Counts(stats.ByPrimaryCategory));

    // Insertion order is kept (the store's order: largest first), and keys are data, so no naming policy touches them.
    private static Dictionary<string, int> Counts(IReadOnlyList<CountEntry> entries)
    {
        var map = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            map[entry.Key] = entry.Count;
        }

        return map;
    }
}

/// <summary><c>run --json</c>: the ingest report and the corpus statistics.</summary>
internal sealed record RunJson(
    string Workspace, IngestJson? Ingest, string? Out, string? ModelDir, string? ModelId, int? Documents, int? Topics, int? OutliersBefore, int? OutliersAfter,
    int? DuplicateGroups, double? Diversity, double? Coherence, IReadOnlyDictionary<string, double> Seconds, IReadOnlyList<string> Files, long? Run)
{
    /// <summary>A run that stopped after ingestion (a file failed): the ingest object, everything else null.</summary>
    public static RunJson IngestOnly(string workspace, IngestJson ingest) =>
        new(workspace, ingest, null, null, null, null, null, null, null, null, null, null, new Dictionary<string, double>(), [], null);
}
