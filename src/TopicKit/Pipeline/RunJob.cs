using System.Diagnostics;
using System.Globalization;
using TopicKit.Clustering;
using TopicKit.Corpus;
using TopicKit.Duplicates;
using TopicKit.Embedding;
using TopicKit.Neighbors;
using TopicKit.Reduction;
using TopicKit.Reporting;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>What <see cref="RunJob"/> does: the whole job from corpus files to a report and a saved model.</summary>
/// <param name="Workspace">The workspace folder (created when missing); its stored documents and embeddings are reused.</param>
/// <param name="OutDirectory">Where the report files and <c>model/</c> go.</param>
public sealed record RunRequest(string Workspace, string OutDirectory)
{
    /// <summary>Corpus files to ingest first; none: the workspace's documents as they are.</summary>
    public IReadOnlyList<IngestInput> Inputs { get; init; } = [];

    /// <summary>How the files are read.</summary>
    public CorpusReadOptions Read { get; init; } = new();

    /// <summary>The sentence model (<c>--model</c>); <see langword="null"/>: the embed stage's default policy.</summary>
    public string? Model { get; init; }

    /// <summary>The models folder; <see langword="null"/> for the default.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>Which part of each document is embedded and described.</summary>
    public EmbeddingTextField Text { get; init; } = EmbeddingTextField.TitleAbstract;

    /// <summary>The lexical encoder's settings when it is fitted.</summary>
    public LexicalEncoderOptions Lexical { get; init; } = new();

    /// <summary>The clusterer; <see langword="null"/>: HDBSCAN with <see cref="RunDefaults.MinClusterSize"/> for the corpus size.</summary>
    public IClusterer? Clusterer { get; init; }

    /// <summary>The reduction before clustering; <see langword="null"/>: the clusterer's default (UMAP 5-D for HDBSCAN, none for k-means).</summary>
    public IReducer? Reducer { get; init; }

    /// <summary>Cluster the embeddings as they are, even with HDBSCAN.</summary>
    public bool NoReduction { get; init; }

    /// <summary>The keyword settings.</summary>
    public ClassTfidfOptions Representation { get; init; } = new();

    /// <summary>Outlier reduction after clustering (default: c-TF-IDF similarity, threshold 0); <see langword="null"/> keeps the outliers.</summary>
    public OutlierReductionOptions? OutlierReduction { get; init; } = new(OutlierStrategy.ClassTfidf);

    /// <summary>Seed of every randomised stage.</summary>
    public int Seed { get; init; }

    /// <summary>The near-duplicate search (default: both methods, semantic cosine 0.95, Jaccard 0.5).</summary>
    public DuplicateOptions Duplicates { get; init; } = RunDefaults.Duplicates;

    /// <summary>The report title.</summary>
    public string Title { get; init; } = "TopicKit topic map";

    /// <summary>How long to wait for another writer of the workspace.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>How long one stage of a run took.</summary>
/// <param name="Stage">The stage name.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record StageTime(string Stage, TimeSpan Elapsed);

/// <summary>What a run produced.</summary>
/// <param name="Ingest">The ingestion, when files were given.</param>
/// <param name="Embed">The embedding stage.</param>
/// <param name="Model">The fitted topic model (saved in <paramref name="ModelDirectory"/>).</param>
/// <param name="Duplicates">The near-duplicate groups.</param>
/// <param name="Evaluation">Topic diversity, coherence and the outlier share.</param>
/// <param name="Report">The report files.</param>
/// <param name="ModelDirectory">Where the model was saved (<c>OUT/model</c>).</param>
/// <param name="Stages">Wall time per stage that did work, in order (no <c>embed</c> when every vector was cached).</param>
/// <param name="Run">The run recorded in the workspace (kind <c>run</c>): per-document topics with the representation and the map (<see cref="TopicRuns"/>).</param>
public sealed record RunJobResult(
    IngestReport? Ingest, EmbedResult Embed, FittedTopicModel Model, DuplicateReport Duplicates, TopicEvaluationResult Evaluation, ReportResult Report,
    string ModelDirectory, IReadOnlyList<StageTime> Stages, RunInfo Run);

/// <summary>Defaults of <see cref="RunJob"/> that scale with the corpus.</summary>
public static class RunDefaults
{
    /// <summary>
    /// HDBSCAN's minimum cluster size for <paramref name="documents"/> documents: BERTopic's 10 up to 5,000 documents,
    /// then one in 500, so 100,000 abstracts give a few hundred readable topics instead of thousands of tiny ones.
    /// </summary>
    public static int MinClusterSize(int documents) => Math.Max(10, documents / 500);

