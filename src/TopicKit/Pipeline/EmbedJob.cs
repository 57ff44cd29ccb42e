using System.Diagnostics;
using TopicKit.Embedding;
using TopicKit.Storage;

namespace TopicKit.Pipeline;

/// <summary>What to embed: every document of a workspace, with one model, caching what is computed.</summary>
/// <param name="Workspace">The workspace folder; it must exist.</param>
public sealed record EmbedRequest(string Workspace)
{
    /// <summary>The model (see <see cref="ModelSelection.Resolve"/>); null (default) for the default model policy: an
    /// installed registry model (<c>all-minilm-l6-v2</c> first), else lexical.</summary>
    public string? Model { get; init; }

    /// <summary>Which part of each document is embedded (default <c>Title. Abstract</c>).</summary>
    public EmbeddingTextField Text { get; init; } = EmbeddingTextField.TitleAbstract;

    /// <summary>Settings of an ONNX model (batch token budget, threads).</summary>
    public SentenceEncoderOptions Encoder { get; init; } = new();

    /// <summary>Settings of the lexical encoder when it is fitted (dimension 256 by default).</summary>
    public LexicalEncoderOptions Lexical { get; init; } = new();

    /// <summary>Fit the lexical encoder again on the current documents (a new model id); default false.</summary>
    public bool Refit { get; init; }

    /// <summary>Texts encoded per committed transaction (default 256): an interrupted run loses at most this many.</summary>
    public int ChunkSize { get; init; } = new WorkspaceEmbedOptions().ChunkSize;

    /// <summary>The installed-models folder; null (default) for <c>$TOPICKIT_MODELS</c>, else <c>~/.cache/topickit/models</c>.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Progress of an embedding run.</summary>
/// <param name="Model">The model chosen (reported first with 0 of 0, before any work).</param>
/// <param name="Computed">Texts computed and committed so far.</param>
/// <param name="Missing">Texts that had no cached vector when the run started.</param>
public sealed record EmbedProgress(ModelChoice Model, int Computed, int Missing);

/// <summary>What an embedding run did (or had committed when it was cancelled).</summary>
/// <param name="Model">The model chosen.</param>
/// <param name="ModelId">The exact model the vectors belong to.</param>
/// <param name="Dimension">Vector length.</param>
/// <param name="Documents">Documents in the workspace.</param>
/// <param name="UniqueTexts">Distinct texts among them (identical texts share one vector).</param>
/// <param name="Cached">Distinct texts that already had a vector.</param>
/// <param name="Computed">Distinct texts encoded and committed by this run.</param>
/// <param name="LexicalFitted">Whether the lexical encoder was fitted (and saved in the workspace) by this run.</param>
/// <param name="Cancelled">Whether the run was cancelled; every chunk committed before stays and a re-run resumes.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record EmbedResult(
    ModelChoice Model, string ModelId, int Dimension, int Documents, int UniqueTexts, int Cached, int Computed, bool LexicalFitted,
    bool Cancelled, TimeSpan Elapsed)
{
    /// <summary>When the lexical encoder was fitted with fewer dimensions than asked for, why (see <see cref="LexicalEncoder.DimensionNotice"/>).</summary>
    public string? Notice { get; init; }
}

/// <summary>
/// The embed stage: resolves the model, loads it (or loads or fits the workspace's lexical encoder) and fills the
/// workspace's embedding cache with the vectors it lacks, in committed chunks.
/// </summary>
public static class EmbedJob
{
    /// <summary>Runs the embedding.</summary>
    /// <param name="request">What to embed.</param>
    /// <param name="progress">Receives the model choice first, then the texts computed after each committed chunk.</param>
    /// <param name="cancellationToken">Stops after the chunk in flight is rolled back; the result says
    /// <see cref="EmbedResult.Cancelled"/>. Cancelling before the model is loaded throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    /// <exception cref="ModelResolutionException">The model cannot be resolved, or an installed model was altered.</exception>
    public static EmbedResult Run(EmbedRequest request, IProgress<EmbedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        using var workspace = Workspace.Open(request.Workspace, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: request.LockTimeout));
        var store = ModelStore.Create(string.IsNullOrWhiteSpace(request.ModelsDirectory) ? null : request.ModelsDirectory);
        var choice = Choose(request.Model, store, workspace);
        progress?.Report(new EmbedProgress(choice, 0, 0));

        var lexicalFitted = false;
        string? notice = null;
        ISentenceEncoder encoder;
        OnnxSentenceEncoder? onnx = null;
        if (choice.IsLexical)
        {
            (encoder, lexicalFitted) = WorkspaceEmbedder.LoadOrFitLexical(workspace, request.Text, request.Lexical, request.Refit, cancellationToken);
            notice = lexicalFitted ? ((LexicalEncoder)encoder).DimensionNotice(request.Lexical.Dimension) : null;
        }
        else
        {
            onnx = ModelSelection.LoadOnnx(choice, store, request.Encoder);
            encoder = onnx;
        }

        using (onnx)
        {
            var computed = 0;
            var missing = 0;
            var chunks = new InlineProgress(p =>
            {
                (computed, missing) = (p.Computed, p.Missing);
                progress?.Report(new EmbedProgress(choice, p.Computed, p.Missing));
            });
            try
            {
                var r = WorkspaceEmbedder.EmbedMissing(workspace, encoder, new WorkspaceEmbedOptions(request.Text, request.ChunkSize), chunks, cancellationToken);
                return new EmbedResult(choice, r.ModelId, r.Dimension, r.Documents, r.UniqueTexts, r.Cached, r.Computed, lexicalFitted, false, clock.Elapsed)
                {
                    Notice = notice,
                };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                var documents = workspace.Documents.List();
                var unique = WorkspaceEmbedder.TextHashes(encoder, documents, request.Text).Distinct(StringComparer.Ordinal).Count();
                return new EmbedResult(
                    choice, encoder.ModelId, encoder.Dimension, documents.Count, unique, unique - missing, computed, lexicalFitted, true, clock.Elapsed)
                {
                    Notice = notice,
                };
            }
        }
    }

    /// <summary>The model to compute with. A stored id is accepted only when it is the workspace's current lexical encoder:
    /// other stored vectors carry no model that could compute more.</summary>
    private static ModelChoice Choose(string? spec, ModelStore store, Workspace workspace)
    {
        var choice = ModelSelection.Resolve(spec, store, workspace.Embeddings.ListModels());
        if (choice.Kind != ModelKind.Stored)
        {
            return choice;
        }

        return WorkspaceEmbedder.LoadLexical(workspace)?.ModelId == choice.StoredModelId
            ? choice with { Kind = ModelKind.Lexical }
            : throw new ModelResolutionException(
                $"'{choice.Spec}' names stored vectors ({choice.StoredModelId}), not a model that can compute more; pass the registry name or folder they came from");
    }

    /// <summary>Reports on the calling thread, so the run's counts are current when it returns.</summary>
    private sealed class InlineProgress(Action<WorkspaceEmbedProgress> report) : IProgress<WorkspaceEmbedProgress>
    {
        public void Report(WorkspaceEmbedProgress value) => report(value);
    }
}
