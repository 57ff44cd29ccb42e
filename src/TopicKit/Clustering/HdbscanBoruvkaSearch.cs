using TopicKit.Neighbors;

namespace TopicKit.Clustering;

/// <summary>The per-point and per-leaf searches for the lightest edge leaving a component.</summary>
internal sealed partial class HdbscanBoruvka
{
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
