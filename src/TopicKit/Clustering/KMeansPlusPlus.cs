using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>
/// Greedy k-means++ seeding as scikit-learn does it: the first centre is a uniform draw; every further centre is the
/// best of 2 + ⌊ln k⌋ candidates drawn with probability proportional to the squared distance to the nearest centre
/// so far, "best" meaning the one that most lowers the total potential.
/// </summary>
internal static class KMeansPlusPlus
{
    public static float[] Seed(Matrix x, float[] xNorms, int k, Random rng, int maxDop, CancellationToken cancellationToken)
    {
        var n = x.Rows;
        var dim = x.Columns;
        var centers = new float[k * dim];
        var trials = 2 + (int)Math.Log(k);
        var chunks = new Chunking(n);

        var first = rng.Next(n);
        x.RowReadOnly(first).CopyTo(centers.AsSpan(0, dim));
        var closest = new float[n];
        var pot = Potentials(x, xNorms, centers.AsSpan(0, dim), 1, null, closest, chunks, maxDop, cancellationToken)[0];

        var candidateIds = new int[trials];
        var candidates = new float[trials * dim];
        var candidateDist = new float[trials * n];
        var cumulative = new double[n];
        for (var c = 1; c < k; c++)
        {
            var running = 0.0;
            for (var i = 0; i < n; i++)
            {
                running += closest[i];
                cumulative[i] = running;
            }

            for (var t = 0; t < trials; t++)
            {
                var target = rng.NextDouble() * pot;
                var id = LowerBound(cumulative, target);
                candidateIds[t] = Math.Min(id, n - 1);
                x.RowReadOnly(candidateIds[t]).CopyTo(candidates.AsSpan(t * dim, dim));
            }

            var pots = Potentials(x, xNorms, candidates, trials, closest, candidateDist, chunks, maxDop, cancellationToken);
            var bestTrial = 0;
            for (var t = 1; t < trials; t++)
            {
                if (pots[t] < pots[bestTrial])
                {
                    bestTrial = t;
                }
            }

            pot = pots[bestTrial];
            candidateDist.AsSpan(bestTrial * n, n).CopyTo(closest);
            x.RowReadOnly(candidateIds[bestTrial]).CopyTo(centers.AsSpan(c * dim, dim));
        }

        return centers;
    }

    /// <summary>First index whose cumulative value reaches <paramref name="target"/> (numpy searchsorted, side left).</summary>
    private static int LowerBound(double[] cumulative, double target)
    {
        int lo = 0, hi = cumulative.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cumulative[mid] < target)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    // For each candidate t: dist[t*n + i] = min(closest[i], ||x_i - cand_t||²) (or the plain distance when closest is
    // null) and its total, summed per fixed chunk then across chunks in order so the total is thread-count independent.
    private static double[] Potentials(
        Matrix x,
        float[] xNorms,
        ReadOnlySpan<float> candidates,
        int count,
        float[]? closest,
        float[] dist,
        Chunking chunks,
        int maxDop,
        CancellationToken cancellationToken)
    {
        var n = x.Rows;
        var dim = x.Columns;
        var cand = candidates[..(count * dim)].ToArray();
        var candNorms = RowOps.SquaredNorms(new Matrix(cand, count, dim));
        var partial = new double[chunks.Count * count];
        BlockParallel.For(
            chunks.Count,
            maxDop,
            () => new float[CentroidSearch.TileRows * count],
            (chunk, dots) =>
            {
                var (start, end) = chunks.Range(chunk);
                for (var r0 = start; r0 < end; r0 += CentroidSearch.TileRows)
                {
                    var rc = Math.Min(CentroidSearch.TileRows, end - r0);
                    DotKernel.Tile(x.Data.AsSpan(r0 * dim, rc * dim), rc, cand, count, dim, dots, count);
                    for (var r = 0; r < rc; r++)
                    {
                        var i = r0 + r;
                        for (var t = 0; t < count; t++)
                        {
                            var d2 = Math.Max(0f, xNorms[i] + candNorms[t] - (2f * dots[(r * count) + t]));
                            if (closest is not null)
                            {
                                d2 = Math.Min(d2, closest[i]);
                            }

                            dist[(t * n) + i] = d2;
                            partial[(chunk * count) + t] += d2;
                        }
                    }
                }
            },
            cancellationToken);

        var totals = new double[count];
        for (var chunk = 0; chunk < chunks.Count; chunk++)
        {
            for (var t = 0; t < count; t++)
            {
                totals[t] += partial[(chunk * count) + t];
            }
        }

        return totals;
    }
}
