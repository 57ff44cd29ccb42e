using TopicKit.Neighbors;

namespace TopicKit.Reduction;

/// <summary>A sparse weighted graph in compressed-row form, columns sorted within each row.</summary>
internal sealed class SparseGraph(int rows, int columns, int[] rowStart, int[] cols, float[] weights)
{
    public int Rows { get; } = rows;

    public int Columns { get; } = columns;

    public int[] RowStart { get; } = rowStart;

    public int[] Cols { get; } = cols;

    public float[] Weights { get; } = weights;

    public int EdgeCount => Cols.Length;

    public float MaxWeight()
    {
        var max = 0f;
        foreach (var w in Weights)
        {
            max = Math.Max(max, w);
        }

        return max;
    }

    /// <summary>A copy without the edges lighter than <paramref name="threshold"/> (and without zero-weight edges).</summary>
    public SparseGraph Pruned(float threshold)
    {
        var start = new int[Rows + 1];
        var cols = new List<int>(Cols.Length);
        var weights = new List<float>(Cols.Length);
        for (var i = 0; i < Rows; i++)
        {
            for (var e = RowStart[i]; e < RowStart[i + 1]; e++)
            {
                if (Weights[e] > 0 && Weights[e] >= threshold)
                {
                    cols.Add(Cols[e]);
                    weights.Add(Weights[e]);
                }
            }

            start[i + 1] = cols.Count;
        }

        return new SparseGraph(Rows, Columns, start, [.. cols], [.. weights]);
    }
}

/// <summary>The fuzzy simplicial set of umap-learn: smooth k-NN distances, membership strengths and their fuzzy union.</summary>
internal static class UmapGraph
{
    private const double SmoothKTolerance = 1e-5;
    private const double MinKDistScale = 1e-3;

