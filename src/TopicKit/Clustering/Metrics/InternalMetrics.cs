using System.Numerics;
using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Clustering.Metrics;

/// <summary>
/// Cluster-validity indices computed from the points and their labels alone (no reference labelling), with
/// scikit-learn's definitions. Points labelled below 0 (noise) are left out of every index.
/// </summary>
public static class InternalMetrics
{
    private const int RowBlock = 32;

    /// <summary>Mean silhouette coefficient over all non-noise points, exact (O(N² d)).</summary>
    /// <param name="data">Points (N x d).</param>
    /// <param name="labels">Cluster label per point; labels &lt; 0 are noise and are excluded.</param>
    /// <param name="metric">Euclidean or cosine (1 - cos) distance.</param>
    /// <param name="maxDegreeOfParallelism">Threads; -1 for all. The result does not depend on it.</param>
    /// <exception cref="ArgumentException">When the labels do not form 2..n-1 clusters among the non-noise points.</exception>
    public static double Silhouette(
        Matrix data, ReadOnlySpan<int> labels, DistanceMetric metric = DistanceMetric.Euclidean, int maxDegreeOfParallelism = -1)
    {
        var samples = SilhouetteSamples(data, labels, metric, maxDegreeOfParallelism);
        var sum = 0.0;
        var count = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            if (labels[i] >= 0)
            {
                sum += samples[i];
                count++;
            }
        }

