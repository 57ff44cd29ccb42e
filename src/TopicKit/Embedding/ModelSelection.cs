using TopicKit.Onnx;
using TopicKit.Storage;

namespace TopicKit.Embedding;

/// <summary>What a model specification names.</summary>
public enum ModelKind
{
    /// <summary>The offline TF-IDF + SVD encoder.</summary>
    Lexical,

    /// <summary>An ONNX sentence model: a registry model or a model folder.</summary>
    Onnx,

    /// <summary>Vectors already stored in a workspace under this model id (no model to load).</summary>
    Stored,
}

/// <summary>What a model specification resolved to.</summary>
/// <param name="Spec">What was asked for, or the chosen default's name.</param>
/// <param name="IsDefault">True when no specification was given.</param>
/// <param name="Kind">What it names.</param>
/// <param name="Folder">The ONNX model folder, for <see cref="ModelKind.Onnx"/>.</param>
/// <param name="Manifest">The registry entry when <paramref name="Spec"/> named an installed registry model.</param>
/// <param name="StoredModelId">The stored model id, for <see cref="ModelKind.Stored"/>.</param>
public sealed record ModelChoice(string Spec, bool IsDefault, ModelKind Kind, string? Folder, ModelManifest? Manifest, string? StoredModelId)
{
    /// <summary>True for the lexical encoder.</summary>
    public bool IsLexical => Kind == ModelKind.Lexical;

    /// <summary>A one-line note on which model is used and why (it names how to choose another).</summary>
    public string Describe() => (Kind, IsDefault) switch
    {
        (ModelKind.Lexical, true) => "using model 'lexical' (TF-IDF + SVD, the offline default: no registry model is installed; pass --model to choose)",
        (ModelKind.Onnx, true) => $"using installed model '{Spec}' (default; pass --model to choose, --model lexical for the offline encoder)",
        (ModelKind.Lexical, false) => "using model 'lexical' (TF-IDF + SVD)",
        (ModelKind.Stored, _) => $"using the stored vectors of model {StoredModelId}",
        _ => $"using model '{Spec}' from {Folder}",
    };
}

/// <summary>
/// The one resolution of a model specification, used by every stage that takes a model. In order: nothing → the
/// default (an installed registry model, <c>all-minilm-l6-v2</c> first, else lexical); <c>lexical</c>; a model id stored
/// in the workspace (exact); an existing model folder; a registry name; a unique prefix of a stored model id.
/// </summary>
public static class ModelSelection
{
    /// <summary>The name of the offline encoder.</summary>
    public const string Lexical = "lexical";

    /// <summary>Registry models preferred as the default, in order; any other installed model comes after them.</summary>
    private static readonly string[] Preferred = ["all-minilm-l6-v2"];

