using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using TopicKit.Numerics;

namespace TopicKit.Neighbors;

/// <summary>
/// Exact (brute-force) k-nearest-neighbour search over dense rows, Euclidean or cosine.
/// </summary>
/// <remarks>
/// Distances are computed tile by tile as ||q||² + ||x||² − 2 q·x (clamped at 0) from a register-blocked dot-product
/// kernel, and every query keeps a bounded max-heap of its k best (distance, index) pairs. The kept neighbours'
/// distances are then recomputed directly from the coordinates, so the reported values do not suffer the
/// cancellation of the expanded form. Ties are broken by the smaller index. Query blocks run in parallel; each
/// query's result is computed identically at any thread count. Cosine distance treats an all-zero row as
/// orthogonal to everything (distance 1).
/// </remarks>
internal static class ExactKnn
{
    private const int QueryBlock = 32;

    // Below this many multiply-adds the whole search is faster on one thread.
    private const long SerialWork = 1L << 22;

    /// <summary>Finds, for every row of <paramref name="queries"/>, its <paramref name="k"/> nearest rows of <paramref name="data"/>.</summary>
    /// <param name="data">The points searched (N x d).</param>
    /// <param name="queries">The query points (Q x d).</param>
    /// <param name="k">Neighbours per query, 1..N.</param>
    /// <param name="metric">Euclidean or cosine distance.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all, 1 for serial. The result does not depend on it.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <exception cref="ArgumentException">When dimensions differ or the data hold NaN/infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When k is not in 1..N.</exception>
    public static KnnResult Search(
        Matrix data,
        Matrix queries,
        int k,
        DistanceMetric metric = DistanceMetric.Euclidean,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Columns != data.Columns)
        {
            throw new ArgumentException(
                $"Queries have {queries.Columns} columns but the data have {data.Columns}; both must share one dimension.", nameof(queries));
        }

        if (k < 1 || k > data.Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the number of data rows ({data.Rows}).");
        }

        return Run(data, queries, k, metric, self: false, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>Finds the <paramref name="k"/> nearest other rows of every row of <paramref name="data"/> (a point is never its own neighbour).</summary>
    /// <param name="data">The points (N x d).</param>
    /// <param name="k">Neighbours per point, 1..N-1.</param>
    /// <param name="metric">Euclidean or cosine distance.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all, 1 for serial. The result does not depend on it.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <exception cref="ArgumentException">When the data hold NaN/infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When k is not in 1..N-1.</exception>
    public static KnnResult SearchSelf(
        Matrix data,
        int k,
        DistanceMetric metric = DistanceMetric.Euclidean,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (k < 1 || k > data.Rows - 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(k), k, $"k must be between 1 and the number of rows minus one ({data.Rows - 1}) when a point cannot be its own neighbour.");
        }

        return Run(data, data, k, metric, self: true, maxDegreeOfParallelism, cancellationToken);
    }

