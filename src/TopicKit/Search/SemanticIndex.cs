using System.Numerics.Tensors;
using TopicKit.Numerics;

namespace TopicKit.Search;

/// <summary>
/// Exact cosine search over a fixed set of embeddings: the top k of a query are exactly those of brute force (ties by
/// the lower row). Rows are normalised once when the index is built; an all-zero row scores 0 against every query.
/// </summary>
/// <remarks>Memory: one normalised copy of the vectors (N x d floats). A query costs N·d multiply-adds.</remarks>
public sealed class SemanticIndex
{
    private readonly Matrix _unit;

    private SemanticIndex(Matrix unit) => _unit = unit;

    /// <summary>Rows indexed.</summary>
    public int Count => _unit.Rows;

    /// <summary>Vector length.</summary>
    public int Dimension => _unit.Columns;

    /// <summary>Builds the index over the rows of <paramref name="vectors"/> (copied, so later changes do not affect it).</summary>
    /// <exception cref="InvalidDataException">A NaN or infinite value (the message names the row).</exception>
    public static SemanticIndex Build(Matrix vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        vectors.EnsureFinite("vectors");
        return new SemanticIndex(RowOps.NormalizedCopy(vectors));
    }

    /// <summary>The <paramref name="k"/> rows most cosine-similar to <paramref name="query"/>, best first.</summary>
    /// <param name="query">A vector of <see cref="Dimension"/> values (normalised here; a zero query scores 0 everywhere).</param>
    /// <param name="k">Hits wanted; fewer when the index is smaller.</param>
    /// <param name="exclude">A row to leave out (the document itself, for "more like this"); -1 for none.</param>
    /// <exception cref="ArgumentException">A query of another length or with non-finite values.</exception>
    public IReadOnlyList<SearchHit> Query(ReadOnlySpan<float> query, int k = 10, int exclude = -1)
    {
        if (query.Length != Dimension)
        {
            throw new ArgumentException($"the query has {query.Length} values but the index has dimension {Dimension}.", nameof(query));
        }

        if (!TensorPrimitives.IsFiniteAll(query))
        {
            throw new ArgumentException("the query vector holds NaN or infinite values.", nameof(query));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var unit = query.ToArray();
        RowOps.NormalizeInPlace(unit);
        var scores = new double[Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = TensorPrimitives.Dot(unit, _unit.RowReadOnly(i));
        }

        return Ranking.Top(scores, k, exclude < 0 ? null : row => row != exclude);
    }

    /// <summary>The <paramref name="k"/> rows most similar to row <paramref name="row"/>, itself excluded.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A row outside the index.</exception>
    public IReadOnlyList<SearchHit> Similar(int row, int k = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        return Query(_unit.RowReadOnly(row), k, exclude: row);
    }
}
