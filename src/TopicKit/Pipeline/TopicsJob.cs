using System.Globalization;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>How keywords are chosen among the best c-TF-IDF terms.</summary>
public enum KeywordRefinement
{
    /// <summary>Plain c-TF-IDF keywords.</summary>
    ClassTfidf,

    /// <summary>Maximal marginal relevance (<see cref="MaximalMarginalRelevance"/>).</summary>
    Mmr,

    /// <summary>KeyBERT-inspired re-ranking (<see cref="KeyBertInspired"/>).</summary>
    KeyBert,
}

/// <summary>A topic count to reduce to; <see langword="null"/> <paramref name="Topics"/> cuts at the widest gap between merge distances.</summary>
/// <param name="Topics">The number of topics (at least 1), or <see langword="null"/> for automatic.</param>
public sealed record TopicReductionTarget(int? Topics)
{
    /// <summary>Automatic: cut at the widest gap.</summary>
    public static TopicReductionTarget Auto { get; } = new((int?)null);
}

/// <summary>What <see cref="TopicsJob"/> does: describe labelled workspace documents as topics and record the result as a run.</summary>
/// <param name="Workspace">The workspace folder (must exist).</param>
public sealed record TopicsRequest(string Workspace)
{
    /// <summary>The run whose labels to take; <see langword="null"/> (and no <see cref="Labels"/>): the latest cluster run.</summary>
    public long? Run { get; init; }

    /// <summary>A CSV with the columns <c>doc_id,label</c> to take the labels from instead of a run.</summary>
    public string? Labels { get; init; }

    /// <summary>The c-TF-IDF settings.</summary>
    public ClassTfidfOptions Representation { get; init; } = new();

    /// <summary>Keyword re-ranking.</summary>
    public KeywordRefinement Refinement { get; init; } = KeywordRefinement.ClassTfidf;

    /// <summary>The word encoder of <see cref="KeywordRefinement.Mmr"/> and <see cref="KeywordRefinement.KeyBert"/> (a model name, folder or <c>lexical</c>); null: the embed stage's default.</summary>
    public string? Model { get; init; }

    /// <summary>The installed-models folder; null for the default.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>MMR diversity, 0..1.</summary>
    public double Diversity { get; init; } = 0.1;

    /// <summary>Groups of topic ids to merge first.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? Merge { get; init; }

    /// <summary>Merge similar topics down to this many (after <see cref="Merge"/>).</summary>
    public TopicReductionTarget? ReduceTo { get; init; }

    /// <summary>Give outliers a topic (last); null keeps them.</summary>
    public OutlierReductionOptions? ReduceOutliers { get; init; }

    /// <summary>Documents x topics probabilities (<c>.npy</c> or <c>.csv</c>) for <see cref="OutlierStrategy.Probabilities"/>.</summary>
    public string? Probabilities { get; init; }

    /// <summary>Which text of each document is described.</summary>
    public EmbeddingTextField Text { get; init; } = EmbeddingTextField.TitleAbstract;

