using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Pipeline;

/// <summary>The rows to cluster and where they come from.</summary>
/// <param name="Vectors">One row per point.</param>
/// <param name="Source">How the input is named in messages and the run record (file path or model id).</param>
/// <param name="ModelId">The embedding model when read from the workspace.</param>
/// <param name="DocumentIds">Document id per row when the rows are the workspace's documents in stored order.</param>
/// <param name="Text">Which text of each document was embedded (<c>title+abstract</c>, ...) when read from the workspace.</param>
public sealed record ClusterInput(Matrix Vectors, string Source, string? ModelId, IReadOnlyList<string>? DocumentIds, string? Text = null)
{
    /// <summary>A matrix file; with <paramref name="workspace"/>, its rows must be the workspace's documents in stored order.</summary>
    /// <exception cref="ArgumentException">The row count differs from the workspace's document count.</exception>
    public static ClusterInput FromFile(string path, Workspace? workspace)
    {
        var full = Path.GetFullPath(path);
        var matrix = MatrixInput.Read(full);
        if (workspace is null)
        {
            return new ClusterInput(matrix, full, null, null);
        }

        var documents = workspace.Documents.List();
        if (documents.Count != matrix.Rows)
        {
            throw new ArgumentException(
                $"{full} has {matrix.Rows} rows but workspace {workspace.Directory} has {documents.Count} documents; "
                + "with a workspace the rows must be the documents in stored order (cluster the file alone instead).");
        }

        return new ClusterInput(matrix, full, null, [.. documents.Select(d => d.Id)]);
    }

    /// <summary>
    /// The cached vectors of <paramref name="modelSpec"/> (see <see cref="ModelSelection.ResolveStored"/>; default: the
    /// model with the most vectors) for every document of <paramref name="workspace"/>, in stored order, keyed as the
    /// embed stage keys them: the model's passage prefix plus the <paramref name="text"/> of each document.
    /// </summary>
    /// <exception cref="InvalidDataException">No embeddings or documents, or documents without a vector.</exception>
    /// <exception cref="ModelResolutionException">An unknown or ambiguous model.</exception>
    public static ClusterInput FromWorkspace(Workspace workspace, string? modelSpec, EmbeddingTextField text, ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Embeddings.ListModels().Count == 0)
        {
            throw new InvalidDataException(
                $"workspace {workspace.Directory} has no embeddings; run `topickit embed` first (or cluster a matrix file).");
        }

        var (modelId, prefix) = ModelSelection.ResolveStored(workspace, modelSpec, store);
        if (workspace.Documents.Count() == 0)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} has no documents; run `topickit ingest FILE` and `topickit embed` first.");
        }

        var (ids, vectors) = WorkspaceEmbedder.GetDocumentVectors(workspace, modelId, prefix, text);
        vectors.EnsureFinite($"embeddings of model {modelId}");
        return new ClusterInput(vectors, modelId, modelId, ids, EmbeddingText.Name(text));
    }
}
