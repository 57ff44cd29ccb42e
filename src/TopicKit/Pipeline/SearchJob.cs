using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Search;
using TopicKit.Storage;

namespace TopicKit.Pipeline;

/// <summary>How a query is ranked against the workspace's documents.</summary>
public enum SearchMode
{
    /// <summary>Exact cosine between the query's vector and the stored vectors.</summary>
    Semantic,

    /// <summary>BM25 over the documents' titles and abstracts.</summary>
    Lexical,

    /// <summary>Reciprocal rank fusion of the semantic and the lexical ranking.</summary>
    Hybrid,
}

/// <summary>A query to rank the workspace's documents for.</summary>
/// <param name="Workspace">The workspace folder; it must exist and hold documents.</param>
/// <param name="Query">The query text.</param>
public sealed record SearchRequest(string Workspace, string Query)
{
    /// <summary>Hits to return, at least 1 (default 10).</summary>
    public int Top { get; init; } = 10;

    /// <summary>The ranking; null (default): <see cref="SearchMode.Semantic"/> when the workspace has embeddings, else
    /// <see cref="SearchMode.Lexical"/> (the result says <see cref="SearchResult.LexicalFallback"/>).</summary>
    public SearchMode? Mode { get; init; }

    /// <summary>The model that embeds the query (registry name or folder); null (default): the workspace's lexical
    /// encoder when it made the stored vectors, else the installed model named like the stored one. Either way it must
    /// be the model that made the stored vectors.</summary>
    public string? Model { get; init; }

    /// <summary>The installed-models folder; null for <c>$TOPICKIT_MODELS</c>, else <c>~/.cache/topickit/models</c>.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A document to find the nearest neighbours of, by its stored vector.</summary>
/// <param name="Workspace">The workspace folder; it must exist and hold documents and their vectors.</param>
/// <param name="Id">The document's id.</param>
public sealed record SimilarRequest(string Workspace, string Id)
{
    /// <summary>Hits to return, at least 1 (default 10); the document itself is never one.</summary>
    public int Top { get; init; } = 10;

    /// <summary>Which stored vectors (see <see cref="ModelSelection.ResolveStored"/>); null: the model with the most vectors.</summary>
    public string? Model { get; init; }

    /// <summary>The installed-models folder, for resolving <see cref="Model"/> by registry name; null for the default.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>How long to wait for another process writing to the workspace (default 10 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A query the model read only in part.</summary>
/// <param name="Model">The model, as it was named (registry name or folder).</param>
/// <param name="Tokens">Tokens of the query with the model's query prefix.</param>
/// <param name="Limit">Tokens the model reads; the rest was dropped.</param>
public sealed record QueryTruncation(string Model, int Tokens, int Limit);

/// <summary>Ranked documents.</summary>
/// <param name="Hits">Best first; <see cref="SearchHit.Row"/> indexes <paramref name="Documents"/>.</param>
/// <param name="Documents">The workspace's documents in stored order.</param>
/// <param name="Mode">The ranking used.</param>
/// <param name="Query">The query text (for <c>similar</c>, the document's title, or empty), e.g. for snippets.</param>
/// <param name="ModelId">The stored vectors' model when the ranking used them; null for BM25 alone.</param>
public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, IReadOnlyList<Document> Documents, SearchMode Mode, string Query, string? ModelId)
{
    /// <summary>True when no mode was asked for and the workspace has no embeddings, so BM25 ranked the documents.</summary>
    public bool LexicalFallback { get; init; }

    /// <summary>Set when the query was longer than the model reads: the model saw only its first tokens.</summary>
    public QueryTruncation? Truncation { get; init; }
}

/// <summary>
/// The search stage: ranks the workspace's documents for a query (semantic with the workspace's own model and its
/// query prefix, BM25, or both fused) or for one of its documents (<see cref="Similar"/>). Reads only.
/// </summary>
public static class SearchJob
{
    /// <summary>Ranks the documents for a query.</summary>
    /// <param name="request">The query and how to rank.</param>
    /// <param name="progress">Receives one line per stage (reading, loading the model).</param>
    /// <param name="cancellationToken">Stops before the next stage.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SearchRequest.Top"/> below 1.</exception>
    /// <exception cref="InvalidDataException">An empty workspace, or no stored vectors for a semantic ranking.</exception>
    /// <exception cref="ArgumentException"><see cref="SearchRequest.Model"/> is not the model that made the stored vectors.</exception>
    /// <exception cref="ModelResolutionException">The query's model cannot be resolved.</exception>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    public static SearchResult Search(SearchRequest request, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Top, 1, nameof(SearchRequest.Top));
        var text = request.Query ?? string.Empty;
        using var workspace = Open(request.Workspace, request.LockTimeout);
        progress?.Report("reading documents from workspace " + workspace.Directory);
        var documents = RequireDocuments(workspace);
        var hasVectors = workspace.Embeddings.ListModels().Count > 0;
        var mode = request.Mode ?? (hasVectors ? SearchMode.Semantic : SearchMode.Lexical);
        Bm25Index Lexical() => Bm25Index.Build([.. documents.Select(d => EmbeddingText.For(d, EmbeddingTextField.TitleAbstract))]);
        cancellationToken.ThrowIfCancellationRequested();
        if (mode == SearchMode.Lexical)
        {
            return new SearchResult(Lexical().Query(text, request.Top), documents, mode, text, null) { LexicalFallback = request.Mode is null };
        }

