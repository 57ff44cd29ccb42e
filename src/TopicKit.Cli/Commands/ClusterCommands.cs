using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TopicKit.Clustering;
using TopicKit.Embedding;
using TopicKit.Neighbors;
using TopicKit.Pipeline;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit cluster</c>: HDBSCAN or k-means over the workspace's cached embeddings or a given matrix
/// (the library's <see cref="ClusterJob"/>; README.md, "Clustering").</summary>
internal static class ClusterCommands
{
    public static Command Create()
    {
        var workspace = SharedOptions.Workspace();
        var algorithm = new Option<string>("--algorithm", "-a") { Description = "hdbscan or kmeans.", DefaultValueFactory = _ => "hdbscan" };
        algorithm.AcceptOnlyFromAmong("hdbscan", "kmeans");
        var k = SharedOptions.OptionalInt("--k", "k-means: number of clusters (default 8).", 1);
        var kRange = new Option<string?>("--k-range") { Description = "k-means: try every k in A..B and keep the best silhouette.", HelpName = "A..B" };
        var nInit = SharedOptions.OptionalInt("--n-init", "k-means restarts, best inertia kept (default 3).", 1);
        var minClusterSize = SharedOptions.OptionalInt("--min-cluster-size", "HDBSCAN smallest cluster (default 10).", 2);
        var minSamples = SharedOptions.OptionalInt("--min-samples", "HDBSCAN core-distance neighbours, the point included (default: min cluster size).", 1);
        var method = new Option<string?>("--method") { Description = "HDBSCAN cluster selection: eom (default) or leaf." };
        method.AcceptOnlyFromAmong("eom", "leaf");
        var metric = new Option<string?>("--metric")
        {
            Description = "Input distance: with UMAP its neighbour metric (default cosine; the reduced space is clustered with "
                + "Euclidean distance); otherwise the clusterer's metric (default euclidean; cosine = spherical k-means).",
        };
        metric.AcceptOnlyFromAmong("cosine", "euclidean");
        var reduce = new Option<string?>("--reduce")
        {
            Description = "Reduction before clustering: umap:N, pca:N or none (default umap:5 for hdbscan, none for kmeans). "
                + "Skipped when N is not below the input dimension.",
            HelpName = "umap:5|pca:50|none",
        };
        var neighbors = ReduceCommands.UmapNeighbors();
        var minDist = ReduceCommands.UmapMinDist();
        var seed = SharedOptions.Seed();
        var embeddings = new Option<string?>("--embeddings") { Description = "Cluster this matrix instead of the workspace's vectors (.npy or .csv).", HelpName = "FILE" };
        var model = SharedOptions.Model("Default: the model with the most vectors.");
        var text = EmbeddingModels.TextOption("Which embedded text of each document to use, as given to embed:");
        var output = SharedOptions.Out("Write index,label,probability,outlier_score[,doc_id] here.");
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var json = SharedOptions.Json();
        var wait = SharedOptions.Wait();

        var command = new Command("cluster", "Cluster embeddings: HDBSCAN after UMAP to 5-D (BERTopic's defaults) or k-means; records a run and writes labels.")
        {
            workspace, algorithm, k, kRange, nInit, minClusterSize, minSamples, method, metric, reduce, neighbors, minDist, seed,
            embeddings, model, text, output, modelsDir, json, wait,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            var isKMeans = parseResult.GetValue(algorithm) == "kmeans";
            var (kValue, range, nInitValue) = (parseResult.GetValue(k), parseResult.GetValue(kRange), parseResult.GetValue(nInit));
            var (mcs, ms, methodValue) = (parseResult.GetValue(minClusterSize), parseResult.GetValue(minSamples), parseResult.GetValue(method));
            var file = parseResult.GetValue(embeddings);
            var explicitWorkspace = parseResult.GetValue(workspace);
            if (isKMeans && (mcs is not null || ms is not null || methodValue is not null))
            {
                throw new UsageException("--min-cluster-size, --min-samples and --method apply to --algorithm hdbscan only.");
            }

            if (!isKMeans && (kValue is not null || range is not null || nInitValue is not null))
            {
                throw new UsageException("--k, --k-range and --n-init apply to --algorithm kmeans only.");
            }

            if (kValue is not null && range is not null)
            {
                throw new UsageException("give either --k or --k-range, not both.");
            }

            if (file is not null && parseResult.GetValue(model) is not null)
            {
                throw new UsageException("--model picks workspace embeddings; it cannot be combined with --embeddings.");
            }

            var defaults = new ClusteringPipelineOptions();
            var reduceText = parseResult.GetValue(reduce);
            var metricText = parseResult.GetValue(metric);
            var options = new ClusteringPipelineOptions
            {
                Algorithm = isKMeans ? ClusterAlgorithm.KMeans : ClusterAlgorithm.Hdbscan,
                Reduction = reduceText is null ? null : ParseReduction(reduceText, parseResult),
                Metric = metricText is null ? null : metricText == "cosine" ? DistanceMetric.Cosine : DistanceMetric.Euclidean,
                UmapNeighbors = parseResult.GetValue(neighbors),
                UmapMinDist = parseResult.GetValue(minDist),
                K = kValue ?? defaults.K,
                KRange = range is null ? null : ParseRange(range),
                NInit = nInitValue ?? defaults.NInit,
                MinClusterSize = mcs ?? defaults.MinClusterSize,
                MinSamples = ms,
                Method = methodValue == "leaf" ? HdbscanSelectionMethod.Leaf : HdbscanSelectionMethod.Eom,
                Seed = parseResult.GetValue(seed),
            };
            var request = new ClusterRequest(options)
            {
                // With --embeddings the workspace is used only when named explicitly; its documents must then match the rows.
                Workspace = file is null || explicitWorkspace is not null ? SharedOptions.ResolveWorkspace(parseResult, workspace) : null,
                Embeddings = file,
                Model = parseResult.GetValue(model),
                Text = EmbeddingText.Parse(parseResult.GetValue(text)!),
                Output = parseResult.GetValue(output),
                ModelsDirectory = parseResult.GetValue(modelsDir),
                LockTimeout = SharedOptions.WaitTime(parseResult, wait),
            };
            var clock = Stopwatch.StartNew();
            var result = ClusterJob.Run(request, new StderrProgress(parseResult.InvocationConfiguration.Error), cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            if (parseResult.GetValue(json))
            {
                CliJson.Write(parseResult.InvocationConfiguration.Output, ClusterReport.ToJson(result, seconds), c => c.ClusterJson);
            }
            else
            {
                ClusterReport.Render(CliSupport.Stdout(parseResult), result, seconds);
            }

            return ExitCodes.Ok;
        }, cancelled: "nothing was written to the workspace or to --out");
        return command;
    }

    /// <summary>Parses <c>--reduce</c>; a spelling it does not know is a usage error.</summary>
    private static ReductionSpec ParseReduction(string text, ParseResult parseResult)
    {
        try
        {
            return ReductionSpec.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(CliErrors.Describe(e, parseResult.CommandResult.Command));
        }
    }

    /// <summary>Parses <c>A..B</c> (also <c>A-B</c>) into an inclusive range.</summary>
    internal static (int Min, int Max) ParseRange(string text)
    {
        var parts = text.Split(["..", "-"], 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            return (min, max);
        }

        throw new UsageException($"--k-range '{text}' is not a range; write A..B with whole numbers, e.g. 5..20.");
    }

    /// <summary>Reports each stage synchronously on stderr, stamped with the seconds since the command started.</summary>
    private sealed class StderrProgress(TextWriter error) : IProgress<string>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public void Report(string value) =>
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"topickit cluster [{_watch.Elapsed.TotalSeconds,6:F1}s] {value}"));
    }
}
