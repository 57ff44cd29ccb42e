using TopicKit.Neighbors;

namespace TopicKit.Clustering;

/// <summary>An edge of the mutual-reachability minimum spanning tree, between original rows.</summary>
internal readonly record struct MstEdge(int A, int B, double Weight2)
{
    /// <summary>Total order used everywhere: (weight, smaller row, larger row). Distinct edges never tie.</summary>
    public static int Compare(MstEdge x, MstEdge y)
    {
        var c = x.Weight2.CompareTo(y.Weight2);
        if (c != 0)
        {
            return c;
        }

        c = Math.Min(x.A, x.B).CompareTo(Math.Min(y.A, y.B));
        return c != 0 ? c : Math.Max(x.A, x.B).CompareTo(Math.Max(y.A, y.B));
    }
}

/// <summary>Core distances and the mutual-reachability MST over a <see cref="KdTree"/> (Boruvka, single-tree).</summary>
/// <remarks>
/// All values are squared Euclidean distances. Every round, each point looks for its lightest edge to another
/// component under the key (weight, other row), pruning tree nodes that lie inside its own component, whose
/// lower bound max(core(p), min core in node, box distance) exceeds the best so far, or exceeds the best edge
/// already known for the component. The component's lightest edge is then the minimum over its points by the
/// total <see cref="MstEdge.Compare"/> order, which no pruning or thread schedule can change.
/// </remarks>
internal sealed partial class HdbscanBoruvka
{
    private const int Chunk = 512;
    private readonly KdTree tree;
    private readonly int k;
    private readonly ParallelOptions parallel;
    private readonly double[] core2;
    private readonly int[] knn;
    private readonly bool[] tieAtCore;
    private readonly double[] nodeMinCore2;
    private readonly int[] comp;
    private readonly int[] nodeComp;
    private readonly int[] unionParent;
    private double[] compBound = [];

    private HdbscanBoruvka(KdTree tree, int minSamples, ParallelOptions parallel)
    {
        this.tree = tree;
        this.parallel = parallel;
        var n = tree.Count;
        k = Math.Min(minSamples - 1, Math.Max(0, n - 1));
        core2 = new double[n];
        knn = new int[(long)n * k];
        tieAtCore = new bool[n];
        nodeMinCore2 = new double[tree.NodeCount];
        comp = new int[n];
        nodeComp = new int[tree.NodeCount];
        unionParent = new int[n];
    }

    /// <summary>Computes squared core distances (by original row) and the MST edges.</summary>
    public static (double[] Core2, MstEdge[] Edges) Run(KdTree tree, int minSamples, ParallelOptions parallel)
    {
        var b = new HdbscanBoruvka(tree, minSamples, parallel);
        b.ComputeCoreDistances();
        var edges = b.PrimOrder(b.SpanningTree());
        var byRow = new double[tree.Count];
        for (var pos = 0; pos < tree.Count; pos++)
        {
            byRow[tree.Order[pos]] = b.core2[pos];
        }

        return (byRow, edges);
    }

    private void ComputeCoreDistances()
    {
        var n = tree.Count;
        var d = tree.Dimensions;
        var want = Math.Min(k + 1, n - 1);
        if (k > 0)
        {
            var chunks = (n + Chunk - 1) / Chunk;
            Parallel.For(0, chunks, parallel, chunk =>
            {
                var positions = new int[want];
                var dist2 = new double[want];
                var end = Math.Min(n, (chunk + 1) * Chunk);
                for (var p = chunk * Chunk; p < end; p++)
                {
                    var found = tree.Knn(tree.Points.AsSpan(p * d, d), want, p, positions, dist2);
                    Array.Copy(positions, 0, knn, (long)p * k, k);
                    core2[p] = dist2[k - 1];
                    tieAtCore[p] = found > k && dist2[k] == dist2[k - 1];
                }
            });
        }

        tree.ComputeNodeMinimum(core2, nodeMinCore2);
    }

    private MstEdge[] SpanningTree()
    {
        var n = tree.Count;
        var edges = new List<MstEdge>(Math.Max(0, n - 1));
        for (var i = 0; i < n; i++)
        {
            unionParent[i] = i;
        }

        var leaves = new List<int>();
        for (var node = 0; node < tree.NodeCount; node++)
        {
            if (tree.NodeLeft[node] < 0)
            {
                leaves.Add(node);
            }
        }

        var none = new MstEdge(-1, -1, double.PositiveInfinity);
        var pointBest = new MstEdge[n];
        var leafBest = new MstEdge[leaves.Count];
        compBound = new double[n];
        var compBest = new MstEdge[n];
        while (edges.Count < n - 1)
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            for (var p = 0; p < n; p++)
            {
                comp[p] = Find(p);
            }

            LabelNodes();
            Array.Fill(compBound, double.PositiveInfinity);

            // A leaf inside one component searches once for all its points (box-to-box bounds); a leaf spanning
            // several components searches point by point.
            Parallel.For(0, leaves.Count, parallel, li =>
            {
                var leaf = leaves[li];
                if (nodeComp[leaf] >= 0 && tree.NodeEnd[leaf] - tree.NodeStart[leaf] > 1)
                {
                    leafBest[li] = LeafLightestEdge(leaf);
                    return;
                }

                leafBest[li] = none;
                for (var p = tree.NodeStart[leaf]; p < tree.NodeEnd[leaf]; p++)
                {
                    FindLightestEdge(p, out var w, out var q);
                    pointBest[p] = q < 0 ? none : new MstEdge(tree.Order[p], tree.Order[q], w);
                }
            });

            Array.Fill(compBest, none);
            for (var li = 0; li < leaves.Count; li++)
            {
                var leaf = leaves[li];
                if (nodeComp[leaf] >= 0 && tree.NodeEnd[leaf] - tree.NodeStart[leaf] > 1)
                {
                    Offer(ref compBest[nodeComp[leaf]], leafBest[li]);
                    continue;
                }

                for (var p = tree.NodeStart[leaf]; p < tree.NodeEnd[leaf]; p++)
                {
                    Offer(ref compBest[comp[p]], pointBest[p]);
                }
            }

            var added = 0;
            for (var c = 0; c < n; c++)
            {
                var e = compBest[c];
                if (e.A < 0)
                {
                    continue;
                }

                var ra = Find(tree.Position[e.A]);
                var rb = Find(tree.Position[e.B]);
                if (ra == rb)
                {
                    continue;
                }

                unionParent[Math.Max(ra, rb)] = Math.Min(ra, rb);
                edges.Add(e);
                added++;
            }

            if (added == 0)
            {
                throw new InvalidOperationException("HDBSCAN spanning tree made no progress; the input may contain non-finite values.");
            }
        }

        return [.. edges];
    }

    private int Find(int x)
    {
        var root = x;
        while (unionParent[root] != root)
        {
            root = unionParent[root];
        }

        while (unionParent[x] != root)
        {
            var next = unionParent[x];
            unionParent[x] = root;
            x = next;
        }

        return root;
    }

    private void LabelNodes()
    {
        for (var node = tree.NodeCount - 1; node >= 0; node--)
        {
            var left = tree.NodeLeft[node];
            if (left >= 0)
            {
                var l = nodeComp[left];
                nodeComp[node] = l >= 0 && l == nodeComp[tree.NodeRight[node]] ? l : -1;
                continue;
            }

            var c = comp[tree.NodeStart[node]];
            for (var pos = tree.NodeStart[node] + 1; pos < tree.NodeEnd[node]; pos++)
            {
                if (comp[pos] != c)
                {
                    c = -1;
                    break;
                }
            }

            nodeComp[node] = c;
        }
    }
}
