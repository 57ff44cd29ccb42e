using System.Numerics;
using System.Runtime.InteropServices;

namespace TopicKit.Clustering;

/// <summary>
/// Core distances by brute force and Prim's MST over the implicit dense mutual-reachability matrix:
/// O(N^2 d) time and O(N) extra memory. Meant for high-dimensional data of moderate size where tree pruning fails.
/// </summary>
internal static class HdbscanPrim
{
    private const int Chunk = 256;
    private const int ParallelStepMinPoints = 8192;

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

    /// <summary>Squared distance to the (minSamples-1)-th nearest other row, by brute force.</summary>
    public static double[] CoreDistances(double[] points, int n, int d, int minSamples, ParallelOptions parallel)
    {
        var core2 = new double[n];
        var k = Math.Min(minSamples - 1, n - 1);
        if (k <= 0)
        {
            return core2;
        }

        var chunks = (n + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, parallel, chunk =>
        {
            // A max-heap of the k smallest squared distances (values only: ties need no index here).
            var heap = new double[k];
            var end = Math.Min(n, (chunk + 1) * Chunk);
            for (var i = chunk * Chunk; i < end; i++)
            {
                var a = points.AsSpan(i * d, d);
                var count = 0;
                for (var j = 0; j < n; j++)
                {
                    if (j == i)
                    {
                        continue;
                    }

                    var v = Distance2(a, points.AsSpan(j * d, d));
                    if (count < k)
                    {
                        heap[count++] = v;
                        SiftUp(heap, count - 1);
                    }
                    else if (v < heap[0])
                    {
                        heap[0] = v;
                        SiftDown(heap, k);
                    }
                }

                core2[i] = heap[0];
            }
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

    private static void SiftUp(double[] heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (heap[i] <= heap[parent])
            {
                return;
            }

            (heap[i], heap[parent]) = (heap[parent], heap[i]);
            i = parent;
        }
    }

    private static void SiftDown(double[] heap, int count)
    {
        var i = 0;
        while (true)
        {
            var l = (2 * i) + 1;
            if (l >= count)
            {
                return;
            }

            var largest = l + 1 < count && heap[l + 1] > heap[l] ? l + 1 : l;
            if (heap[largest] <= heap[i])
            {
                return;
            }

            (heap[i], heap[largest]) = (heap[largest], heap[i]);
            i = largest;
        }
    }
}