        return sum / count;
    }

    /// <summary>
    /// Mean silhouette of a seeded random sample of <paramref name="sampleSize"/> non-noise points, computed on the
    /// sample alone (as scikit-learn's <c>sample_size</c>); exact when the sample would cover every point.
    /// </summary>
    /// <param name="data">Points (N x d).</param>
    /// <param name="labels">Cluster label per point; labels &lt; 0 are noise and are excluded.</param>
    /// <param name="sampleSize">Points to sample (at least 2).</param>
    /// <param name="seed">Seed of the sample; the same seed gives the same sample.</param>
    /// <param name="metric">Euclidean or cosine distance.</param>
    /// <param name="maxDegreeOfParallelism">Threads; -1 for all.</param>
    public static double SilhouetteSampled(
        Matrix data,
        ReadOnlySpan<int> labels,
        int sampleSize,
        int seed,
        DistanceMetric metric = DistanceMetric.Euclidean,
        int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 2);
        var kept = NonNoise(labels);
        if (sampleSize >= kept.Length)
        {
            return Silhouette(data, labels, metric, maxDegreeOfParallelism);
        }

        var rng = new Random(seed);
        for (var i = 0; i < sampleSize; i++)
        {
            var j = rng.Next(i, kept.Length);
            (kept[i], kept[j]) = (kept[j], kept[i]);
        }

        var chosen = kept.AsSpan(0, sampleSize);
        chosen.Sort();
        var subLabels = new int[sampleSize];
        for (var i = 0; i < sampleSize; i++)
        {
            subLabels[i] = labels[chosen[i]];
        }

        return Silhouette(data.SelectRows(chosen), subLabels, metric, maxDegreeOfParallelism);
    }

    /// <summary>Silhouette coefficient of every point: (b - a) / max(a, b); 0 for points alone in their cluster and for noise.</summary>
    /// <param name="data">Points (N x d).</param>
    /// <param name="labels">Cluster label per point; labels &lt; 0 are noise (value 0, not used by others).</param>
    /// <param name="metric">Euclidean or cosine distance.</param>
    /// <param name="maxDegreeOfParallelism">Threads; -1 for all.</param>
    public static double[] SilhouetteSamples(
        Matrix data, ReadOnlySpan<int> labels, DistanceMetric metric = DistanceMetric.Euclidean, int maxDegreeOfParallelism = -1)
    {
        var prepared = Prepare(data, labels);
        var k = prepared.Sizes.Length;
        if (k < 2 || k > prepared.Points.Rows - 1)
        {
            throw new ArgumentException(
                $"Silhouette needs between 2 and n-1 clusters; the labels form {k} cluster(s) over {prepared.Points.Rows} non-noise point(s).", nameof(labels));
        }

        var x = metric == DistanceMetric.Cosine ? RowOps.NormalizedCopy(prepared.Points) : prepared.Points;
        var norms = RowOps.SquaredNorms(x);
        var n = x.Rows;
        var dim = x.Columns;
        var lab = prepared.Labels;
        var sizes = prepared.Sizes;
        var values = new double[n];
        var dataBlock = Math.Clamp((1 << 16) / Math.Max(dim, 1), 64, 2048) & ~1;
        var blocks = (n + RowBlock - 1) / RowBlock;
        BlockParallel.For(
            blocks,
            (long)n * n * Math.Max(dim, 1) < (1L << 22) ? 1 : maxDegreeOfParallelism,
            () => (Tile: new float[RowBlock * dataBlock], Sums: new double[RowBlock * k]),
            (block, s) =>
            {
                var r0 = block * RowBlock;
                var rCount = Math.Min(RowBlock, n - r0);
                Array.Clear(s.Sums);
                var rows = x.Data.AsSpan(r0 * dim, rCount * dim);
                for (var c0 = 0; c0 < n; c0 += dataBlock)
                {
                    var cCount = Math.Min(dataBlock, n - c0);
                    DotKernel.Tile(rows, rCount, x.Data.AsSpan(c0 * dim, cCount * dim), cCount, dim, s.Tile, dataBlock);
                    for (var r = 0; r < rCount; r++)
                    {
                        var i = r0 + r;
                        var sums = s.Sums.AsSpan(r * k, k);
                        var dots = s.Tile.AsSpan(r * dataBlock, cCount);
                        for (var c = 0; c < cCount; c++)
                        {
                            var j = c0 + c;
                            if (j == i)
                            {
                                continue;
                            }

                            var d = metric == DistanceMetric.Cosine
                                ? Math.Max(0f, 1f - dots[c])
                                : MathF.Sqrt(Math.Max(0f, norms[i] + norms[j] - (2f * dots[c])));
                            sums[lab[j]] += d;
                        }
                    }
                }

                for (var r = 0; r < rCount; r++)
                {
                    var i = r0 + r;
                    var own = lab[i];
                    if (sizes[own] <= 1)
                    {
                        continue;
                    }

                    var sums = s.Sums.AsSpan(r * k, k);
                    var a = sums[own] / (sizes[own] - 1);
                    var b = double.PositiveInfinity;
                    for (var c = 0; c < k; c++)
                    {
                        if (c != own)
                        {
                            b = Math.Min(b, sums[c] / sizes[c]);
                        }
                    }

                    var m = Math.Max(a, b);
                    values[i] = m > 0 ? (b - a) / m : 0;
                }
            },
            CancellationToken.None);

        var result = new double[labels.Length];
        for (var t = 0; t < prepared.Index.Length; t++)
        {
            result[prepared.Index[t]] = values[t];
        }

        return result;
    }

    /// <summary>
    /// Davies-Bouldin index (lower is better): mean over clusters of max_j (S_i + S_j) / ||c_i - c_j||, with S the mean
    /// Euclidean distance of a cluster's points to its centroid. 0 when all scatters or all centroid gaps are 0.
    /// </summary>
    /// <exception cref="ArgumentException">When the labels do not form 2..n-1 clusters.</exception>
    public static double DaviesBouldin(Matrix data, ReadOnlySpan<int> labels)
    {
        var (points, lab, sizes, centroids) = Centroids(data, labels);
        var k = sizes.Length;
        var dim = points.Columns;
        var scatter = new double[k];
        for (var i = 0; i < points.Rows; i++)
        {
            scatter[lab[i]] += Distance(points.RowReadOnly(i), centroids.AsSpan(lab[i] * dim, dim));
        }

        for (var c = 0; c < k; c++)
        {
            scatter[c] /= sizes[c];
        }

        var gaps = new double[k * k];
        var allGapsZero = true;
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < k; b++)
            {
                gaps[(a * k) + b] = Distance<double>(centroids.AsSpan(a * dim, dim), centroids.AsSpan(b * dim, dim));
                allGapsZero &= gaps[(a * k) + b] <= 1e-8;
            }
        }

        if (scatter.All(s => s <= 1e-8) || allGapsZero)
        {
            return 0;
        }

        var total = 0.0;
        for (var a = 0; a < k; a++)
        {
            var worst = 0.0;
            for (var b = 0; b < k; b++)
            {
                var gap = gaps[(a * k) + b];
                if (b != a && gap > 0)
                {
                    worst = Math.Max(worst, (scatter[a] + scatter[b]) / gap);
                }
            }

            total += worst;
        }

        return total / k;
    }

    /// <summary>
    /// Calinski-Harabasz variance ratio (higher is better): [B / (k - 1)] / [W / (n - k)] with B the between-cluster
    /// and W the within-cluster sum of squares; 1 when W is 0.
    /// </summary>
    /// <exception cref="ArgumentException">When the labels do not form 2..n-1 clusters.</exception>
    public static double CalinskiHarabasz(Matrix data, ReadOnlySpan<int> labels)
    {
        var (points, lab, sizes, centroids) = Centroids(data, labels);
        var k = sizes.Length;
        var n = points.Rows;
        var dim = points.Columns;
        var mean = new double[dim];
        for (var c = 0; c < k; c++)
        {
            for (var t = 0; t < dim; t++)
            {
                mean[t] += centroids[(c * dim) + t] * sizes[c] / n;
            }
        }

        var between = 0.0;
        for (var c = 0; c < k; c++)
        {
            var d = Distance<double>(centroids.AsSpan(c * dim, dim), mean);
            between += sizes[c] * d * d;
        }

        var within = 0.0;
        for (var i = 0; i < n; i++)
        {
            var d = Distance(points.RowReadOnly(i), centroids.AsSpan(lab[i] * dim, dim));
            within += d * d;
        }

        return within == 0 ? 1.0 : between * (n - k) / (within * (k - 1));
    }

    private static (Matrix Points, int[] Labels, long[] Sizes, double[] Centroids) Centroids(Matrix data, ReadOnlySpan<int> labels)
    {
        var p = Prepare(data, labels);
        var k = p.Sizes.Length;
        if (k < 2 || k > p.Points.Rows - 1)
        {
            throw new ArgumentException(
                $"The index needs between 2 and n-1 clusters; the labels form {k} cluster(s) over {p.Points.Rows} non-noise point(s).", nameof(labels));
        }

        var dim = p.Points.Columns;
        var centroids = new double[k * dim];
        for (var i = 0; i < p.Points.Rows; i++)
        {
            var row = p.Points.RowReadOnly(i);
            var c = centroids.AsSpan(p.Labels[i] * dim, dim);
            for (var t = 0; t < dim; t++)
            {
                c[t] += row[t];
            }
        }

        for (var c = 0; c < k; c++)
        {
            for (var t = 0; t < dim; t++)
            {
                centroids[(c * dim) + t] /= p.Sizes[c];
            }
        }

        return (p.Points, p.Labels, p.Sizes, centroids);
    }

    // Accumulates in double so the indices match scikit-learn's float64 arithmetic closely.
    private static double Distance<T>(ReadOnlySpan<T> a, ReadOnlySpan<double> b)
        where T : INumberBase<T>
    {
        var s = 0.0;
        for (var t = 0; t < a.Length; t++)
        {
            var d = double.CreateTruncating(a[t]) - b[t];
            s += d * d;
        }

        return Math.Sqrt(s);
    }

    private static int[] NonNoise(ReadOnlySpan<int> labels)
    {
        var kept = new List<int>(labels.Length);
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= 0)
            {
                kept.Add(i);
            }
        }

        return [.. kept];
    }

    private sealed record Prepared(Matrix Points, int[] Index, int[] Labels, long[] Sizes);

    // Drops noise and maps the remaining labels to dense 0..k-1 in ascending label order.
    private static Prepared Prepare(Matrix data, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (labels.Length != data.Rows)
        {
            throw new ArgumentException($"There are {labels.Length} labels for {data.Rows} points; give one label per point.", nameof(labels));
        }

        data.EnsureFinite("clustering metric input");

        var index = NonNoise(labels);
        var distinct = new SortedSet<int>();
        foreach (var i in index)
        {
            distinct.Add(labels[i]);
        }

        var map = distinct.Select((label, dense) => (label, dense)).ToDictionary(t => t.label, t => t.dense);
        var dense = new int[index.Length];
        var sizes = new long[map.Count];
        for (var t = 0; t < index.Length; t++)
        {
            dense[t] = map[labels[index[t]]];
            sizes[dense[t]]++;
        }

        var points = index.Length == data.Rows ? data : data.SelectRows(index);
        return new Prepared(points, index, dense, sizes);
    }
}