    /// <summary>How long to wait for another writer of the workspace.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What outlier reduction did.</summary>
/// <param name="Before">Outliers before.</param>
/// <param name="After">Outliers after.</param>
/// <param name="Moved">Outliers that got a topic.</param>
public sealed record OutlierMove(int Before, int After, int Moved);

/// <summary>What <see cref="TopicsJob.Run"/> produced.</summary>
/// <param name="Run">The recorded run (kind <c>topics</c>).</param>
/// <param name="Source">Where the labels came from.</param>
/// <param name="Representation">The final topics.</param>
/// <param name="Documents">The documents with their final labels (ids in stored order).</param>
/// <param name="Evaluation">Diversity, NPMI coherence and outlier share.</param>
/// <param name="MergeMapping">Old to new topic id of <see cref="TopicsRequest.Merge"/>, when it ran.</param>
/// <param name="ReductionMapping">Old to new topic id of <see cref="TopicsRequest.ReduceTo"/>, when it ran.</param>
/// <param name="Outliers">What outlier reduction did, when it ran.</param>
public sealed record TopicsJobResult(
    RunInfo Run, string Source, TopicRepresentation Representation, TopicDocuments Documents, TopicEvaluationResult Evaluation,
    IReadOnlyDictionary<int, int>? MergeMapping, IReadOnlyDictionary<int, int>? ReductionMapping, OutlierMove? Outliers);

/// <summary>
/// The topics stage (<c>topickit topics</c>): reads labels, fits c-TF-IDF (optionally refined), merges, reduces and
/// reduces outliers in that order (each refitting keywords and sizes), evaluates, then records the run with its
/// representation in one transaction (<see cref="TopicRuns"/>), so an error or cancellation stores nothing.
/// </summary>
public static class TopicsJob
{
    /// <summary>Runs the stage.</summary>
    /// <param name="request">What to describe.</param>
    /// <param name="progress">Receives a message as each step starts.</param>
    /// <param name="cancellationToken">Stops the work; nothing is recorded.</param>
    /// <exception cref="ArgumentException">Settings that do not fit (the parameter names the request property).</exception>
    /// <exception cref="InvalidDataException">No documents or labels, or a malformed labels or probabilities file.</exception>
    /// <exception cref="KeyNotFoundException">An unknown run.</exception>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    public static TopicsJobResult Run(TopicsRequest request, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.ReduceOutliers?.Strategy == OutlierStrategy.Probabilities) != (request.Probabilities is not null))
        {
            throw new ArgumentException(
                "Probabilities (a documents x topics matrix file) go with the probabilities outlier strategy, which needs them.", nameof(TopicsRequest.Probabilities));
        }

        if (request.ReduceTo is { Topics: < 1 })
        {
            throw new ArgumentException("ReduceTo must be 1 or more topics (or automatic).", nameof(TopicsRequest.ReduceTo));
        }

        using var workspace = Storage.Workspace.Open(request.Workspace, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: request.LockTimeout));
        workspace.EnsureWritable();
        progress?.Report(new PipelineProgress("input", "reading labels and documents"));
        var input = TopicsInput.Load(workspace, request.Run, request.Labels, request.Text);
        var docs = input.Documents;
        var encoder = request.Refinement == KeywordRefinement.ClassTfidf ? null : RefinerEncoder(request, docs.Texts, cancellationToken);
        using var ownedEncoder = encoder as IDisposable;
        if (encoder is null && request.Model is not null)
        {
            throw new ArgumentException("Model is the word encoder of the mmr and keybert refinements; plain c-TF-IDF uses none.", nameof(TopicsRequest.Model));
        }

        IKeywordRefiner? refiner = request.Refinement switch
        {
            KeywordRefinement.Mmr => new MaximalMarginalRelevance(encoder!, request.Diversity),
            KeywordRefinement.KeyBert => new KeyBertInspired(encoder!),
            _ => null,
        };
        var representer = new ClassTfidfRepresenter(request.Representation, refiner);
        progress?.Report(new PipelineProgress("represent", Invariant($"describing {docs.Labels.Distinct().Count(l => l >= 0)} topics of {docs.Count} documents")));
        var fitted = representer.Fit(docs, cancellationToken);
        var renumbered = false;
        IReadOnlyDictionary<int, int>? mergeMapping = null;
        IReadOnlyDictionary<int, int>? reductionMapping = null;
        if (request.Merge is { } groups)
        {
            var merged = TopicReduction.Merge(docs, representer, groups, cancellationToken);
            (docs, fitted, renumbered, mergeMapping) = (docs.WithLabels(merged.Labels), merged.Representation, true, merged.Mapping);
        }

        if (request.ReduceTo is { } target)
        {
            progress?.Report(new PipelineProgress("reduce", "merging similar topics"));
            var reduced = TopicReduction.ReduceTo(docs, fitted, representer, target.Topics, cancellationToken: cancellationToken);
            (docs, fitted, renumbered, reductionMapping) = (docs.WithLabels(reduced.Labels), reduced.Representation, true, reduced.Mapping);
        }

