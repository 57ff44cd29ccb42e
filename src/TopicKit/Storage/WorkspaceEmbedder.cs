using System.Text.Json;
using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Numerics;

namespace TopicKit.Storage;

/// <summary>Settings of <see cref="WorkspaceEmbedder.EmbedMissing"/>.</summary>
/// <param name="Text">Which part of each document is embedded (default <c>Title. Abstract</c>).</param>
/// <param name="ChunkSize">Texts encoded and committed per transaction (default 256): an interrupted run loses at most one chunk.</param>
public sealed record WorkspaceEmbedOptions(EmbeddingTextField Text = EmbeddingTextField.TitleAbstract, int ChunkSize = 256);

/// <summary>Progress of an embedding run: texts computed so far out of those that were missing.</summary>
public readonly record struct WorkspaceEmbedProgress(int Computed, int Missing);

/// <summary>What an embedding run did.</summary>
/// <param name="ModelId">The exact model the vectors belong to.</param>
/// <param name="Dimension">Vector length.</param>
/// <param name="Documents">Documents in the workspace.</param>
/// <param name="UniqueTexts">Distinct texts among them (identical texts share one vector).</param>
/// <param name="Cached">Distinct texts that already had a vector.</param>
/// <param name="Computed">Distinct texts encoded and stored by this run.</param>
public sealed record WorkspaceEmbedResult(string ModelId, int Dimension, int Documents, int UniqueTexts, int Cached, int Computed);

/// <summary>
/// Fills and reads the embedding cache of a <see cref="Workspace"/>. A document's vector is keyed by (model id, SHA-256 of the
/// exact text fed to the model, prefix included), so changing the model, the prefix or the text field never mixes vectors.
/// </summary>
public static class WorkspaceEmbedder
{
    /// <summary>Artifact holding the workspace's fitted <see cref="LexicalEncoder"/>.</summary>
    public const string LexicalArtifact = "embedding/lexical-encoder";

    private const string ModelInfoPrefix = "embedding/model/";