    /// <summary>The near-duplicate search of a run and of a report: both methods, semantic cosine 0.95, Jaccard 0.5.</summary>
    public static DuplicateOptions Duplicates => new() { Method = DuplicateMethod.Both };

    /// <summary>The 2-D map layout of a run and of a report of a run without a stored map: cosine UMAP, 15 neighbours, min_dist 0.1.</summary>
    /// <param name="seed">The layout's seed.</param>
    public static IReducer MapReducer(int seed) =>
        new Umap(new UmapOptions { NComponents = 2, NNeighbors = 15, MinDist = 0.1, Metric = DistanceMetric.Cosine, Seed = seed });
}

/// <summary>
/// <c>topickit run</c> as a library call: ingest, embed (cached in the workspace), reduce, cluster, describe topics
/// (with outlier reduction), find near-duplicates, lay out the 2-D map, write the report and save the model. Ingestion
/// and embedding commit as they go, so an interrupted run resumes; the later stages take seconds and are redone.
/// </summary>
public static class RunJob
{
    /// <summary>Runs the whole job.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="progress">Receives a message as each stage starts.</param>
    /// <param name="cancellationToken">Stops the job; what ingestion and embedding committed stays.</param>
    /// <exception cref="InvalidDataException">An input file failed to ingest, or the workspace holds no documents.</exception>
    public static async Task<RunJobResult> RunAsync(RunRequest request, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stages = new List<StageTime>();
        var clock = Stopwatch.StartNew();
        void Done(string stage)
        {
            stages.Add(new StageTime(stage, clock.Elapsed));
            clock.Restart();
        }

        IngestReport? ingest = null;
        if (request.Inputs.Count > 0)
        {
            progress?.Report(new PipelineProgress("ingest", Invariant($"ingesting {request.Inputs.Count} file(s)")));
            ingest = await IngestJob.RunAsync(new IngestRequest(request.Workspace, request.Inputs) { Read = request.Read, LockTimeout = request.LockTimeout }, null, cancellationToken)
                .ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (ingest.Fatal is { } fatal)
            {
                throw fatal;
            }

            if (ingest.Files.FirstOrDefault(f => f.Status == IngestFileStatus.Failed) is { } failed)
            {
                throw new InvalidDataException($"{failed.Path}: {failed.Error} (the other files were ingested; fix or leave out this one and run again).");
            }

            Done("ingest");
        }

        progress?.Report(new PipelineProgress("embed", "embedding the documents that have no cached vector"));
        var embed = EmbedJob.Run(
            new EmbedRequest(request.Workspace) { Model = request.Model, Text = request.Text, Lexical = request.Lexical, ModelsDirectory = request.ModelsDirectory, LockTimeout = request.LockTimeout },
            null, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (embed.Cancelled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        // A stage is reported when it did work: with every vector cached there was no embedding, and the cache check
        // is counted with the next stage.
        if (embed.Computed > 0 || embed.LexicalFitted)
        {
            Done("embed");
        }

        using var workspace = Workspace.Open(request.Workspace, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: request.LockTimeout));
        var documents = workspace.Documents.List();
        if (documents.Count < 2)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} holds {documents.Count} document(s); a topic model needs at least 2. Ingest more files.");
        }

        var store = ModelStore.Create(string.IsNullOrWhiteSpace(request.ModelsDirectory) ? null : request.ModelsDirectory);
        var (_, vectors) = WorkspaceEmbedder.GetDocumentVectors(workspace, embed.ModelId, PrefixOf(workspace, embed), request.Text);
        var texts = documents.Select(d => EmbeddingText.For(d, request.Text)).ToArray();
        using var onnx = embed.Model.IsLexical ? null : ModelSelection.LoadOnnx(embed.Model, store, new SentenceEncoderOptions());
        ISentenceEncoder encoder = onnx is not null ? onnx : WorkspaceEmbedder.LoadLexical(workspace)
            ?? throw new InvalidDataException($"workspace {workspace.Directory} has lexical vectors but no fitted lexical encoder; run `topickit embed --model lexical --refit`.");

