using System.Globalization;
using System.Text.Json.Serialization;
using Spectre.Console;
using TopicKit.Clustering;
using TopicKit.Pipeline;

namespace TopicKit.Cli.Commands;

/// <summary>Outputs of <c>topickit cluster</c>: the JSON summary and the tables. The JSON field names are a contract for
/// scripts (README.md, "Clustering").</summary>
internal static class ClusterReport
{
    /// <summary>Largest number of clusters listed one per row in the human table; the rest are summed in one row.</summary>
    private const int ListedClusters = 40;

    public static ClusterJson ToJson(ClusterJobResult job, double seconds)
    {
        var s = job.Summary;
        var result = job.Result;
        return new ClusterJson(
            s.Algorithm, s.Input, s.Model, s.Text, s.Rows, s.Columns, s.ReduceRequested, s.Reduce, s.ReducedColumns,
            s.UmapMetric, s.UmapNeighbors, s.UmapMinDist, s.Metric, s.Seed, s.KRange, s.K, s.NInit, s.MinClusterSize, s.MinSamples, s.Method,
            s.Clusters, s.Noise, s.NoiseShare, s.Silhouette, s.SilhouettePoints, s.Inertia, s.Iterations, s.Converged,
            result.ClusterSizes,
            result.Candidates?.Select(c => new KCandidateJson(c.K, c.Inertia, double.IsFinite(c.Silhouette) ? c.Silhouette : null, c.Iterations, c.K == result.KMeans!.K)).ToList(),
            job.Run?.Id, job.Output, CliJson.Seconds(result.ReduceTime.TotalSeconds), CliJson.Seconds(result.ClusterTime.TotalSeconds), CliJson.Seconds(seconds));
    }

    /// <summary>Prints the cluster table, the summary and (for a k range) the auto-k table.</summary>
    public static void Render(IAnsiConsole console, ClusterJobResult job, double seconds)
    {
        var (input, result) = (job.Input, job.Result);
        var n = result.PointCount;
        if (result.Candidates is { } candidates)
        {
            var auto = new Table().Title("Choosing k by silhouette").AddColumn("k").AddColumn(new TableColumn("inertia").RightAligned())
                .AddColumn(new TableColumn("silhouette").RightAligned()).AddColumn("chosen");
            foreach (var c in candidates)
            {
                var chosen = c.K == result.KMeans!.K;
                auto.AddRow(
                    Invariant($"{c.K}"),
                    Invariant($"{c.Inertia:G6}"),
                    double.IsFinite(c.Silhouette) ? Invariant($"{c.Silhouette:F4}") : "n/a",
                    chosen ? "[green]<= chosen[/]" : string.Empty);
            }

            console.Write(auto);
        }

        var table = new Table().Title("Clusters").AddColumn("cluster").AddColumn(new TableColumn("size").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned());
        var order = Enumerable.Range(0, result.ClusterSizes.Count).OrderByDescending(c => result.ClusterSizes[c]).ThenBy(c => c).ToList();
        foreach (var c in order.Take(ListedClusters))
        {
            table.AddRow(Invariant($"{c}"), Invariant($"{result.ClusterSizes[c]}"), Share(result.ClusterSizes[c], n));
        }

        if (order.Count > ListedClusters)
        {
            var rest = order.Skip(ListedClusters).Sum(c => result.ClusterSizes[c]);
            table.AddRow(Invariant($"({order.Count - ListedClusters} more)"), Invariant($"{rest}"), Share(rest, n));
        }

        if (result.NoiseCount > 0)
        {
            table.AddRow("noise (-1)", Invariant($"{result.NoiseCount}"), Share(result.NoiseCount, n));
        }

        console.Write(table);

        // Empty clusters (k-means on fewer distinct points than k) are counted apart, so the count and the silhouette's
        // reason for n/a never disagree.
        var occupied = result.ClusterSizes.Count(size => size > 0);
        // k-means reports only its non-empty clusters; the requested k is the number of centroids it kept.
        var requested = Math.Max(result.KMeans?.K ?? 0, result.ClusterSizes.Count);
        var empty = requested - occupied;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string value) => grid.AddRow(new Markup($"[bold]{name}[/]"), new Spectre.Console.Text(value));
        Row("Input", Invariant($"{input.Source} ({n} x {input.Vectors.Columns})"));
        Row("Reduced", result.Reduction.Kind == ReductionKind.None ? "no" : Invariant($"{result.Reduction} in {result.ReduceTime.TotalSeconds:F2} s"));
        Row("Clusters", empty == 0 ? Invariant($"{occupied}") : Invariant($"{occupied} non-empty ({empty} of the {requested} requested are empty)"));
        Row("Noise", Invariant($"{result.NoiseCount} ({Share(result.NoiseCount, n)})"));
        Row("Silhouette", result.Silhouette is { } s
            ? Invariant($"{s:F4} ({result.ClusterMetric.ToString().ToLowerInvariant()}, {result.SilhouettePoints} of {n - result.NoiseCount} clustered points)")
            : occupied < 2 ? "n/a (fewer than 2 non-empty clusters)" : "n/a (undefined here: too few clustered points for the clusters)");
        if (result.KMeans is { } km)
        {
            Row("Inertia", Invariant($"{km.Inertia:G8} after {km.Iterations} iterations"));
        }

        Row("Time", Invariant($"{seconds:F2} s (clustering {result.ClusterTime.TotalSeconds:F2} s)"));
        if (job.Run is { } run)
        {
            Row("Run", Invariant($"{run.Id} in the workspace"));
        }

        if (job.Output is { } csv)
        {
            Row("Labels", csv);
        }

        console.Write(grid);
    }

    private static string Share(int count, int total) => total == 0 ? "0%" : Invariant($"{100.0 * count / total:F1}%");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary><c>cluster --json</c>: the run's <see cref="ClusterSummary"/> fields, then sizes, candidates, run and timings.</summary>
internal sealed record ClusterJson(
    string Algorithm, string Input, string? Model, string? Text, int Rows, int Columns, string ReduceRequested, string Reduce, int ReducedColumns,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UmapMetric,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? UmapNeighbors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? UmapMinDist,
    string Metric, int Seed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? KRange,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? K,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? NInit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MinClusterSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MinSamples,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Method,
    int Clusters, int Noise, double NoiseShare, double? Silhouette, int SilhouettePoints,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Inertia,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Iterations,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Converged,
    IReadOnlyList<int> Sizes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<KCandidateJson>? Candidates,
    long? RunId, string? Out, double ReduceSeconds, double ClusterSeconds, double Seconds);

/// <summary>One k of a <c>--k-range</c>.</summary>
internal sealed record KCandidateJson(int K, double Inertia, double? Silhouette, int Iterations, bool Chosen);
