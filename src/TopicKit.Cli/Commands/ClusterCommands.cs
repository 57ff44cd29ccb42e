using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Clustering;
using TopicKit.Embedding;
using TopicKit.Neighbors;
using TopicKit.Pipeline;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit cluster</c>: HDBSCAN or k-means over the workspace's cached embeddings or a given matrix.</summary>
internal static class ClusterCommands
{
    private const string Help = """
        Cluster embeddings with HDBSCAN (default; UMAP to 5-D, cosine, min_dist 0 first, as BERTopic) or k-means (no
        reduction by default). Input: the workspace's cached vectors of one model (default: the model with the most
        vectors; documents in stored order) or --embeddings FILE (.npy float32/float64 N x d, or numeric .csv; the
        workspace is then written only when --workspace is given, and the file must have one row per document).
        Output: a run record in the workspace (parameters JSON + label/probability/outlier score per document, written in
        one transaction at the end, so Ctrl+C leaves the workspace unchanged), the CSV of --out
        (index,label,probability,outlier_score[,doc_id]; label -1 = noise; k-means: probability 1, outlier score =
        distance to the centroid) and a summary table (or --json). Bad input (k or min cluster size larger than N,
        no rows, NaN/Inf, a damaged .npy, a missing file) gives a one-line error and exit code 1; one row with --k 1
        and all-identical points give well-defined results (k-means: all in cluster 0; HDBSCAN: all noise).
        """;

    public static Command Create()
    {
        var workspace = CliSupport.WorkspaceOption();
        var algorithm = new Option<string>("--algorithm", "-a") { Description = "hdbscan or kmeans.", DefaultValueFactory = _ => "hdbscan" };
        algorithm.AcceptOnlyFromAmong("hdbscan", "kmeans");
        var k = new Option<int?>("--k") { Description = "k-means: number of clusters (default 8).", HelpName = "N" };
        var kRange = new Option<string?>("--k-range") { Description = "k-means: try every k in A..B and keep the best silhouette.", HelpName = "A..B" };
        var nInit = new Option<int?>("--n-init") { Description = "k-means restarts, best inertia kept (default 1).", HelpName = "N" };
        var minClusterSize = new Option<int?>("--min-cluster-size") { Description = "HDBSCAN smallest cluster (default 10).", HelpName = "N" };
        var minSamples = new Option<int?>("--min-samples") { Description = "HDBSCAN core-distance neighbours, the point included (default: min cluster size).", HelpName = "N" };
        var method = new Option<string?>("--method") { Description = "HDBSCAN cluster selection: eom (default) or leaf." };
        method.AcceptOnlyFromAmong("eom", "leaf");
        var metric = new Option<string?>("--metric")
        {
            Description = "Input distance: with UMAP its neighbour metric (default cosine; the 5-D output is clustered with "
                + "Euclidean distance); otherwise the clusterer's metric (default euclidean; cosine = spherical k-means).",
        };
        metric.AcceptOnlyFromAmong("cosine", "euclidean");
        var reduce = new Option<string?>("--reduce")
        {
            Description = "Reduction before clustering: umap:N, pca:N or none (default umap:5 for hdbscan, none for kmeans). "
                + "Skipped when N is not below the input dimension.",
            HelpName = "umap:5|pca:50|none",
        };
        var neighbors = new Option<int>("--neighbors") { Description = "UMAP neighbourhood size.", DefaultValueFactory = _ => 15 };
        var minDist = new Option<double>("--min-dist") { Description = "UMAP minimum distance.", DefaultValueFactory = _ => 0.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of UMAP/PCA/k-means and the silhouette sample; results do not depend on the thread count.", DefaultValueFactory = _ => 0 };
        var embeddings = new Option<FileInfo?>("--embeddings") { Description = "Cluster this matrix instead of the workspace's vectors (.npy or .csv).", HelpName = "FILE" };
        var model = new Option<string?>("--model") { Description = "Workspace embeddings of this model id (or a unique prefix of it).", HelpName = "MODEL" };
        var text = new Option<string>("--text")
        {
            Description = "Which embedded text of each document to use, as given to topickit embed: title+abstract, abstract or title.",
            DefaultValueFactory = _ => EmbeddingText.Name(EmbeddingTextField.TitleAbstract),
        };
        text.AcceptOnlyFromAmong([.. EmbeddingText.Names]);
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write index,label,probability,outlier_score[,doc_id] here.", HelpName = "labels.csv" };
        var json = CliSupport.JsonOption();
        var wait = CliSupport.WaitOption();

        var command = new Command("cluster", Help);
        foreach (var option in new Option[]
                 {
                     workspace, algorithm, k, kRange, nInit, minClusterSize, minSamples, method, metric, reduce, neighbors, minDist, seed,
                     embeddings, model, text, output, json, wait,
                 })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var request = new ClusterRequest(
                    Options: BuildOptions(parseResult, algorithm, k, kRange, nInit, minClusterSize, minSamples, method, metric, reduce, neighbors, minDist, seed),
                    Workspace: parseResult.GetValue(workspace),
                    Embeddings: parseResult.GetValue(embeddings),
                    Model: parseResult.GetValue(model),
                    Text: EmbeddingText.Parse(parseResult.GetValue(text)!),
                    Output: parseResult.GetValue(output),
                    Json: parseResult.GetValue(json),
                    Wait: parseResult.GetValue(wait));

                // Off the invoking thread, so System.CommandLine sees a running task and, on Ctrl+C, waits for this
                // action to observe the token and roll back instead of ending the process underneath it.
                return await Task.Run(() => Run(parseResult, request, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                CliSupport.Error(parseResult, "cancelled; nothing was written to the workspace or to --out.");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex)
            {
                return CliSupport.Fail(parseResult, ex);
            }
        });
        return command;
    }

