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
internal sealed class HdbscanBoruvka
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

        for (var node = tree.NodeCount - 1; node >= 0; node--)
        {
            var left = tree.NodeLeft[node];
            if (left >= 0)
            {
                nodeMinCore2[node] = Math.Min(nodeMinCore2[left], nodeMinCore2[tree.NodeRight[node]]);
                continue;
            }

            var min = double.PositiveInfinity;
            for (var pos = tree.NodeStart[node]; pos < tree.NodeEnd[node]; pos++)
            {
                min = Math.Min(min, core2[pos]);
            }

            nodeMinCore2[node] = min;
        }
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

    /// <summary>
    /// Re-derives the tree in the order Prim's algorithm from row 0 adds vertices on the full mutual-reachability
    /// graph, lowest row first among equal keys (R dbscan's prims()), returning (new vertex, previous vertex, key)
    /// edges in that order. Prim runs on the MST plus every k-nearest-neighbour edge: each step's candidates are
    /// the lightest edges across the cut, which lie in that graph whenever the weight is set by a core distance,
    /// so only ties between two raw distances can be ordered differently from the dense computation.
    /// </summary>
    private MstEdge[] PrimOrder(MstEdge[] mst)
    {
        var n = tree.Count;
        if (n < 2)
        {
            return mst;
        }

        var start = new int[n + 1];
        foreach (var e in mst)
        {
            start[tree.Position[e.A] + 1]++;
            start[tree.Position[e.B] + 1]++;
        }

        for (var p = 0; p < n; p++)
        {
            for (var i = 0; i < k; i++)
            {
                start[p + 1]++;
                start[knn[((long)p * k) + i] + 1]++;
            }
        }

        for (var p = 0; p < n; p++)
        {
            start[p + 1] += start[p];
        }

        var fill = (int[])start.Clone();
        var adjacency = new int[start[n]];
        foreach (var e in mst)
        {
            var a = tree.Position[e.A];
            var b = tree.Position[e.B];
            adjacency[fill[a]++] = b;
            adjacency[fill[b]++] = a;
        }

        for (var p = 0; p < n; p++)
        {
            for (var i = 0; i < k; i++)
            {
                var q = knn[((long)p * k) + i];
                adjacency[fill[p]++] = q;
                adjacency[fill[q]++] = p;
            }
        }

        var d = tree.Dimensions;
        var key = new double[n];
        Array.Fill(key, double.PositiveInfinity);
        var inTree = new bool[n];
        var heap = new PriorityQueue<int, (double Weight, int Row)>(n);
        var ordered = new MstEdge[n - 1];
        var current = tree.Position[0];
        inTree[current] = true;
        for (var step = 0; step < n - 1; step++)
        {
            for (var i = start[current]; i < start[current + 1]; i++)
            {
                var q = adjacency[i];
                if (inTree[q])
                {
                    continue;
                }

                var w = Math.Max(Math.Max(core2[current], core2[q]), KdTree.Distance2(tree.Points.AsSpan(current * d, d), tree.Points.AsSpan(q * d, d)));
                if (w < key[q])
                {
                    key[q] = w;
                    heap.Enqueue(q, (w, tree.Order[q]));
                }
            }

            int next;
            do
            {
                next = heap.Dequeue();
            }
            while (inTree[next]);

            inTree[next] = true;
            ordered[step] = new MstEdge(tree.Order[next], tree.Order[current], key[next]);
            current = next;
        }

        return ordered;
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

    private void FindLightestEdge(int p, out double bestWeight, out int bestPosition)
    {
        var c = comp[p];
        var core = core2[p];
        bestWeight = double.PositiveInfinity;
        bestPosition = -1;
        if (core > Volatile.Read(ref compBound[c]))
        {
            return;
        }

        // Neighbours within the core distance give weight max(core(p), core(q)); when one reaches core(p), the
        // lower bound of every edge of p, and no unlisted point ties at that distance, the list is conclusive.
        var state = new SearchState { Comp = c, Core2 = core, BestW = double.PositiveInfinity, BestQ = -1, BestIndex = int.MaxValue };
        for (var i = 0; i < k; i++)
        {
            var q = knn[((long)p * k) + i];
            if (comp[q] == c)
            {
                continue;
            }

            Consider(ref state, q, Math.Max(core, core2[q]));
        }

        if (!(state.BestW == core && !tieAtCore[p]))
        {
            var d = tree.Dimensions;
            state.Point = tree.Points.AsMemory(p * d, d);
            Search(0, ref state);
        }

        if (state.BestQ < 0)
        {
            return;
        }

        bestWeight = state.BestW;
        bestPosition = state.BestQ;
        UpdateBound(c, bestWeight);
    }

    private static void Offer(ref MstEdge best, MstEdge candidate)
    {
        if (candidate.A >= 0 && (best.A < 0 || MstEdge.Compare(candidate, best) < 0))
        {
            best = candidate;
        }
    }

    /// <summary>The lightest edge (by <see cref="MstEdge.Compare"/>) from any point of a one-component leaf to another component.</summary>
    private MstEdge LeafLightestEdge(int leaf)
    {
        var c = nodeComp[leaf];
        var s = new LeafState { Leaf = leaf, Comp = c, Best = new MstEdge(-1, -1, double.PositiveInfinity) };
        if (nodeMinCore2[leaf] > Volatile.Read(ref compBound[c]))
        {
            return s.Best;
        }

        for (var p = tree.NodeStart[leaf]; p < tree.NodeEnd[leaf]; p++)
        {
            for (var i = 0; i < k; i++)
            {
                var q = knn[((long)p * k) + i];
                if (comp[q] != c)
                {
                    Offer(ref s.Best, new MstEdge(tree.Order[p], tree.Order[q], Math.Max(core2[p], core2[q])));
                }
            }
        }

        LeafSearch(0, ref s);
        if (s.Best.A >= 0)
        {
            UpdateBound(c, s.Best.Weight2);
        }

        return s.Best;
    }

    private bool LeafPrunable(ref LeafState s, int node, double lowerBound) =>
        lowerBound > s.Best.Weight2
        || lowerBound > Volatile.Read(ref compBound[s.Comp])
        || (lowerBound == s.Best.Weight2
            && Math.Min(tree.NodeMinIndex[s.Leaf], tree.NodeMinIndex[node]) > Math.Min(s.Best.A, s.Best.B));

    private double LeafLowerBound(ref LeafState s, int node) =>
        Math.Max(Math.Max(nodeMinCore2[s.Leaf], nodeMinCore2[node]), tree.BoxBoxDistance2(s.Leaf, node));

    private void LeafSearch(int node, ref LeafState s)
    {
        var left = tree.NodeLeft[node];
        if (left < 0)
        {
            var d = tree.Dimensions;
            for (var p = tree.NodeStart[s.Leaf]; p < tree.NodeEnd[s.Leaf]; p++)
            {
                var coreP = core2[p];
                if (coreP > s.Best.Weight2)
                {
                    continue;
                }

                var point = tree.Points.AsSpan(p * d, d);
                for (var q = tree.NodeStart[node]; q < tree.NodeEnd[node]; q++)
                {
                    if (comp[q] == s.Comp)
                    {
                        continue;
                    }

                    var w = Math.Max(coreP, core2[q]);
                    if (w > s.Best.Weight2)
                    {
                        continue;
                    }

                    w = Math.Max(w, KdTree.Distance2(point, tree.Points.AsSpan(q * d, d)));
                    Offer(ref s.Best, new MstEdge(tree.Order[p], tree.Order[q], w));
                }
            }

            return;
        }

        var right = tree.NodeRight[node];
        var lbLeft = nodeComp[left] == s.Comp ? double.PositiveInfinity : LeafLowerBound(ref s, left);
        var lbRight = nodeComp[right] == s.Comp ? double.PositiveInfinity : LeafLowerBound(ref s, right);
        var (first, lbFirst, second, lbSecond) = lbLeft <= lbRight ? (left, lbLeft, right, lbRight) : (right, lbRight, left, lbLeft);
        if (!double.IsPositiveInfinity(lbFirst) && !LeafPrunable(ref s, first, lbFirst))
        {
            LeafSearch(first, ref s);
        }

        if (!double.IsPositiveInfinity(lbSecond) && !LeafPrunable(ref s, second, lbSecond))
        {
            LeafSearch(second, ref s);
        }
    }

    private void Consider(ref SearchState s, int q, double w)
    {
        var index = tree.Order[q];
        if (w < s.BestW || (w == s.BestW && index < s.BestIndex))
        {
            s.BestW = w;
            s.BestQ = q;
            s.BestIndex = index;
        }
    }

    private bool Prunable(ref SearchState s, int node, double lowerBound) =>
        lowerBound > s.BestW
        || (lowerBound == s.BestW && tree.NodeMinIndex[node] > s.BestIndex)
        || lowerBound > Volatile.Read(ref compBound[s.Comp]);

    private double LowerBound(ref SearchState s, int node) =>
        Math.Max(Math.Max(s.Core2, nodeMinCore2[node]), tree.BoxDistance2(node, s.Point.Span));

    private void Search(int node, ref SearchState s)
    {
        var left = tree.NodeLeft[node];
        if (left < 0)
        {
            var d = tree.Dimensions;
            var point = s.Point.Span;
            for (var q = tree.NodeStart[node]; q < tree.NodeEnd[node]; q++)
            {
                if (comp[q] == s.Comp)
                {
                    continue;
                }

                var w = Math.Max(s.Core2, core2[q]);
                if (w > s.BestW)
                {
                    continue;
                }

                w = Math.Max(w, KdTree.Distance2(tree.Points.AsSpan(q * d, d), point));
                Consider(ref s, q, w);
            }

            return;
        }

        var right = tree.NodeRight[node];
        var skipLeft = nodeComp[left] == s.Comp;
        var skipRight = nodeComp[right] == s.Comp;
        var lbLeft = skipLeft ? double.PositiveInfinity : LowerBound(ref s, left);
        var lbRight = skipRight ? double.PositiveInfinity : LowerBound(ref s, right);
        var first = lbLeft <= lbRight ? left : right;
        var second = first == left ? right : left;
        var lbFirst = Math.Min(lbLeft, lbRight);
        var lbSecond = Math.Max(lbLeft, lbRight);
        if (!double.IsPositiveInfinity(lbFirst) && !Prunable(ref s, first, lbFirst))
        {
            Search(first, ref s);
        }

        if (!double.IsPositiveInfinity(lbSecond) && !Prunable(ref s, second, lbSecond))
        {
            Search(second, ref s);
        }
    }

    private void UpdateBound(int c, double w)
    {
        var current = Volatile.Read(ref compBound[c]);
        while (w < current)
        {
            var seen = Interlocked.CompareExchange(ref compBound[c], w, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private struct LeafState
    {
        public int Leaf;
        public int Comp;
        public MstEdge Best;
    }

    private struct SearchState
    {
        public ReadOnlyMemory<double> Point;
        public int Comp;
        public double Core2;
        public double BestW;
        public int BestQ;
        public int BestIndex;
    }
}
