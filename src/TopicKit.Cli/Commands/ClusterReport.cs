using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TopicKit.Pipeline;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary>Outputs of <c>topickit cluster</c>: the labels CSV, the run parameters, the JSON summary and the tables.
/// The CSV columns and JSON field names are a contract for scripts (README.md, "Clustering").</summary>
internal static class ClusterReport
{
    /// <summary>Largest number of clusters listed one per row in the human table; the rest are summed in one row.</summary>
    private const int ListedClusters = 40;

    /// <summary>Writes <c>index,label,probability,outlier_score</c> (plus <c>doc_id</c> when rows are documents), one row per point.</summary>
    public static void WriteCsv(string path, ClusteringPipelineResult result, IReadOnlyList<string>? documentIds)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.NewLine = "\n";
        writer.WriteLine(documentIds is null ? "index,label,probability,outlier_score" : "index,label,probability,outlier_score,doc_id");
        var a = result.Assignment;
        for (var i = 0; i < a.Labels.Length; i++)
        {
            // "R" keeps the float exact, so scripts recompute inertia or compare with oracles without rounding loss.
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{i},{a.Labels[i]},{a.Probabilities[i]:R},{a.OutlierScores[i]:R}"));
            if (documentIds is not null)
            {
                writer.Write(',');
                writer.Write(CsvField(documentIds[i]));
            }

            writer.WriteLine();
        }
    }

    /// <summary>The run record's parameters: what was asked, what ran, and the headline figures.</summary>
    public static string ParametersJson(ClusteringPipelineOptions options, ClusterInput input, ClusteringPipelineResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            WriteSettings(writer, options, input, result);
            WriteFigures(writer, result);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Prints the JSON summary on stdout.</summary>
    public static void WriteJson(
        TextWriter output, ClusteringPipelineOptions options, ClusterInput input, ClusteringPipelineResult result, RunInfo? run, FileInfo? csv, double seconds)
    {
        WorkspaceJson.Write(output, (writer, _) =>
        {
            writer.WriteStartObject();
            WriteSettings(writer, options, input, result);
            WriteFigures(writer, result);
            writer.WritePropertyName("sizes");
            writer.WriteStartArray();
            foreach (var size in result.ClusterSizes)
            {
                writer.WriteNumberValue(size);
            }

            writer.WriteEndArray();
            if (result.Candidates is { } candidates)
            {
                writer.WritePropertyName("candidates");
                writer.WriteStartArray();
                foreach (var c in candidates)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("k", c.K);
                    writer.WriteNumber("inertia", c.Inertia);
                    WriteNullable(writer, "silhouette", double.IsFinite(c.Silhouette) ? c.Silhouette : null);
                    writer.WriteNumber("iterations", c.Iterations);
                    writer.WriteBoolean("chosen", c.K == result.KMeans!.K);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (run is null)
            {
                writer.WriteNull("run_id");
            }
            else
            {
                writer.WriteNumber("run_id", run.Id);
            }

            writer.WriteString("out", csv?.FullName);
            writer.WriteNumber("reduce_seconds", Math.Round(result.ReduceTime.TotalSeconds, 3));
            writer.WriteNumber("cluster_seconds", Math.Round(result.ClusterTime.TotalSeconds, 3));
            writer.WriteNumber("seconds", Math.Round(seconds, 3));
            writer.WriteEndObject();
        });
    }

    /// <summary>Prints the cluster table, the summary and (for a k range) the auto-k table.</summary>
    public static void Render(IAnsiConsole console, ClusterInput input, ClusteringPipelineResult result, RunInfo? run, FileInfo? csv, double seconds)
    {
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

        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string value) => grid.AddRow(new Markup($"[bold]{name}[/]"), new Spectre.Console.Text(value));
        Row("Input", Invariant($"{input.Source} ({n} x {input.Vectors.Columns})"));
        Row("Reduced", result.Reduction.Kind == ReductionKind.None ? "no" : Invariant($"{result.Reduction} in {result.ReduceTime.TotalSeconds:F2} s"));
        Row("Clusters", Invariant($"{result.Assignment.ClusterCount}"));
        Row("Noise", Invariant($"{result.NoiseCount} ({Share(result.NoiseCount, n)})"));
        Row("Silhouette", result.Silhouette is { } s
            ? Invariant($"{s:F4} ({result.ClusterMetric.ToString().ToLowerInvariant()}, {result.SilhouettePoints} of {n - result.NoiseCount} clustered points)")
            : "n/a (fewer than 2 clusters)");
        if (result.KMeans is { } km)
        {
            Row("Inertia", Invariant($"{km.Inertia:G8} after {km.Iterations} iterations"));
        }

        Row("Time", Invariant($"{seconds:F2} s (clustering {result.ClusterTime.TotalSeconds:F2} s)"));
        if (run is not null)
        {
            Row("Run", Invariant($"{run.Id} in the workspace"));
        }

        if (csv is not null)
        {
            Row("Labels", csv.FullName);
        }

        console.Write(grid);
    }

    private static void WriteSettings(Utf8JsonWriter writer, ClusteringPipelineOptions options, ClusterInput input, ClusteringPipelineResult result)
    {
        var kmeans = options.Algorithm == ClusterAlgorithm.KMeans;
        writer.WriteString("algorithm", kmeans ? "kmeans" : "hdbscan");
        writer.WriteString("input", input.Source);
        writer.WriteString("model", input.ModelId);
        writer.WriteString("text", input.Text);
        writer.WriteNumber("rows", input.Vectors.Rows);
        writer.WriteNumber("columns", input.Vectors.Columns);
        writer.WriteString("reduce_requested", options.EffectiveReduction.ToString());
        writer.WriteString("reduce", result.Reduction.ToString());
        writer.WriteNumber("reduced_columns", result.ClusteredColumns);
        if (result.Reduction.Kind == ReductionKind.Umap)
        {
            writer.WriteString("umap_metric", (options.Metric ?? Neighbors.DistanceMetric.Cosine).ToString().ToLowerInvariant());
            writer.WriteNumber("umap_neighbors", options.UmapNeighbors);
            writer.WriteNumber("umap_min_dist", options.UmapMinDist);
        }

        writer.WriteString("metric", result.ClusterMetric.ToString().ToLowerInvariant());
        writer.WriteNumber("seed", options.Seed);
        if (kmeans)
        {
            if (options.KRange is { } range)
            {
                writer.WriteString("k_range", Invariant($"{range.Min}..{range.Max}"));
            }

            writer.WriteNumber("k", result.KMeans!.K);
            writer.WriteNumber("n_init", options.NInit);
        }
        else
        {
            writer.WriteNumber("min_cluster_size", options.MinClusterSize);
            writer.WriteNumber("min_samples", options.MinSamples ?? options.MinClusterSize);
            writer.WriteString("method", options.Method.ToString().ToLowerInvariant());
        }
    }

    private static void WriteFigures(Utf8JsonWriter writer, ClusteringPipelineResult result)
    {
        writer.WriteNumber("clusters", result.Assignment.ClusterCount);
        writer.WriteNumber("noise", result.NoiseCount);
        writer.WriteNumber("noise_share", result.NoiseShare);
        WriteNullable(writer, "silhouette", result.Silhouette);
        writer.WriteNumber("silhouette_points", result.SilhouettePoints);
        if (result.KMeans is { } km)
        {
            writer.WriteNumber("inertia", km.Inertia);
            writer.WriteNumber("iterations", km.Iterations);
            writer.WriteBoolean("converged", km.Converged);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Share(int count, int total) => total == 0 ? "0%" : Invariant($"{100.0 * count / total:F1}%");

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
