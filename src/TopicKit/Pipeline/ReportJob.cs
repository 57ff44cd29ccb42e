using System.Globalization;
using TopicKit.Duplicates;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Reporting;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>What <see cref="ReportJob"/> does: the report of a stored run.</summary>
/// <param name="Workspace">The workspace folder (must exist).</param>
/// <param name="OutDirectory">Where the report files go (created when missing; report files in it are replaced).</param>
public sealed record ReportRequest(string Workspace, string OutDirectory)
{
    /// <summary>The run to report; <see langword="null"/>: the latest run that has topics (<see cref="TopicRuns.Latest"/>).</summary>
    public long? Run { get; init; }

    /// <summary>The report title.</summary>
    public string Title { get; init; } = "TopicKit topic map";

    /// <summary>Seed of the 2-D layout when the run has no stored map and records no seed of its own.</summary>
    public int Seed { get; init; }

    /// <summary>Drawing options; <see langword="null"/> for the defaults.</summary>
    public ReportOptions? Options { get; init; }

    /// <summary>The installed-models folder (to resolve the run's model); null for the default.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>How long to wait for another writer of the workspace (the computed map is stored).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What <see cref="ReportJob.Run"/> wrote.</summary>
/// <param name="Run">The run reported.</param>
/// <param name="Report">The files written.</param>
/// <param name="Documents">Documents in the report.</param>
/// <param name="Topics">Topics in the report (not counting the outlier class).</param>
/// <param name="MapComputed">Whether the 2-D map was laid out now (and stored) rather than read from the run.</param>
/// <param name="TopicsComputed">Whether the topics were fitted now (a cluster run has labels but no stored topics).</param>
public sealed record ReportJobResult(RunInfo Run, ReportResult Report, int Documents, int Topics, bool MapComputed, bool TopicsComputed);

/// <summary>
/// <c>topickit report</c>: the report of a stored run, built exactly as <see cref="RunJob"/> builds its own (through
/// <see cref="TopicReport"/>):
/// the run's per-document topics, its stored representation (fitted with c-TF-IDF defaults for a cluster run), its
/// stored map (else laid out with <see cref="RunDefaults.MapReducer"/> over the run model's stored embeddings, and
/// stored), and near-duplicates recomputed with <see cref="RunDefaults.Duplicates"/>.
/// </summary>
public static class ReportJob
{
    /// <summary>Writes the report.</summary>
    /// <param name="request">Which run and where.</param>
    /// <param name="progress">Receives a message as each step starts.</param>
    /// <param name="cancellationToken">Stops the work; the output folder keeps its previous files (<see cref="ReportWriter"/> renames at the end).</param>
    /// <exception cref="KeyNotFoundException">No such run.</exception>
    /// <exception cref="InvalidDataException">No run with topics, a run without results, or no embeddings to lay out and search.</exception>
    /// <exception cref="WorkspaceException">The workspace is missing or unusable.</exception>
    public static ReportJobResult Run(ReportRequest request, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.OutDirectory);
        using var workspace = Storage.Workspace.Open(request.Workspace, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: request.LockTimeout));
        var info = request.Run is { } id
            ? workspace.Runs.Get(id) ?? throw new KeyNotFoundException(Invariant($"no run {id} in workspace {workspace.Directory}; `topickit run`, `topickit cluster` and `topickit topics` record runs."))
            : TopicRuns.Latest(workspace)
              ?? throw new InvalidDataException($"workspace {workspace.Directory} has no run with topics; run `topickit run` (or `topickit cluster` and `topickit topics`) first.");
        var results = workspace.Runs.GetResults(info.Id);
        if (results.Count == 0)
        {
            throw new InvalidDataException(Invariant($"run {info.Id} ({info.Kind}) has neither topics nor clustering results; report a `topickit run`, `topics` or `cluster` run."));
        }