    private sealed record ClusterRequest(
        ClusteringPipelineOptions Options, string? Workspace, FileInfo? Embeddings, string? Model, EmbeddingTextField Text, FileInfo? Output, bool Json, double Wait);

    private static ClusteringPipelineOptions BuildOptions(
        ParseResult parseResult,
        Option<string> algorithm,
        Option<int?> k,
        Option<string?> kRange,
        Option<int?> nInit,
        Option<int?> minClusterSize,
        Option<int?> minSamples,
        Option<string?> method,
        Option<string?> metric,
        Option<string?> reduce,
        Option<int> neighbors,
        Option<double> minDist,
        Option<int> seed)
    {
        var isKMeans = parseResult.GetValue(algorithm) == "kmeans";
        var kValue = parseResult.GetValue(k);
        var range = parseResult.GetValue(kRange);
        var nInitValue = parseResult.GetValue(nInit);
        var mcs = parseResult.GetValue(minClusterSize);
        var ms = parseResult.GetValue(minSamples);
        var methodValue = parseResult.GetValue(method);
        if (isKMeans && (mcs is not null || ms is not null || methodValue is not null))
        {
            throw new ArgumentException("--min-cluster-size, --min-samples and --method apply to --algorithm hdbscan only.");
        }

        if (!isKMeans && (kValue is not null || range is not null || nInitValue is not null))
        {
            throw new ArgumentException("--k, --k-range and --n-init apply to --algorithm kmeans only.");
        }

        if (kValue is not null && range is not null)
        {
            throw new ArgumentException("give either --k or --k-range, not both.");
        }

        var defaults = new ClusteringPipelineOptions();
        var reduceText = parseResult.GetValue(reduce);
        var metricText = parseResult.GetValue(metric);
        return new ClusteringPipelineOptions
        {
            Algorithm = isKMeans ? ClusterAlgorithm.KMeans : ClusterAlgorithm.Hdbscan,
            Reduction = reduceText is null ? null : ReductionSpec.Parse(reduceText),
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

        throw new ArgumentException($"--k-range '{text}' is not a range; write A..B with whole numbers, e.g. 5..20.");
    }

    private static int Run(ParseResult parseResult, ClusterRequest request, CancellationToken cancellationToken)
    {
        if (request.Embeddings is not null && request.Model is not null)
        {
            throw new ArgumentException("--model picks workspace embeddings; it cannot be combined with --embeddings.");
        }

        var error = parseResult.InvocationConfiguration.Error;
        var progress = new StderrProgress(error);
        var lockTimeout = TimeSpan.FromSeconds(Math.Max(0, request.Wait));

        // With --embeddings the workspace is used only when named explicitly; its documents must then match the rows.
        var workspaceDirectory = request.Embeddings is null || request.Workspace is not null
            ? CliSupport.ChooseWorkspace(request.Workspace, Environment.GetEnvironmentVariable(CliSupport.WorkspaceVariable))
            : null;
        using var workspace = workspaceDirectory is null
            ? null
            : TopicKit.Storage.Workspace.Open(workspaceDirectory, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: lockTimeout));
        // The run is recorded at the end: refuse a read-only workspace before clustering, not after.
        workspace?.EnsureWritable();
        ClusterInput input;
        if (request.Embeddings is not null)
        {
            var matrix = ClusterInput.ReadMatrix(request.Embeddings.FullName);
            IReadOnlyList<string>? ids = null;
            if (workspace is not null)
            {
                var documents = workspace.Documents.List();
                if (documents.Count != matrix.Rows)
                {
                    throw new ArgumentException(
                        $"{request.Embeddings.FullName} has {matrix.Rows} rows but workspace {workspace.Directory} has {documents.Count} documents; "
                        + "with --workspace the rows must be the documents in stored order (drop --workspace to cluster the file alone).");
                }

                ids = documents.Select(d => d.Id).ToArray();
            }

            input = new ClusterInput(matrix, request.Embeddings.FullName, null, ids);
        }
        else
        {
            progress.Report("reading embeddings from workspace " + workspace!.Directory);
            input = ClusterInput.FromWorkspace(workspace, request.Model, request.Text);
        }

        var watch = Stopwatch.StartNew();
        var result = ClusteringPipeline.Run(input.Vectors, request.Options, progress, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();

        var parametersJson = ClusterReport.ParametersJson(request.Options, input, result);
        string? temporary = null;
        RunInfo? run = null;
        try
        {
            if (request.Output is not null)
            {
                // Written beside the target and moved into place last, so a failure or Ctrl+C never leaves half a file.
                temporary = request.Output.FullName + ".partial";
                ClusterReport.WriteCsv(temporary, result, input.DocumentIds);
            }

            if (workspace is not null && input.DocumentIds is not null)
            {
                var results = new RunResult[result.PointCount];
                var a = result.Assignment;
                for (var i = 0; i < results.Length; i++)
                {
                    results[i] = new RunResult(input.DocumentIds[i], a.Labels[i], a.Probabilities[i], a.OutlierScores[i]);
                }

                run = workspace.Runs.Record("cluster", parametersJson, results, cancellationToken);
            }

            if (temporary is not null)
            {
                File.Move(temporary, request.Output!.FullName, overwrite: true);
                temporary = null;
            }
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }

        if (request.Json)
        {
            ClusterReport.WriteJson(parseResult.InvocationConfiguration.Output, request.Options, input, result, run, request.Output, seconds);
        }
        else
        {
            ClusterReport.Render(CliSupport.Stdout(parseResult), input, result, run, request.Output, seconds);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Reports each stage synchronously on stderr, stamped with the seconds since the command started.</summary>
    private sealed class StderrProgress(TextWriter error) : IProgress<string>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public void Report(string value) =>
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"topickit cluster [{_watch.Elapsed.TotalSeconds,6:F1}s] {value}"));
    }
}
