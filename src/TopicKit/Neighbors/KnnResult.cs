namespace TopicKit.Neighbors;

/// <summary>
/// The k nearest neighbours of every query row: row-major N x k tables of neighbour indices and distances, each row
/// sorted by ascending distance (ties by ascending index).
/// </summary>
internal sealed class KnnResult
{
    /// <summary>Wraps neighbour tables without copying.</summary>
    /// <exception cref="ArgumentException">When the arrays do not both hold rows × k values.</exception>
    public KnnResult(int[] indices, float[] distances, int rows, int k)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(distances);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (indices.LongLength != (long)rows * k || distances.LongLength != (long)rows * k)
        {
            throw new ArgumentException($"Neighbour tables must hold {rows} x {k} values.", nameof(indices));
        }

        Indices = indices;
        Distances = distances;
        Rows = rows;
        K = k;
    }

    /// <summary>Neighbour row indices (into the data matrix), row-major N x k.</summary>
    public int[] Indices { get; }

    /// <summary>
    /// Distances, row-major N x k, ascending per row: true Euclidean distances (not squared), or cosine distance
    /// <c>1 - cos</c> in [0, 2].
    /// </summary>
    public float[] Distances { get; }

    /// <summary>Number of query rows.</summary>
    public int Rows { get; }

    /// <summary>Neighbours per row.</summary>
    public int K { get; }

    /// <summary>The neighbour indices of one query row, nearest first.</summary>
    public ReadOnlySpan<int> IndicesOf(int row) => new(Indices, row * K, K);

    /// <summary>The neighbour distances of one query row, ascending.</summary>
    public ReadOnlySpan<float> DistancesOf(int row) => new(Distances, row * K, K);
}