    /// <summary>The text actually fed to <paramref name="encoder"/> for <paramref name="text"/> (an ONNX model's passage prefix applied).</summary>
    public static string InputText(ISentenceEncoder encoder, string text)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return encoder.PassagePrefix + text;
    }

    /// <summary>The cache keys of <paramref name="documents"/> for <paramref name="encoder"/>, one per document in order.</summary>
    public static string[] TextHashes(ISentenceEncoder encoder, IReadOnlyList<Document> documents, EmbeddingTextField field)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var hashes = new string[documents.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = EmbeddingStore.ComputeTextHash(InputText(encoder, EmbeddingText.For(documents[i], field)));
        }

        return hashes;
    }

    /// <summary>
    /// Encodes the documents whose (model, text) pair has no cached vector, committing every
    /// <see cref="WorkspaceEmbedOptions.ChunkSize"/> texts. Cancelling rolls back only the chunk in flight; a re-run resumes.
    /// </summary>
    /// <exception cref="OperationCanceledException">When cancelled; every chunk committed before stays.</exception>
    public static WorkspaceEmbedResult EmbedMissing(
        Workspace workspace, ISentenceEncoder encoder, WorkspaceEmbedOptions? options = null,
        IProgress<WorkspaceEmbedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(encoder);
        options ??= new WorkspaceEmbedOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ChunkSize);
        var documents = workspace.Documents.List();
        var hashes = TextHashes(encoder, documents, options.Text);
        var textOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            textOf.TryAdd(hashes[i], EmbeddingText.For(documents[i], options.Text));
        }

        var missing = workspace.Embeddings.FindMissing(encoder.ModelId, hashes);
        if (missing.Count > 0)
        {
            // Before encoding anything: on a read-only workspace the work could never be saved.
            workspace.EnsureWritable();
        }

        RecordModel(workspace, encoder);
        progress?.Report(new WorkspaceEmbedProgress(0, missing.Count));
        for (var start = 0; start < missing.Count; start += options.ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var keys = missing.Skip(start).Take(options.ChunkSize).ToArray();
            var texts = keys.Select(k => textOf[k]).ToArray();
            var vectors = encoder.Encode(texts, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            workspace.Embeddings.Put(encoder.ModelId, keys, vectors, cancellationToken);
            progress?.Report(new WorkspaceEmbedProgress(start + keys.Length, missing.Count));
        }

        return new WorkspaceEmbedResult(encoder.ModelId, encoder.Dimension, documents.Count, textOf.Count, textOf.Count - missing.Count, missing.Count);
    }

    /// <summary>
    /// The workspace's lexical encoder: the saved one unless <paramref name="refit"/> (or none is saved), in which case it is
    /// fitted on the workspace's documents and saved, replacing the previous one. Vectors of an earlier fit stay cached under
    /// their own model id.
    /// </summary>
    /// <returns>The encoder and whether it was fitted now.</returns>
    /// <exception cref="InvalidDataException">The workspace has no documents, or the saved encoder is damaged.</exception>
    public static (LexicalEncoder Encoder, bool Fitted) LoadOrFitLexical(
        Workspace workspace, EmbeddingTextField field, LexicalEncoderOptions? options = null, bool refit = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!refit && LoadLexical(workspace) is { } saved)
        {
            return (saved, false);
        }

        workspace.EnsureWritable();
        var texts = workspace.Documents.List().Select(d => EmbeddingText.For(d, field)).ToList();
        if (texts.Count == 0)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} has no documents to fit the lexical encoder on; run `topickit ingest FILES` first.");
        }

        LexicalEncoder encoder;
        try
        {
            encoder = LexicalEncoder.Fit(texts, options, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"cannot fit the lexical encoder on the {texts.Count} documents of workspace {workspace.Directory}: {e.Message}", e);
        }

        using var buffer = new MemoryStream();
        encoder.Save(buffer);
        workspace.Artifacts.Put(LexicalArtifact, buffer.ToArray());
        return (encoder, true);
    }

    /// <summary>The saved lexical encoder, or <see langword="null"/> when none was fitted yet.</summary>
    /// <exception cref="InvalidDataException">The saved encoder is damaged (the message says to refit).</exception>
    public static LexicalEncoder? LoadLexical(Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var bytes = workspace.Artifacts.Get(LexicalArtifact);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return LexicalEncoder.Load(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"the lexical encoder saved in workspace {workspace.Directory} is damaged ({e.Message}); run `topickit embed --model lexical --refit`.", e);
        }
    }

    /// <summary>The passage prefix recorded for <paramref name="modelId"/> by the run that cached its vectors (empty when none).</summary>
    public static string? RecordedPrefix(Workspace workspace, string modelId)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var bytes = workspace.Artifacts.Get(ModelInfoPrefix + modelId);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("prefix", out var prefix)
                ? prefix.GetString() ?? string.Empty
                : string.Empty;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new WorkspaceDamagedException(workspace.Directory, $"its record of model {modelId} (artifact {ModelInfoPrefix + modelId}) is not valid JSON", e);
        }
    }

    /// <summary>
    /// The cached vectors of every document in document order, for the model <paramref name="modelId"/> whose input texts are
    /// <c>prefix + text</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">Some documents have no vector (the message says how many and to run <c>topickit embed</c>).</exception>
    public static (IReadOnlyList<string> Ids, Matrix Vectors) GetDocumentVectors(
        Workspace workspace, string modelId, string prefix, EmbeddingTextField field)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(prefix);
        var documents = workspace.Documents.List();
        var hashes = documents.Select(d => EmbeddingStore.ComputeTextHash(prefix + EmbeddingText.For(d, field))).ToArray();
        var missing = workspace.Embeddings.FindMissing(modelId, hashes);
        if (missing.Count > 0)
        {
            var first = Array.IndexOf(hashes, missing[0]);
            throw new InvalidDataException(
                $"{missing.Count} of {documents.Count} documents (e.g. '{documents[first].Id}') have no {EmbeddingText.Name(field)} embedding for model {modelId}; run `topickit embed` with the same --model and --text first.");
        }

        return (documents.Select(d => d.Id).ToArray(), workspace.Embeddings.Get(modelId, hashes));
    }

    private static void RecordModel(Workspace workspace, ISentenceEncoder encoder)
    {
        var prefix = encoder.PassagePrefix;
        var name = ModelInfoPrefix + encoder.ModelId;
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["modelId"] = encoder.ModelId, ["dimension"] = encoder.Dimension, ["prefix"] = prefix });
        var existing = workspace.Artifacts.Get(name);
        if (existing is null || !existing.AsSpan().SequenceEqual(json))
        {
            workspace.Artifacts.Put(name, json);
        }
    }
}
