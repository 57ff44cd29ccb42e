using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;


/// <summary>The matrix <c>topickit cluster</c> works on: a file, or the workspace's cached vectors of one model.</summary>
/// <param name="Vectors">One row per point.</param>
/// <param name="Source">How the input is named in messages and the run record (file path or model id).</param>
/// <param name="ModelId">The embedding model when read from the workspace.</param>
/// <param name="DocumentIds">Document id per row when the rows are the workspace's documents in stored order.</param>
/// <param name="Text">Which text of each document was embedded (<c>title+abstract</c>, ...) when read from the workspace.</param>
internal sealed record ClusterInput(Matrix Vectors, string Source, string? ModelId, IReadOnlyList<string>? DocumentIds, string? Text = null)
{
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
    /// with the most vectors) for every document of <paramref name="workspace"/>, in stored order, keyed as
    /// <c>topickit embed</c> keys them: the model's recorded passage prefix plus the <paramref name="text"/> of each document.
    /// </summary>
    /// <exception cref="InvalidDataException">No embeddings at all, an unknown or ambiguous model, or documents without a vector.</exception>
    public static ClusterInput FromWorkspace(Workspace workspace, string? modelSpec, EmbeddingTextField text)
    {
        var models = workspace.Embeddings.ListModels();
        if (models.Count == 0)
        {
            throw new InvalidDataException(
                $"workspace {workspace.Directory} has no embeddings; run `topickit embed` first (or pass --embeddings FILE.npy).");
        }

        var model = ChooseModel(models, modelSpec, workspace.Directory);
        if (workspace.Documents.Count() == 0)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} has no documents; run `topickit ingest FILE` and `topickit embed` first.");
        }

        var prefix = WorkspaceEmbedder.RecordedPrefix(workspace, model.ModelId) ?? string.Empty;
        var (ids, vectors) = WorkspaceEmbedder.GetDocumentVectors(workspace, model.ModelId, prefix, text);
        vectors.EnsureFinite($"embeddings of model {model.ModelId}");
        return new ClusterInput(vectors, model.ModelId, model.ModelId, ids, EmbeddingText.Name(text));
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
}