        var (model, text, seed) = TopicRuns.VectorsOf(info);
        var byId = workspace.Documents.List().ToDictionary(d => d.Id, StringComparer.Ordinal);
        var documents = results.Select(r => byId[r.DocumentId]).ToArray();
        var texts = documents.Select(d => EmbeddingText.For(d, text)).ToArray();
        var labels = results.Select(r => r.Label).ToArray();

        progress?.Report(new PipelineProgress("embeddings", "reading the run's stored embeddings"));
        var embeddings = Embeddings(workspace, info, model, text, results, request.ModelsDirectory);

        var representation = TopicRuns.LoadRepresentation(workspace, info.Id);
        var topicsComputed = representation is null;
        if (representation is null)
        {
            progress?.Report(new PipelineProgress("represent", "describing the run's clusters (c-TF-IDF defaults)"));
            representation = new ClassTfidfRepresenter().Fit(
                new TopicDocuments(texts, labels) { Ids = [.. results.Select(r => r.DocumentId)], Embeddings = embeddings }, cancellationToken);
        }

        var map = TopicRuns.LoadMap(workspace, info.Id) is { } stored && stored.Rows == results.Count && stored.Columns == 2 ? stored : null;
        var mapComputed = map is null;
        if (map is null)
        {
            progress?.Report(new PipelineProgress("map", Invariant($"laying out {results.Count} documents in 2-D")));
            map = embeddings.Columns <= 2 ? embeddings.Clone() : RunDefaults.MapReducer(seed ?? request.Seed).Fit(embeddings, cancellationToken).Embedding;
            cancellationToken.ThrowIfCancellationRequested();
            if (!workspace.IsReadOnly)
            {
                // Stored so the next report of this run is fast; the run itself is unchanged.
                workspace.Artifacts.Put(TopicRuns.MapArtifact(info.Id), TopicRuns.PackMap(map));
            }
        }

        progress?.Report(new PipelineProgress("duplicates", "finding near-duplicates"));
        var exact = DuplicatesJob.ExactGroupRows(workspace, documents);
        var duplicates = DuplicateFinder.Find(documents, embeddings, RunDefaults.Duplicates with { Text = text }, exact, cancellationToken);

        progress?.Report(new PipelineProgress("report", $"writing the report to {request.OutDirectory}"));
        var assignment = new TopicAssignment(labels, [.. results.Select(r => r.Probability)], [.. results.Select(r => r.OutlierScore)], map, representation, embeddings);
        var data = TopicReport.Build(request.Title, assignment, documents, texts, duplicates, cancellationToken: cancellationToken);
        var report = ReportWriter.Write(data, request.OutDirectory, request.Options, null, cancellationToken);
        return new ReportJobResult(info, report, documents.Length, data.Topics.Count, mapComputed, topicsComputed);
    }

    /// <summary>The stored vectors of the run's model (else the workspace's default model), one row per run result.</summary>
    private static Matrix Embeddings(Workspace workspace, RunInfo run, string? model, EmbeddingTextField text, IReadOnlyList<RunResult> results, string? modelsDirectory)
    {
        var models = workspace.Embeddings.ListModels();
        if (models.Count == 0)
        {
            throw new InvalidDataException(
                $"workspace {workspace.Directory} has no embeddings; run `topickit embed` first (the report's map and nearest neighbours need them).");
        }

        var stored = model is not null && models.Any(m => m.ModelId == model) ? model : null;
        if (model is not null && stored is null)
        {
            throw new InvalidDataException(Invariant(
                $"run {run.Id} was made with the embeddings of {model}, which workspace {workspace.Directory} no longer holds; run `topickit embed --model` with that model first."));
        }

        var store = ModelStore.Create(string.IsNullOrWhiteSpace(modelsDirectory) ? null : modelsDirectory);
        var vectors = ClusterInput.FromWorkspace(workspace, stored, text, store);
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < vectors.DocumentIds!.Count; i++)
        {
            rowOf[vectors.DocumentIds[i]] = i;
        }

        return vectors.Vectors.SelectRows([.. results.Select(r => rowOf[r.DocumentId])]);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
