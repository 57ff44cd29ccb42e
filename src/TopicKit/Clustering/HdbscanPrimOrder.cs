using TopicKit.Neighbors;

namespace TopicKit.Clustering;

/// <summary>Reordering of the spanning tree into the merge order of R dbscan's Prim algorithm.</summary>
internal sealed partial class HdbscanBoruvka
{
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
}