    /// <summary>Resolves <paramref name="spec"/>.</summary>
    /// <param name="spec">A registry name, a model folder, <c>lexical</c>, a stored model id or a unique prefix of one; null for the default.</param>
    /// <param name="store">The installed models.</param>
    /// <param name="stored">The models with vectors in the workspace, when there is one (enables ids and prefixes).</param>
    /// <exception cref="ModelResolutionException">An unknown name, a model that is not installed, a missing folder, or an ambiguous prefix.</exception>
    public static ModelChoice Resolve(string? spec, ModelStore store, IReadOnlyList<EmbeddingModelInfo>? stored = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        stored ??= [];
        if (string.IsNullOrWhiteSpace(spec))
        {
            var installed = store.GetInstalled();
            var pick = Preferred.Select(name => installed.FirstOrDefault(m => m.Name == name)).FirstOrDefault(m => m is not null)
                ?? installed.FirstOrDefault();
            return pick is null
                ? new ModelChoice(Lexical, true, ModelKind.Lexical, null, null, null)
                : new ModelChoice(pick.Name, true, ModelKind.Onnx, store.GetModelDirectory(pick), pick, null);
        }

        var text = spec.Trim();
        if (string.Equals(text, Lexical, StringComparison.OrdinalIgnoreCase))
        {
            return new ModelChoice(Lexical, false, ModelKind.Lexical, null, null, null);
        }

        if (stored.FirstOrDefault(m => m.ModelId == text) is { } exact)
        {
            return new ModelChoice(text, false, ModelKind.Stored, null, null, exact.ModelId);
        }

        var resolver = new ModelResolver(store);
        if (Directory.Exists(ModelStore.ExpandHome(text)) || store.Registry.TryGet(text, out _))
        {
            return new ModelChoice(text, false, ModelKind.Onnx, resolver.Resolve(text), resolver.FindManifest(text), null);
        }

        var matches = stored.Where(m => m.ModelId.StartsWith(text, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => new ModelChoice(text, false, ModelKind.Stored, null, null, matches[0].ModelId),
            > 1 => throw new ModelResolutionException(
                $"model '{text}' matches {matches.Count} stored models ({string.Join(", ", matches.Select(m => m.ModelId))}); give more of the id"),
            _ => Unknown(text, resolver, stored),
        };
    }

    private static ModelChoice Unknown(string text, ModelResolver resolver, IReadOnlyList<EmbeddingModelInfo> stored)
    {
        try
        {
            // Not stored and not a model: the resolver's message lists the registry names or says the folder is missing.
            return new ModelChoice(text, false, ModelKind.Onnx, resolver.Resolve(text), resolver.FindManifest(text), null);
        }
        catch (ModelResolutionException e) when (stored.Count > 0)
        {
            throw new ModelResolutionException(
                $"no embeddings for model '{text}' in the workspace (stored: {string.Join(", ", stored.Select(m => m.ModelId))}), and {e.Message}");
        }
    }

    /// <summary>
    /// Loads the ONNX model of <paramref name="choice"/>. For an installed registry model the files are checked against the
    /// install record first (sizes) and after loading (the model file's sha256, which loading computes anyway).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="choice"/> is not an ONNX model.</exception>
    public static OnnxSentenceEncoder LoadOnnx(ModelChoice choice, ModelStore store, SentenceEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(store);
        var folder = choice.Folder ?? throw new ArgumentException($"'{choice.Spec}' is not an ONNX model", nameof(choice));
        if (choice.Manifest is { } manifest)
        {
            store.EnsureUnchanged(manifest);
        }

        OnnxSentenceEncoder encoder;
        try
        {
            encoder = OnnxSentenceEncoder.Load(folder, options);
        }
        catch (Exception e) when (choice.Manifest is not null && e is OnnxRuntimeException or InvalidDataException)
        {
            // A same-sized but altered file can fail to parse: blame the alteration rather than the model format.
            var modelPath = Path.Combine(folder, "model.onnx");
            if (File.Exists(modelPath))
            {
                using var stream = File.OpenRead(modelPath);
                store.EnsureUnchanged(choice.Manifest, ("model.onnx", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream))));
            }

            throw;
        }

        if (choice.Manifest is { } installed)
        {
            try
            {
                store.EnsureUnchanged(installed, (Path.GetRelativePath(folder, encoder.Config.ModelPath), encoder.ModelSha256));
            }
            catch
            {
                encoder.Dispose();
                throw;
            }
        }

        return encoder;
    }

    /// <summary>
    /// The stored model whose vectors a reading stage uses, and the passage prefix its texts carry: for a stored id, that
    /// id; for <c>lexical</c>, the workspace's current lexical encoder; for an ONNX model, the id it stores vectors
    /// under; with no specification, the model with the most vectors (ties: the lower id, so the choice never depends on
    /// row order).
    /// </summary>
    /// <exception cref="InvalidDataException">The workspace has no vectors of that model (or none at all).</exception>
    public static (string ModelId, string Prefix) ResolveStored(Workspace workspace, string? spec, ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var stored = workspace.Embeddings.ListModels();
        if (stored.Count == 0)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} has no embeddings; run `topickit embed` first.");
        }

        if (string.IsNullOrWhiteSpace(spec))
        {
            var most = stored.OrderByDescending(m => m.Count).ThenBy(m => m.ModelId, StringComparer.Ordinal).First().ModelId;
            return (most, WorkspaceEmbedder.RecordedPrefix(workspace, most) ?? string.Empty);
        }

        var choice = Resolve(spec, store, stored);
        string modelId;
        var prefix = string.Empty;
        switch (choice.Kind)
        {
            case ModelKind.Stored:
                modelId = choice.StoredModelId!;
                prefix = WorkspaceEmbedder.RecordedPrefix(workspace, modelId) ?? string.Empty;
                break;
            case ModelKind.Lexical:
                modelId = WorkspaceEmbedder.LoadLexical(workspace)?.ModelId
                    ?? throw new InvalidDataException($"workspace {workspace.Directory} has no fitted lexical encoder; run `topickit embed --model lexical` first.");
                break;
            default:
                using (var encoder = LoadOnnx(choice, store, new SentenceEncoderOptions()))
                {
                    modelId = encoder.ModelId;
                    prefix = encoder.InputText(string.Empty);
                }

                break;
        }

        return stored.Any(m => m.ModelId == modelId)
            ? (modelId, prefix)
            : throw new InvalidDataException(
                $"no embeddings of {modelId} in workspace {workspace.Directory} (stored: {string.Join(", ", stored.Select(m => m.ModelId))}); run `topickit embed --model {choice.Spec}` or pick a stored model id.");
    }
}
