namespace TopicKit.Reporting;

/// <summary>Reads a scipy-style linkage list: leaf order, flat cuts and dendrogram geometry.</summary>
internal static class Linkage
{
    /// <exception cref="ArgumentException">When the list is not a full binary hierarchy over the leaves.</exception>
    public static void Validate(IReadOnlyList<ReportMerge> merges, int leaves)
    {
        if (merges.Count != leaves - 1)
        {
            throw new ArgumentException($"Hierarchy has {merges.Count} merges but {leaves} topics need {leaves - 1} (a scipy linkage list).", nameof(merges));
        }

        var used = new bool[leaves + merges.Count];
        for (var i = 0; i < merges.Count; i++)
        {
            var m = merges[i];
            foreach (var child in (ReadOnlySpan<int>)[m.Left, m.Right])
            {
                if (child < 0 || child >= leaves + i)
                {
                    throw new ArgumentException($"Hierarchy[{i}] merges cluster {child}, which does not exist yet (ids below {leaves + i} only).", nameof(merges));
                }

                if (used[child])
                {
                    throw new ArgumentException($"Hierarchy[{i}] merges cluster {child} a second time.", nameof(merges));
                }

                used[child] = true;
            }

            if (m.Left == m.Right || !double.IsFinite(m.Distance))
            {
                throw new ArgumentException($"Hierarchy[{i}] merges a cluster with itself or has a non-finite distance.", nameof(merges));
            }
        }
    }

    /// <summary>Leaves left to right as a dendrogram draws them.</summary>
    public static int[] LeafOrder(IReadOnlyList<ReportMerge> merges, int leaves)
    {
        var order = new List<int>(leaves);
        if (leaves == 0)
        {
            return [];
        }

        var stack = new Stack<int>();
        stack.Push(leaves + merges.Count - 1);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node < leaves)
            {
                order.Add(node);
                continue;
            }

            var m = merges[node - leaves];
            stack.Push(m.Right);
            stack.Push(m.Left);
        }

        return [.. order];
    }

    /// <summary>
    /// The leaves grouped into <paramref name="groups"/> clusters by undoing the last merges, as scipy's
    /// <c>fcluster(criterion="maxclust")</c>; groups come out in leaf order.
    /// </summary>
    public static List<int[]> Cut(IReadOnlyList<ReportMerge> merges, int leaves, int groups)
    {
        var parent = Enumerable.Range(0, leaves).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        // Representative leaf of each cluster id, so merges can be replayed on leaves.
        var representative = new int[leaves + merges.Count];
        for (var i = 0; i < leaves; i++)
        {
            representative[i] = i;
        }

        var keep = Math.Clamp(leaves - groups, 0, merges.Count);
        for (var i = 0; i < merges.Count; i++)
        {
            var a = representative[merges[i].Left];
            var b = representative[merges[i].Right];
            representative[leaves + i] = a;
            if (i < keep)
            {
                parent[Find(b)] = Find(a);
            }
        }

        // Walking the leaves in leaf order meets the groups in leaf order too.
        var byRoot = new Dictionary<int, List<int>>();
        var result = new List<List<int>>();
        foreach (var leaf in LeafOrder(merges, leaves))
        {
            var root = Find(leaf);
            if (!byRoot.TryGetValue(root, out var list))
            {
                byRoot[root] = list = [];
                result.Add(list);
            }

            list.Add(leaf);
        }

        return result.ConvertAll(l => l.ToArray());
    }

    /// <summary>Dendrogram segments: each merge as (from height, position) elbows, leaves at height 0.</summary>
    public static List<(double X1, double Y1, double X2, double Y2)> Segments(IReadOnlyList<ReportMerge> merges, int leaves, int[] leafOrder)
    {
        var position = new double[leaves + merges.Count];
        var height = new double[leaves + merges.Count];
        for (var i = 0; i < leafOrder.Length; i++)
        {
            position[leafOrder[i]] = i;
        }

        var segments = new List<(double, double, double, double)>(merges.Count * 3);
        for (var i = 0; i < merges.Count; i++)
        {
            var (a, b, d) = (merges[i].Left, merges[i].Right, merges[i].Distance);
            var node = leaves + i;
            // Non-monotone linkages (centroid, median) can merge below a child; drawing at the child's height keeps
            // the elbow readable instead of folding back.
            height[node] = Math.Max(d, Math.Max(height[a], height[b]));
            position[node] = (position[a] + position[b]) / 2;
            segments.Add((height[a], position[a], height[node], position[a]));
            segments.Add((height[b], position[b], height[node], position[b]));
            segments.Add((height[node], position[a], height[node], position[b]));
        }

        return segments;
    }
}