    /// <summary>
    /// Per-point rho (distance to the local-connectivity-th nonzero neighbour) and sigma (binary search so that the
    /// memberships of neighbours 1..k-1 sum to log2(k)), as umap-learn's smooth_knn_dist with 64 iterations.
    /// </summary>
    public static (float[] Sigmas, float[] Rhos) SmoothKnnDist(KnnResult knn, double localConnectivity, int maxDop)
    {
        var n = knn.Rows;
        var k = knn.K;
        var target = Math.Log2(k);
        var sigmas = new float[n];
        var rhos = new float[n];
        var meanAll = 0.0;
        foreach (var d in knn.Distances)
        {
            meanAll += d;
        }

        meanAll /= Math.Max(1, knn.Distances.Length);
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = maxDop }, i =>
        {
            var distances = knn.DistancesOf(i);
            var nonZero = 0;
            var rho = 0.0;
            foreach (var d in distances)
            {
                nonZero += d > 0 ? 1 : 0;
            }

            if (nonZero >= localConnectivity)
            {
                var index = (int)Math.Floor(localConnectivity);
                var interpolation = localConnectivity - index;
                if (index > 0)
                {
                    rho = NthNonZero(distances, index - 1);
                    if (interpolation > SmoothKTolerance)
                    {
                        rho += interpolation * (NthNonZero(distances, index) - rho);
                    }
                }
                else
                {
                    rho = interpolation * NthNonZero(distances, 0);
                }
            }
            else if (nonZero > 0)
            {
                foreach (var d in distances)
                {
                    rho = Math.Max(rho, d);
                }
            }

            double lo = 0, hi = double.PositiveInfinity, mid = 1;
            for (var iteration = 0; iteration < 64; iteration++)
            {
                var psum = 0.0;
                for (var j = 1; j < k; j++)
                {
                    var d = distances[j] - rho;
                    psum += d > 0 ? Math.Exp(-(d / mid)) : 1.0;
                }

                if (Math.Abs(psum - target) < SmoothKTolerance)
                {
                    break;
                }

                if (psum > target)
                {
                    hi = mid;
                    mid = (lo + hi) / 2;
                }
                else
                {
                    lo = mid;
                    mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2;
                }
            }

            var mean = 0.0;
            foreach (var d in distances)
            {
                mean += d;
            }

            mean /= k;
            var floor = MinKDistScale * (rho > 0 ? mean : meanAll);
            sigmas[i] = (float)Math.Max(mid, floor);
            rhos[i] = (float)rho;
        });
        return (sigmas, rhos);
    }

    /// <summary>Membership strength of every k-NN edge; with <paramref name="selfIsZero"/> a point's edge to itself weighs 0.</summary>
    public static float[] Memberships(KnnResult knn, float[] sigmas, float[] rhos, bool selfIsZero)
    {
        var weights = new float[knn.Indices.Length];
        for (var i = 0; i < knn.Rows; i++)
        {
            var indices = knn.IndicesOf(i);
            var distances = knn.DistancesOf(i);
            for (var j = 0; j < knn.K; j++)
            {
                float w;
                if (indices[j] < 0 || (selfIsZero && indices[j] == i))
                {
                    w = 0;
                }
                else if (distances[j] - rhos[i] <= 0 || sigmas[i] == 0)
                {
                    w = 1;
                }
                else
                {
                    w = (float)Math.Exp(-((distances[j] - rhos[i]) / (double)sigmas[i]));
                }

                weights[(i * knn.K) + j] = w;
            }
        }

        return weights;
    }

    /// <summary>The directed k-NN memberships as a graph (rows = queries, columns = reference points).</summary>
    public static SparseGraph Directed(KnnResult knn, float[] weights, int columns)
    {
        var start = new int[knn.Rows + 1];
        var cols = new List<int>(weights.Length);
        var values = new List<float>(weights.Length);
        var keys = new int[knn.K];
        var row = new float[knn.K];
        for (var i = 0; i < knn.Rows; i++)
        {
            knn.IndicesOf(i).CopyTo(keys);
            weights.AsSpan(i * knn.K, knn.K).CopyTo(row);
            Array.Sort(keys, row);
            for (var j = 0; j < keys.Length; j++)
            {
                if (row[j] > 0 && keys[j] >= 0)
                {
                    cols.Add(keys[j]);
                    values.Add(row[j]);
                }
            }

            start[i + 1] = cols.Count;
        }

        return new SparseGraph(knn.Rows, columns, start, [.. cols], [.. values]);
    }

    /// <summary>Fuzzy union A + Aᵀ - A∘Aᵀ (umap-learn's set_op_mix_ratio = 1) of a square directed graph.</summary>
    public static SparseGraph FuzzyUnion(SparseGraph a)
    {
        var n = a.Rows;
        var counts = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            for (var e = a.RowStart[i]; e < a.RowStart[i + 1]; e++)
            {
                var j = a.Cols[e];
                counts[i + 1]++;
                if (Find(a, j, i) < 0)
                {
                    counts[j + 1]++;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            counts[i + 1] += counts[i];
        }

        var cols = new int[counts[n]];
        var weights = new float[counts[n]];
        var fill = (int[])counts.Clone();
        for (var i = 0; i < n; i++)
        {
            for (var e = a.RowStart[i]; e < a.RowStart[i + 1]; e++)
            {
                var j = a.Cols[e];
                var w = a.Weights[e];
                var back = Find(a, j, i);
                var value = back < 0 ? w : w + a.Weights[back] - (w * a.Weights[back]);
                cols[fill[i]] = j;
                weights[fill[i]++] = value;
                if (back < 0)
                {
                    cols[fill[j]] = i;
                    weights[fill[j]++] = value;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            Array.Sort(cols, weights, counts[i], counts[i + 1] - counts[i]);
        }

        return new SparseGraph(n, n, counts, cols, weights);
    }

    private static int Find(SparseGraph g, int row, int column)
    {
        var position = Array.BinarySearch(g.Cols, g.RowStart[row], g.RowStart[row + 1] - g.RowStart[row], column);
        return position >= 0 ? position : -1;
    }

    private static double NthNonZero(ReadOnlySpan<float> distances, int nth)
    {
        foreach (var d in distances)
        {
            if (d > 0 && nth-- == 0)
            {
                return d;
            }
        }

        return 0;
    }
}
