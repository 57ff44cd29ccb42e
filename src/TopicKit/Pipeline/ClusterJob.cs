using System.Diagnostics;
using System.Globalization;
using System.Text;
using TopicKit.Embedding;
using TopicKit.Storage;

namespace TopicKit.Pipeline;

/// <summary>What to cluster and where the result goes.</summary>
/// <param name="Options">The reduction and clustering settings.</param>
public sealed record ClusterRequest(ClusteringPipelineOptions Options)
{
    /// <summary>The workspace folder: the source of the vectors (unless <see cref="Embeddings"/> is set) and where the
    /// run is recorded. Null: no workspace (only with <see cref="Embeddings"/>).</summary>
    public string? Workspace { get; init; }

    /// <summary>A matrix file to cluster instead of the workspace's vectors; with a workspace it must have one row per
    /// document, in stored order.</summary>
    public string? Embeddings { get; init; }

    /// <summary>Which stored vectors (see <see cref="ModelSelection.ResolveStored"/>); null: the model with the most vectors.</summary>
    public string? Model { get; init; }

    /// <summary>Which embedded text of each document (default <c>title+abstract</c>).</summary>
    public EmbeddingTextField Text { get; init; } = EmbeddingTextField.TitleAbstract;

    /// <summary>The labels CSV to write (<c>index,label,probability,outlier_score[,doc_id]</c>), replaced atomically; null: none.</summary>
    public string? Output { get; init; }

    /// <summary>The installed-models folder, for a model named by registry name or folder; null for the default.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What a clustering run did.</summary>
/// <param name="Input">The rows clustered.</param>
/// <param name="Result">Labels, probabilities, outlier scores and figures.</param>
/// <param name="Summary">Parameters and headline figures (the run record's parameters).</param>
/// <param name="Run">The recorded run, when the rows are workspace documents.</param>
/// <param name="Output">The CSV written (absolute), if any.</param>
/// <param name="Elapsed">Wall time of reduction and clustering.</param>
public sealed record ClusterJobResult(
    ClusterInput Input, ClusteringPipelineResult Result, ClusterSummary Summary, RunInfo? Run, string? Output, TimeSpan Elapsed);

/// <summary>
/// The cluster stage: opens the workspace, reads and checks the rows, reduces and clusters them, then writes the CSV
/// and records the run (kind <c>cluster</c>) at the very end, so cancellation or an error leaves both unchanged.
/// </summary>
public static class ClusterJob
{
    /// <summary>Runs the clustering.</summary>
    /// <param name="request">What to cluster.</param>
    /// <param name="progress">Receives one line per stage.</param>
    /// <param name="cancellationToken">Stops the work; nothing is written.</param>
    /// <exception cref="ArgumentException">Options that do not fit the data (the parameter names the option property),
    /// or a matrix whose rows are not the workspace's documents.</exception>
    /// <exception cref="InvalidDataException">No embeddings, documents without a vector, or a damaged or non-finite matrix.</exception>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    public static ClusterJobResult Run(ClusterRequest request, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Workspace is null && request.Embeddings is null)
        {
            throw new ArgumentException("give a workspace or a matrix file to cluster", nameof(request));
        }

        using var workspace = request.Workspace is null
            ? null
            : Workspace.Open(request.Workspace, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: request.LockTimeout));
        // The run is recorded at the end: refuse a read-only workspace before clustering, not after.
        workspace?.EnsureWritable();
        ClusterInput input;
        if (request.Embeddings is not null)
        {
            input = ClusterInput.FromFile(request.Embeddings, workspace);
        }
        else
        {
            progress?.Report("reading embeddings from workspace " + workspace!.Directory);
            var store = ModelStore.Create(string.IsNullOrWhiteSpace(request.ModelsDirectory) ? null : request.ModelsDirectory);
            input = ClusterInput.FromWorkspace(workspace!, request.Model, request.Text, store);
        }

        var clock = Stopwatch.StartNew();
        var result = ClusteringPipeline.Run(input.Vectors, request.Options, progress, cancellationToken);
        var elapsed = clock.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();

        var summary = ClusterSummary.Create(request.Options, input, result);
        var output = request.Output is null ? null : Path.GetFullPath(request.Output);
        RunInfo? run = null;
        // The CSV is complete in its temporary file before the run is recorded, and renamed into place only after the run
        // transaction commits: a failure in either leaves neither.
        if (output is null)
        {
            run = Record(workspace, input, result, summary, cancellationToken);
        }
        else
        {
            AtomicFile.Write(output, path =>
            {
                WriteCsv(path, result, input.DocumentIds);
                run = Record(workspace, input, result, summary, cancellationToken);
            });
        }

        return new ClusterJobResult(input, result, summary, run, output, elapsed);
    }

    /// <summary>Writes <c>index,label,probability,outlier_score</c> (plus <c>doc_id</c> when rows are documents), one row per point.</summary>
    public static void WriteCsv(string path, ClusteringPipelineResult result, IReadOnlyList<string>? documentIds)
    {
        ArgumentNullException.ThrowIfNull(result);
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

    private static RunInfo? Record(Workspace? workspace, ClusterInput input, ClusteringPipelineResult result, ClusterSummary summary, CancellationToken cancellationToken)
    {
        if (workspace is null || input.DocumentIds is null)
        {
            return null;
        }

        var results = new RunResult[result.PointCount];
        var a = result.Assignment;
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new RunResult(input.DocumentIds[i], a.Labels[i], a.Probabilities[i], a.OutlierScores[i]);
        }

        return workspace.Runs.Record("cluster", summary.ToJson(), results, cancellationToken);
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