        OutlierMove? outliers = null;
        if (request.ReduceOutliers is { } reduction)
        {
            progress?.Report(new PipelineProgress("outliers", Invariant($"reducing outliers ({reduction.Strategy})")));
            var probabilities = request.Probabilities is null ? null : MatrixInput.Read(Path.GetFullPath(request.Probabilities));
            var result = OutlierReduction.Reduce(docs, fitted, representer, reduction, probabilities, cancellationToken);
            (docs, fitted) = (docs.WithLabels(result.Labels), result.Representation);
            outliers = new OutlierMove(result.OutliersBefore, result.OutliersAfter, result.Moved);
        }

        if (!renumbered && input.NamedLabels.Count > 0)
        {
            fitted = fitted.WithLabels(input.NamedLabels.Where(p => fitted.IndexOf(p.Key) >= 0).ToDictionary());
        }

        var evaluation = TopicEvaluation.Evaluate(docs, fitted, cancellationToken: cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var results = docs.Ids!.Select((id, i) => new RunResult(id, docs.Labels[i], 1f, 0f)).ToArray();
        var packed = TopicRuns.Pack(fitted);
        var run = workspace.Runs.Record(
            TopicsInput.RunKind, Parameters(request, input, evaluation), results,
            id => [new(TopicRuns.RepresentationArtifact(id), packed)], cancellationToken);
        return new TopicsJobResult(run, input.Source, fitted, docs, evaluation, mergeMapping, reductionMapping, outliers);
    }

    private static ISentenceEncoder RefinerEncoder(TopicsRequest request, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var store = ModelStore.Create(string.IsNullOrWhiteSpace(request.ModelsDirectory) ? null : request.ModelsDirectory);
        var choice = ModelSelection.Resolve(request.Model, store);
        return choice.IsLexical
            ? LexicalEncoder.Fit(texts, cancellationToken: cancellationToken)
            : ModelSelection.LoadOnnx(choice, store, new SentenceEncoderOptions());
    }

    /// <summary>The run's parameters: what was asked, the vectors used (<c>model</c>, <c>text</c>) and the headline figures.</summary>
    private static string Parameters(TopicsRequest request, TopicsInput input, TopicEvaluationResult evaluation)
    {
        var o = request.Representation;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("source", input.Source);
            if (input.SourceRun is { } sourceRun)
            {
                w.WriteNumber("source_run", sourceRun);
            }
            else
            {
                w.WriteNull("source_run");
            }

            w.WriteString("model", input.ModelId);
            w.WriteString("text", EmbeddingText.Name(request.Text));
            w.WriteString("representation", request.Refinement switch { KeywordRefinement.Mmr => "mmr", KeywordRefinement.KeyBert => "keybert", _ => "ctfidf" });
            w.WriteNumber("top_n", o.TopN);
            w.WriteString("ngram", Invariant($"{o.NgramMin}..{o.NgramMax}"));
            w.WriteNumber("min_df", o.MinDocumentFrequency);
            w.WriteString("stop_words", o.EffectiveStopWords.Name);
            w.WriteBoolean("bm25", o.Bm25Weighting);
            w.WriteBoolean("reduce_frequent_words", o.ReduceFrequentWords);
            w.WriteString("reduce_outliers", request.ReduceOutliers?.Strategy.ToString());
            w.WriteNumber("threshold", request.ReduceOutliers?.Threshold ?? 0);
            w.WriteString("reduce_to", request.ReduceTo is null ? null : request.ReduceTo.Topics?.ToString(CultureInfo.InvariantCulture) ?? "auto");
            w.WriteString("merge", request.Merge is null ? null : string.Join(';', request.Merge.Select(g => string.Join(',', g))));
            w.WriteNumber("topics", evaluation.Topics);
            w.WriteNumber("outlier_share", evaluation.OutlierShare);
            w.WriteNumber("diversity", evaluation.Diversity);
            w.WriteNumber("coherence", evaluation.Coherence);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
