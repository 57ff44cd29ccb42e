using System.Numerics.Tensors;
using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Reduction;

/// <summary>
/// Trustworthiness of an embedding (Venna and Kaski 2001), exactly as <c>sklearn.manifold.trustworthiness</c>:
/// <c>1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in N_k^emb(i)} max(0, r(i, j) - k)</c>, where r(i, j) is the
/// rank of j among i's neighbours in the original space. 1 means every embedded neighbourhood is a true one.
/// </summary>
public static class Trustworthiness
{
    /// <summary>Computes the trustworthiness with exact neighbours (O(n^2 d)).</summary>
    /// <param name="original">The high-dimensional points (n x d).</param>
    /// <param name="embedded">Their low-dimensional coordinates (n x c); neighbours there are Euclidean.</param>
    /// <param name="neighbors">k, at least 1 and below n / 2.</param>
    /// <param name="metric">Distance of the original space. Default Euclidean.</param>
    /// <param name="cancellationToken">Stops the computation.</param>
    /// <exception cref="ArgumentException">When the row counts differ or k is out of range.</exception>
    public static double Compute(Matrix original, Matrix embedded, int neighbors = 5, DistanceMetric metric = DistanceMetric.Euclidean, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(embedded);
        var n = original.Rows;
        if (embedded.Rows != n)
        {
            throw new ArgumentException($"The original data has {n} rows but the embedding has {embedded.Rows}.", nameof(embedded));
        }

        if (neighbors < 1 || neighbors >= n / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(neighbors), $"Trustworthiness needs 1 <= k < n / 2 = {n / 2.0}; got {neighbors}.");
        }

        var source = metric == DistanceMetric.Cosine ? RowOps.NormalizedCopy(original) : original;
        var penalties = new long[n];
        // Small inputs run on one thread: the per-row work is independent, so the result is the same either way.
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = (long)n * n * original.Columns < 1 << 20 ? 1 : -1 };
        Parallel.For(0, n, options, () => (new float[n], new float[n], new int[neighbors]), (i, _, buffers) =>
        {
            var (high, low, nearest) = buffers;
            var xi = source.RowReadOnly(i);
            var yi = embedded.RowReadOnly(i);
            for (var j = 0; j < n; j++)
            {
                high[j] = metric == DistanceMetric.Cosine
                    ? 1f - TensorPrimitives.Dot(xi, source.RowReadOnly(j))
                    : TensorPrimitives.Distance(xi, source.RowReadOnly(j));
                low[j] = TensorPrimitives.Distance(yi, embedded.RowReadOnly(j));
            }

            low[i] = float.PositiveInfinity;
            SmallestK(low, nearest);
            long penalty = 0;
            foreach (var j in nearest)
            {
                // Rank (1-based, self excluded) of j among i's original-space neighbours; ties broken by index.
                var rank = 1;
                var dj = high[j];
                for (var m = 0; m < n; m++)
                {
                    if (m != i && (high[m] < dj || (high[m] == dj && m < j)))
                    {
                        rank++;
                    }
                }

                penalty += Math.Max(0, rank - neighbors);
            }

            penalties[i] = penalty;
            return buffers;
        }, _ => { });

        var total = 0.0;
        foreach (var p in penalties)
        {
            total += p;
        }

        return 1.0 - (total * (2.0 / (n * (double)neighbors * ((2.0 * n) - (3.0 * neighbors) - 1.0))));
    }

    private static void SmallestK(float[] values, int[] result)
    {
        // Insertion into a sorted window: k is small next to n.
        var k = result.Length;
        var best = new float[k];
        best.AsSpan().Fill(float.PositiveInfinity);
        result.AsSpan().Fill(-1);
        for (var j = 0; j < values.Length; j++)
        {
            var v = values[j];
            if (v >= best[k - 1])
            {
                continue;
            }

            var p = k - 1;
            while (p > 0 && best[p - 1] > v)
            {
                best[p] = best[p - 1];
                result[p] = result[p - 1];
                p--;
            }

            best[p] = v;
            result[p] = j;
        }
    }
}