        var options = Options(request, documents.Count, encoder);
        var model = new TopicModel(options).Fit(texts, vectors, documents.Select(d => d.Id).ToArray(), progress, cancellationToken);
        Done("topics");

        progress?.Report(new PipelineProgress("duplicates", "finding near-duplicates"));
        var exact = DuplicatesJob.ExactGroupRows(workspace, documents);
        var duplicates = DuplicateFinder.Find(documents, vectors, request.Duplicates with { Text = request.Text }, exact, cancellationToken);
        Done("duplicates");

        var evaluation = TopicEvaluation.Evaluate(new TopicDocuments(texts, model.DocumentTopics), model.Representation, cancellationToken: cancellationToken);
        Done("evaluate");

        progress?.Report(new PipelineProgress("report", Invariant($"writing the report to {request.OutDirectory}")));
        var data = TopicReport.Build(request.Title, model, documents, texts, duplicates, cancellationToken: cancellationToken);
        var report = ReportWriter.Write(data, request.OutDirectory, new ReportOptions(), null, cancellationToken);
        Done("report");

        var modelDirectory = Path.Combine(Path.GetFullPath(request.OutDirectory), "model");
        model.Save(modelDirectory);
        var run = Record(workspace, request, embed, model, evaluation, cancellationToken);
        Done("save");
        return new RunJobResult(ingest, embed, model, duplicates, evaluation, report, modelDirectory, stages, run);
    }

    /// <summary>The stage objects of a run: the request's, else the defaults scaled to <paramref name="documents"/>, all seeded.</summary>
    public static TopicModelOptions Options(RunRequest request, int documents, ISentenceEncoder? encoder)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clusterer = request.Clusterer ?? new Hdbscan(new HdbscanOptions { MinClusterSize = Math.Min(RunDefaults.MinClusterSize(documents), Math.Max(2, documents)) });
        var reducer = request.NoReduction ? null
            : request.Reducer ?? (clusterer is KMeans ? null : new Umap(new UmapOptions { NComponents = 5, NNeighbors = 15, MinDist = 0.0, Metric = DistanceMetric.Cosine, Seed = request.Seed }));
        return new TopicModelOptions
        {
            Encoder = encoder,
            Reducer = reducer,
            Clusterer = clusterer,
            Representer = new ClassTfidfRepresenter(request.Representation),
            OutlierReduction = request.OutlierReduction,
            MapReducer = RunDefaults.MapReducer(request.Seed),
        };
    }

    /// <summary>Records the run (kind <c>run</c>) with its representation and map in one transaction.</summary>
    private static RunInfo Record(Workspace workspace, RunRequest request, EmbedResult embed, FittedTopicModel model, TopicEvaluationResult evaluation, CancellationToken cancellationToken)
    {
        var ids = model.Ids!;
        var results = new RunResult[model.DocumentCount];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new RunResult(ids[i], model.DocumentTopics[i], model.Probabilities[i], model.OutlierScores[i]);
        }

        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", embed.ModelId);
            w.WriteString("text", EmbeddingText.Name(request.Text));
            w.WriteNumber("seed", request.Seed);
            w.WriteString("clusterer", model.Clusterer.GetType().Name);
            w.WriteNumber("documents", model.DocumentCount);
            w.WriteNumber("topics", model.Topics.Count(t => t.Id >= 0));
            w.WriteNumber("outliers_before", model.Outliers.Before);
            w.WriteNumber("outliers_after", model.Outliers.After);
            w.WriteNumber("diversity", evaluation.Diversity);
            w.WriteNumber("coherence", evaluation.Coherence);
            w.WriteString("out", Path.GetFullPath(request.OutDirectory));
            w.WriteEndObject();
        }

        var representation = TopicRuns.Pack(model.Representation);
        var map = model.Map is null ? null : TopicRuns.PackMap(model.Map);
        return workspace.Runs.Record(
            "run", System.Text.Encoding.UTF8.GetString(buffer.ToArray()), results,
            id => map is null
                ? [new(TopicRuns.RepresentationArtifact(id), representation)]
                : [new(TopicRuns.RepresentationArtifact(id), representation), new(TopicRuns.MapArtifact(id), map)],
            cancellationToken);
    }

    private static string PrefixOf(Workspace workspace, EmbedResult embed) => WorkspaceEmbedder.RecordedPrefix(workspace, embed.ModelId) ?? string.Empty;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