        var store = ModelStore.Create(string.IsNullOrWhiteSpace(request.ModelsDirectory) ? null : request.ModelsDirectory);
        progress?.Report("reading embeddings from workspace " + workspace.Directory);
        var input = ClusterInput.FromWorkspace(workspace, null, EmbeddingTextField.TitleAbstract, store);
        var index = SemanticIndex.Build(input.Vectors);
        cancellationToken.ThrowIfCancellationRequested();
        var (vector, truncation) = EmbedQuery(workspace, input.ModelId!, text, request.Model, store, progress);
        var hits = mode == SearchMode.Semantic ? index.Query(vector, request.Top) : HybridSearch.Query(index, vector, Lexical(), text, request.Top);
        return new SearchResult(hits, documents, mode, text, input.ModelId) { Truncation = truncation };
    }

    /// <summary>Ranks the documents by cosine to one document's stored vector, leaving the document out.</summary>
    /// <param name="request">The document and how many hits.</param>
    /// <param name="progress">Receives one line per stage.</param>
    /// <param name="cancellationToken">Stops before ranking.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SimilarRequest.Top"/> below 1.</exception>
    /// <exception cref="KeyNotFoundException">No document has that id.</exception>
    /// <exception cref="InvalidDataException">An empty workspace, or no stored vectors.</exception>
    /// <exception cref="WorkspaceException">The workspace is missing, locked or unusable.</exception>
    public static SearchResult Similar(SimilarRequest request, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Top, 1, nameof(SimilarRequest.Top));
        using var workspace = Open(request.Workspace, request.LockTimeout);
        progress?.Report("reading documents from workspace " + workspace.Directory);
        var documents = RequireDocuments(workspace);
        var row = -1;
        for (var i = 0; i < documents.Count && row < 0; i++)
        {
            row = documents[i].Id == request.Id ? i : -1;
        }

        if (row < 0)
        {
            throw new KeyNotFoundException($"no document '{request.Id}' in workspace {workspace.Directory}; list ids with `topickit docs list`.");
        }

        progress?.Report("reading embeddings from workspace " + workspace.Directory);
        var store = ModelStore.Create(string.IsNullOrWhiteSpace(request.ModelsDirectory) ? null : request.ModelsDirectory);
        var input = ClusterInput.FromWorkspace(workspace, request.Model, EmbeddingTextField.TitleAbstract, store);
        cancellationToken.ThrowIfCancellationRequested();
        var hits = SemanticIndex.Build(input.Vectors).Similar(row, request.Top);
        return new SearchResult(hits, documents, SearchMode.Semantic, documents[row].Title ?? string.Empty, input.ModelId);
    }

    private static Workspace Open(string directory, TimeSpan lockTimeout) =>
        Workspace.Open(directory, new WorkspaceOptions(CreateIfMissing: false, LockTimeout: lockTimeout));

    private static IReadOnlyList<Document> RequireDocuments(Workspace workspace)
    {
        var documents = workspace.Documents.List();
        return documents.Count > 0
            ? documents
            : throw new InvalidDataException($"workspace {workspace.Directory} has no documents; run `topickit ingest FILES` first.");
    }

    /// <summary>
    /// Embeds the query with the model that made the stored vectors: the workspace's lexical encoder, or an ONNX model
    /// (<paramref name="spec"/>, else the installed model named like the stored one) with its query prefix, truncated to
    /// what the model reads.
    /// </summary>
    private static (float[] Vector, QueryTruncation? Truncation) EmbedQuery(
        Workspace workspace, string modelId, string text, string? spec, ModelStore store, IProgress<string>? progress)
    {
        if (WorkspaceEmbedder.LoadLexical(workspace) is { } lexical && lexical.ModelId == modelId)
        {
            return (lexical.Encode([text]).Row(0).ToArray(), null);
        }

        var name = spec ?? modelId[..Math.Max(0, modelId.IndexOf('@', StringComparison.Ordinal))];
        var choice = ModelSelection.Resolve(name, store);
        if (choice.Kind != ModelKind.Onnx)
        {
            throw new InvalidDataException($"the stored vectors come from model {modelId}, not from the workspace's current lexical encoder; run `topickit embed` again.");
        }

        progress?.Report("loading model " + choice.Spec);
        using var encoder = ModelSelection.LoadOnnx(choice, store, new SentenceEncoderOptions());
        if (encoder.ModelId != modelId)
        {
            throw new ArgumentException($"model {choice.Spec} is {encoder.ModelId} but the stored vectors come from {modelId}; pass Model with that model.", nameof(SearchRequest.Model));
        }

        var input = encoder.Config.QueryPrefix + text;
        var tokens = encoder.Tokenizer.CountTokens(input);
        var limit = Math.Min(encoder.Tokenizer.MaxLength, encoder.Config.MaxLength);
        var vector = new Matrix(1, encoder.Dimension);
        encoder.EncodeTokenized([encoder.Tokenizer.Encode(input, truncate: true)], vector);
        return (vector.Row(0).ToArray(), tokens > limit ? new QueryTruncation(choice.Spec, tokens, limit) : null);
    }
}
