using System.Numerics;
using System.Runtime.InteropServices;
using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>
/// Core distances by brute force and Prim's MST over the implicit dense mutual-reachability matrix:
/// O(N^2 d) time and O(N) extra memory. Meant for high-dimensional data of moderate size where tree pruning fails.
/// </summary>
internal static class HdbscanPrim
{
    private const int Chunk = 256;
    private const int ParallelStepMinPoints = 8192;

    // Spare neighbours fetched beyond k so that float rounding in the candidate search cannot drop the true k-th.
    private const int CandidateSlack = 4;

    /// <summary>Returns squared core distances and the MST edges (squared weights) for row-major points.</summary>
    public static (double[] Core2, MstEdge[] Edges) Run(double[] points, int n, int d, int minSamples, ParallelOptions parallel)
    {
        var core2 = CoreDistances(points, n, d, minSamples, parallel);
        var edges = new MstEdge[Math.Max(0, n - 1)];
        if (n < 2)
        {
            return (core2, edges);
        }

        var inTree = new bool[n];
        var best = new double[n];
        Array.Fill(best, double.PositiveInfinity);
        var chunks = (n + Chunk - 1) / Chunk;
        var chunkBest = new double[chunks];
        var chunkArg = new int[chunks];
        var current = 0;
        inTree[0] = true;
        for (var step = 0; step < n - 1; step++)
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            var source = current;
            void Relax(int chunk)
            {
                var a = points.AsSpan(source * d, d);
                var coreA = core2[source];
                var localBest = double.PositiveInfinity;
                var localArg = -1;
                var end = Math.Min(n, (chunk + 1) * Chunk);
                for (var j = chunk * Chunk; j < end; j++)
                {
                    if (inTree[j])
                    {
                        continue;
                    }

                    var w = Math.Max(coreA, core2[j]);
                    if (w < best[j])
                    {
                        w = Math.Max(w, Distance2(a, points.AsSpan(j * d, d)));
                        if (w < best[j])
                        {
                            best[j] = w;
                        }
                    }

                    if (best[j] < localBest)
                    {
                        localBest = best[j];
                        localArg = j;
                    }
                }

                chunkBest[chunk] = localBest;
                chunkArg[chunk] = localArg;
            }

            // One step is O(N d): below a few thousand points a parallel loop per step costs more than it saves.
            if (n >= ParallelStepMinPoints)
            {
                Parallel.For(0, chunks, parallel, Relax);
            }
            else
            {
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    Relax(chunk);
                }
            }

            var next = -1;
            var nextW = double.PositiveInfinity;
            for (var c = 0; c < chunks; c++)
            {
                if (chunkArg[c] >= 0 && (next < 0 || chunkBest[c] < nextW))
                {
                    next = chunkArg[c];
                    nextW = chunkBest[c];
                }
            }

            if (next < 0)
            {
                throw new InvalidOperationException("HDBSCAN spanning tree made no progress; the input may contain non-finite values.");
            }

            inTree[next] = true;
            edges[step] = new MstEdge(next, current, nextW);
            current = next;
        }

        return (core2, edges);
    }

    /// <summary>
    /// Squared distance to the (minSamples-1)-th nearest other row. Candidates come from the blocked brute-force
    /// <see cref="ExactKnn"/> (float, expanded form) with a few spare neighbours; their distances are recomputed
    /// here in double with <see cref="Distance2"/>, the kernel the spanning tree uses, so both agree exactly.
    /// </summary>
    public static double[] CoreDistances(double[] points, int n, int d, int minSamples, ParallelOptions parallel)
    {
        var core2 = new double[n];
        var k = Math.Min(minSamples - 1, n - 1);
        if (k <= 0)
        {
            return core2;
        }

        var asFloat = new Matrix(n, d);
        for (var i = 0; i < points.Length; i++)
        {
            asFloat.Data[i] = (float)points[i];
        }

        var candidates = Math.Min(n - 1, k + CandidateSlack);
        var knn = ExactKnn.SearchSelf(asFloat, candidates, DistanceMetric.Euclidean, parallel.MaxDegreeOfParallelism, parallel.CancellationToken);
        Parallel.For(0, n, parallel, i =>
        {
            var a = points.AsSpan(i * d, d);
            var rows = knn.IndicesOf(i);
            Span<double> exact = candidates <= 256 ? stackalloc double[candidates] : new double[candidates];
            for (var c = 0; c < candidates; c++)
            {
                exact[c] = Distance2(a, points.AsSpan(rows[c] * d, d));
            }

            exact.Sort();
            core2[i] = exact[k - 1];
        });
        return core2;
    }

    /// <summary>Squared Euclidean distance with SIMD lanes and a scalar tail (fixed order: deterministic).</summary>
    internal static double Distance2(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        var j = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count * 2)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            var acc = Vector<double>.Zero;
            for (var v = 0; v < va.Length; v++)
            {
                var diff = va[v] - vb[v];
                acc += diff * diff;
            }

            sum = Vector.Sum(acc);
            j = va.Length * Vector<double>.Count;
        }

        for (; j < a.Length; j++)
        {
            var diff = a[j] - b[j];
            sum += diff * diff;
        }

        return sum;
    }
}