    private static KnnResult Run(
        Matrix data, Matrix queries, int k, DistanceMetric metric, bool self, int maxDop, CancellationToken cancellationToken)
    {
        EnsureFinite(data, "data");
        if (!self)
        {
            EnsureFinite(queries, "queries");
        }

        var cosine = metric switch
        {
            DistanceMetric.Euclidean => false,
            DistanceMetric.Cosine => true,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown distance metric."),
        };

        // Euclidean search runs on data centred at the data mean: distances are unchanged but the expanded form
        // loses far less precision. Reported distances are re-scored from the original rows.
        var mean = cosine ? null : RowOps.ColumnMeans(data);
        var x = cosine ? RowOps.NormalizedCopy(data) : RowOps.CenteredCopy(data, mean);
        var q = self ? x : cosine ? RowOps.NormalizedCopy(queries) : RowOps.CenteredCopy(queries, mean);
        var xNorms = RowOps.SquaredNorms(x);
        var qNorms = self ? xNorms : RowOps.SquaredNorms(q);

        var n = x.Rows;
        var dim = x.Columns;
        var indices = new int[(long)q.Rows * k];
        var distances = new float[(long)q.Rows * k];
        var dataBlock = Math.Clamp((1 << 16) / Math.Max(dim, 1), 64, 2048) & ~1;
        var blocks = (q.Rows + QueryBlock - 1) / QueryBlock;
        if ((long)q.Rows * n * Math.Max(dim, 1) < SerialWork)
        {
            maxDop = 1;
        }

        BlockParallel.For(
            blocks,
            maxDop,
            () => new float[QueryBlock * dataBlock],
            (block, tile) =>
            {
                var q0 = block * QueryBlock;
                var qCount = Math.Min(QueryBlock, q.Rows - q0);
                var counts = new int[qCount];
                var qSpan = q.Data.AsSpan(q0 * dim, qCount * dim);
                for (var x0 = 0; x0 < n; x0 += dataBlock)
                {
                    var xCount = Math.Min(dataBlock, n - x0);
                    DotKernel.Tile(qSpan, qCount, x.Data.AsSpan(x0 * dim, xCount * dim), xCount, dim, tile, dataBlock);
                    for (var r = 0; r < qCount; r++)
                    {
                        var row = q0 + r;
                        var hd = distances.AsSpan(row * k, k);
                        var hi = indices.AsSpan(row * k, k);
                        var bound = NeighborHeap.Bound(hd, counts[r]);
                        var qn = qNorms[row];
                        var dots = tile.AsSpan(r * dataBlock, xCount);
                        var norms = xNorms.AsSpan(x0, xCount);
                        var c = 0;
                        if (Vector256.IsHardwareAccelerated)
                        {
                            // Eight candidates per step; only lanes under the current bound reach the heap.
                            var vq = Vector256.Create(qn);
                            for (; c + Vector256<float>.Count <= xCount; c += Vector256<float>.Count)
                            {
                                var d2 = Vector256.Max(
                                    Vector256<float>.Zero,
                                    (vq + Vector256.LoadUnsafe(ref norms[c])) - (Vector256.Create(2f) * Vector256.LoadUnsafe(ref dots[c])));
                                var mask = Vector256.LessThanOrEqual(d2, Vector256.Create(bound)).ExtractMostSignificantBits();
                                while (mask != 0)
                                {
                                    var lane = BitOperations.TrailingZeroCount(mask);
                                    mask &= mask - 1;
                                    Consider(d2.GetElement(lane), x0 + c + lane, row, self, hd, hi, ref counts[r], ref bound);
                                }
                            }
                        }

                        for (; c < xCount; c++)
                        {
                            Consider(Math.Max(0f, (qn + norms[c]) - (2f * dots[c])), x0 + c, row, self, hd, hi, ref counts[r], ref bound);
                        }
                    }
                }

                for (var r = 0; r < qCount; r++)
                {
                    var row = q0 + r;
                    var hd = distances.AsSpan(row * k, k);
                    var hi = indices.AsSpan(row * k, k);
                    var qr = cosine ? q.RowReadOnly(row) : queries.RowReadOnly(row);
                    for (var t = 0; t < k; t++)
                    {
                        hd[t] = cosine
                            ? Math.Clamp(1f - TensorPrimitives.Dot(qr, x.RowReadOnly(hi[t])), 0f, 2f)
                            : TensorPrimitives.Distance(qr, data.RowReadOnly(hi[t]));
                    }

                    NeighborHeap.SortAscending(hd, hi, k);
                }
            },
            cancellationToken);

        return new KnnResult(indices, distances, q.Rows, k);
    }

    private static void Consider(float d2, int j, int row, bool self, Span<float> hd, Span<int> hi, ref int count, ref float bound)
    {
        if (d2 > bound || (self && j == row))
        {
            return;
        }

        NeighborHeap.Offer(hd, hi, ref count, d2, j);
        bound = NeighborHeap.Bound(hd, count);
    }

    private static void EnsureFinite(Matrix m, string what)
    {
        try
        {
            m.EnsureFinite(what);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, what, e);
        }
    }
}
