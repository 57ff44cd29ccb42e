using System.Numerics.Tensors;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>
/// Mini-batch k-means in scikit-learn's MiniBatchKMeans scheme: k-means++ on a random initialisation subset (best of
/// NInit by inertia on that subset), then batches drawn with replacement; each centre moves to the running mean of all
/// points ever assigned to it (learning rate 1/count). Stops after MaxIter passes over the data or when the smoothed
/// batch inertia has not improved for 10 batches, then assigns every point once.
/// </summary>
internal static class MiniBatchKMeans
{
    private const int MaxNoImprovement = 10;

    public static KMeansRun Fit(Matrix x, KMeansOptions o, bool spherical, CancellationToken cancellationToken)
    {
        var n = x.Rows;
        var dim = x.Columns;
        var k = o.K;
        var batch = Math.Min(o.MiniBatchSize, n);
        var rng = new Random(KMeans.RunSeed(o.Seed, 0));

        // Initialisation subset, as scikit-learn: 3 x batch size, at least k points.
        var initSize = Math.Min(n, Math.Max(3 * batch, k));
        var initRows = SampleWithoutReplacement(n, initSize, rng);
        var initX = x.SelectRows(initRows);
        var initNorms = RowOps.SquaredNorms(initX);
        float[]? centers = null;
        var bestInertia = double.PositiveInfinity;
        for (var run = 0; run < o.NInit; run++)
        {
            var candidate = KMeansPlusPlus.Seed(initX, initNorms, k, new Random(KMeans.RunSeed(o.Seed, run + 1)), o.MaxDegreeOfParallelism, cancellationToken);
            if (spherical)
            {
                RowOps.NormalizeInPlace(new Matrix(candidate, k, dim));
            }

            var labels = KMeansAssign.Nearest(initX, new Matrix(candidate, k, dim), o.MaxDegreeOfParallelism);
            var inertia = KMeansEngine.Inertia(initX, candidate, labels, o.MaxDegreeOfParallelism).Inertia;
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                centers = candidate;
            }
        }

        var counts = new long[k];
        var batchRows = new int[batch];
        var batchX = new Matrix(batch, dim);
        var batchLabels = new int[batch];
        var batchD2 = new float[batch];
        var sums = new double[k * dim];
        var touched = new long[k];
        var steps = (int)Math.Min(int.MaxValue, (long)o.MaxIter * n / batch);
        var alpha = Math.Min(1.0, batch * 2.0 / (n + 1));
        double? ewa = null;
        var bestEwa = double.PositiveInfinity;
        var noImprovement = 0;
        var done = 0;
        var converged = false;
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            done = step + 1;
            for (var b = 0; b < batch; b++)
            {
                batchRows[b] = rng.Next(n);
                x.RowReadOnly(batchRows[b]).CopyTo(batchX.Row(b));
            }

            var centerMatrix = new Matrix(centers!, k, dim);
            KMeansAssign.Nearest(batchX, centerMatrix, RowOps.SquaredNorms(centerMatrix), batchLabels, batchD2, o.MaxDegreeOfParallelism, cancellationToken);

            Array.Clear(sums);
            Array.Clear(touched);
            var batchInertia = 0.0;
            for (var b = 0; b < batch; b++)
            {
                var c = batchLabels[b];
                touched[c]++;
                batchInertia += batchD2[b];
                var row = batchX.RowReadOnly(b);
                for (var t = 0; t < dim; t++)
                {
                    sums[(c * dim) + t] += row[t];
                }
            }

            for (var c = 0; c < k; c++)
            {
                if (touched[c] == 0)
                {
                    continue;
                }

                var center = centers.AsSpan(c * dim, dim);
                var total = counts[c] + touched[c];
                for (var t = 0; t < dim; t++)
                {
                    center[t] = (float)(((center[t] * (double)counts[c]) + sums[(c * dim) + t]) / total);
                }

                counts[c] = total;
                if (spherical)
                {
                    RowOps.NormalizeInPlace(center);
                }
            }

            batchInertia /= batch;
            ewa = ewa is null ? batchInertia : (ewa * (1 - alpha)) + (batchInertia * alpha);
            if (ewa < bestEwa)
            {
                bestEwa = ewa.Value;
                noImprovement = 0;
            }
            else if (++noImprovement >= MaxNoImprovement)
            {
                converged = true;
                break;
            }
        }

        var fullMatrix = new Matrix(centers!, k, dim);
        var finalLabels = new int[n];
        KMeansAssign.Nearest(x, fullMatrix, RowOps.SquaredNorms(fullMatrix), finalLabels, new float[n], o.MaxDegreeOfParallelism, cancellationToken);
        var (distances, finalInertia) = KMeansEngine.Inertia(x, centers!, finalLabels, o.MaxDegreeOfParallelism);
        return new KMeansRun(centers!, finalLabels, distances, finalInertia, done, converged);
    }

    private static int[] SampleWithoutReplacement(int n, int count, Random rng)
    {
        var all = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = rng.Next(i, n);
            (all[i], all[j]) = (all[j], all[i]);
        }

        var chosen = all[..count];
        Array.Sort(chosen);
        return chosen;
    }
}
