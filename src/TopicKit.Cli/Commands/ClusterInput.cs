using System.Text.Json;
using TopicKit.Corpus;
using TopicKit.Numerics;
using TopicKit.Workspace;

namespace TopicKit.Cli.Commands;

using Workspace = TopicKit.Workspace.Workspace;

/// <summary>The matrix <c>topickit cluster</c> works on: a file, or the workspace's cached vectors of one model.</summary>
/// <param name="Vectors">One row per point.</param>
/// <param name="Source">How the input is named in messages and the run record (file path or model id).</param>
/// <param name="ModelId">The embedding model when read from the workspace.</param>
/// <param name="DocumentIds">Document id per row when the rows are the workspace's documents in stored order.</param>
internal sealed record ClusterInput(Matrix Vectors, string Source, string? ModelId, IReadOnlyList<string>? DocumentIds)
{
    /// <summary>Artifact in which <c>topickit embed</c> records a model's passage prefix (JSON field <c>prefix</c>).</summary>
    private const string ModelInfoPrefix = "embedding/model/";

    /// <summary>Reads a <c>.npy</c> (float32/float64, 2-D) or numeric <c>.csv</c> matrix and checks every value is finite.</summary>
    public static Matrix ReadMatrix(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var matrix = extension switch
        {
            ".npy" => NpyFile.Read(path),
            ".csv" => MatrixCsv.Read(path),
            _ => throw new ArgumentException($"--embeddings {path}: use a .npy or .csv file (got '{extension}')."),
        };
        matrix.EnsureFinite(path);
        return matrix;
    }

    /// <summary>
    /// The cached vectors of <paramref name="modelSpec"/> (an exact model id or a unique prefix of one; default: the model
    /// with the most vectors) for every document of <paramref name="workspace"/>, in stored order.
    /// </summary>
    /// <exception cref="InvalidDataException">No embeddings at all, an unknown or ambiguous model, or documents without a vector.</exception>
    public static ClusterInput FromWorkspace(Workspace workspace, string? modelSpec)
    {
        var models = workspace.Embeddings.ListModels();
        if (models.Count == 0)
        {
            throw new InvalidDataException(
                $"workspace {workspace.Directory} has no embeddings; run `topickit embed` first (or pass --embeddings FILE.npy).");
        }

        var model = ChooseModel(models, modelSpec, workspace.Directory);
        var documents = workspace.Documents.List();
        if (documents.Count == 0)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} has no documents; run `topickit ingest FILE` and `topickit embed` first.");
        }

        var prefix = RecordedPrefix(workspace, model.ModelId);
        string[]? hashes = null;
        var fewestMissing = int.MaxValue;
        foreach (var field in TextFields)
        {
            var candidate = documents.Select(d => EmbeddingStore.ComputeTextHash(prefix + field(d))).ToArray();
            var missing = workspace.Embeddings.FindMissing(model.ModelId, candidate).Count;
            if (missing == 0)
            {
                hashes = candidate;
                break;
            }

            fewestMissing = Math.Min(fewestMissing, missing);
        }

        if (hashes is null)
        {
            throw new InvalidDataException(
                $"model {model.ModelId} has vectors for only some of the {documents.Count} documents (at least {fewestMissing} missing); run `topickit embed --model {model.ModelId}` first.");
        }

        var vectors = workspace.Embeddings.Get(model.ModelId, hashes);
        vectors.EnsureFinite($"embeddings of model {model.ModelId}");
        return new ClusterInput(vectors, model.ModelId, model.ModelId, documents.Select(d => d.Id).ToArray());
    }

    /// <summary>The exact model, or the only model whose id starts with <paramref name="spec"/>, or the one with the most vectors.</summary>
    internal static EmbeddingModelInfo ChooseModel(IReadOnlyList<EmbeddingModelInfo> models, string? spec, string directory)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            // Ties go to the lower model id so the choice never depends on the store's row order.
            return models.OrderByDescending(m => m.Count).ThenBy(m => m.ModelId, StringComparer.Ordinal).First();
        }

        var exact = models.FirstOrDefault(m => m.ModelId == spec);
        if (exact is not null)
        {
            return exact;
        }

        var matches = models.Where(m => m.ModelId.StartsWith(spec, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InvalidDataException(
                $"no embeddings for model '{spec}' in workspace {directory}; stored models: {string.Join(", ", models.Select(m => m.ModelId))}."),
            _ => throw new InvalidDataException(
                $"--model '{spec}' matches {matches.Count} models ({string.Join(", ", matches.Select(m => m.ModelId))}); give more of the id."),
        };
    }

    /// <summary>
    /// The texts a document may have been embedded from, most common first: <c>Title. Abstract</c> (the abstract alone
    /// without a title), the abstract, the title. The cache is keyed by the hash of the exact text, so the first form
    /// that covers every document identifies what <c>topickit embed</c> used.
    /// </summary>
    private static readonly Func<Document, string>[] TextFields =
    [
        d => Title(d) is { } title ? (d.Abstract.Length == 0 ? title : title + ". " + d.Abstract) : d.Abstract,
        d => d.Abstract,
        d => Title(d) ?? d.Abstract,
    ];

    private static string? Title(Document document) =>
        string.IsNullOrWhiteSpace(document.Title) ? null : document.Title.Trim();

    private static string RecordedPrefix(Workspace workspace, string modelId)
    {
        var bytes = workspace.Artifacts.Get(ModelInfoPrefix + modelId);
        if (bytes is null)
        {
            return string.Empty;
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            return json.RootElement.TryGetProperty("prefix", out var prefix) ? prefix.GetString() ?? string.Empty : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}
