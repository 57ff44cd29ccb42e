namespace TopicKit.Topics;

/// <summary>Which Lance–Williams update merges distances.</summary>
public enum LinkageMethod
{
    /// <summary>Ward's minimum variance (scipy's <c>ward</c> on the given distances).</summary>
    Ward = 0,

    /// <summary>Mean pairwise distance (UPGMA).</summary>
    Average = 1,
}

/// <summary>One merge of a linkage tree, in scipy's convention: leaves are 0..n-1, merge i creates cluster n + i.</summary>
/// <param name="Left">The smaller id of the two merged clusters.</param>
/// <param name="Right">The larger id.</param>
/// <param name="Distance">Their linkage distance.</param>
/// <param name="Size">Leaves under the new cluster.</param>
public readonly record struct LinkageStep(int Left, int Right, double Distance, int Size);

/// <summary>
/// Agglomerative clustering of a few hundred items from a full distance matrix by the Lance–Williams recurrence:
/// O(n³), which is nothing for topics. The closest pair merges first; ties go to the pair with the smaller ids.
/// </summary>
internal static class Agglomerative
{
    public static LinkageStep[] Fit(double[,] distances, LinkageMethod method)
    {
        var n = distances.GetLength(0);
        if (distances.GetLength(1) != n)
        {
            throw new ArgumentException("The distance matrix must be square.", nameof(distances));
        }

        var d = (double[,])distances.Clone();
        var id = Enumerable.Range(0, n).ToArray();
        var size = Enumerable.Repeat(1, n).ToArray();
        var active = Enumerable.Repeat(true, n).ToArray();
        var steps = new LinkageStep[Math.Max(0, n - 1)];
        for (var s = 0; s < steps.Length; s++)
        {
            var (bi, bj, best) = (-1, -1, double.PositiveInfinity);
            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; active[i] && j < n; j++)
                {
                    if (active[j] && (bi < 0 || d[i, j] < best || (d[i, j] == best && Math.Min(id[i], id[j]) < Math.Min(id[bi], id[bj]))))
                    {
                        (bi, bj, best) = (i, j, d[i, j]);
                    }
                }
            }

            var merged = size[bi] + size[bj];
            for (var k = 0; k < n; k++)
            {
                if (!active[k] || k == bi || k == bj)
                {
                    continue;
                }

                var updated = method == LinkageMethod.Average
                    ? ((size[bi] * d[k, bi]) + (size[bj] * d[k, bj])) / merged
                    : Math.Sqrt(Math.Max(0, (((size[bi] + size[k]) * d[k, bi] * d[k, bi]) + ((size[bj] + size[k]) * d[k, bj] * d[k, bj]) - (size[k] * best * best)) / (merged + size[k])));
                d[k, bi] = d[bi, k] = updated;
            }

            steps[s] = new LinkageStep(Math.Min(id[bi], id[bj]), Math.Max(id[bi], id[bj]), best, merged);
            id[bi] = n + s;
            size[bi] = merged;
            active[bj] = false;
        }

        return steps;
    }

    /// <summary>The cluster (0..clusters-1, in order of first leaf) of each leaf after applying the first <paramref name="merges"/> steps.</summary>
    public static int[] Cut(int leaves, IReadOnlyList<LinkageStep> steps, int merges)
    {
        var parent = Enumerable.Range(0, leaves + merges).ToArray();
        for (var s = 0; s < merges; s++)
        {
            parent[steps[s].Left] = leaves + s;
            parent[steps[s].Right] = leaves + s;
        }

        int Root(int x)
        {
            while (parent[x] != x)
            {
                x = parent[x];
            }

            return x;
        }

        var cluster = new int[leaves];
        var numbering = new Dictionary<int, int>();
        for (var leaf = 0; leaf < leaves; leaf++)
        {
            var root = Root(leaf);
            if (!numbering.TryGetValue(root, out var c))
            {
                c = numbering.Count;
                numbering.Add(root, c);
            }

            cluster[leaf] = c;
        }

        return cluster;
    }

    /// <summary>1 - cosine similarity between rows, clamped to [0, 2]; zero rows are at distance 1 from everything.</summary>
    public static double[,] CosineDistances(IReadOnlyList<float[]> rows)
    {
        var n = rows.Count;
        var d = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var sim = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(rows[i], rows[j]);
                var dist = float.IsNaN(sim) ? 1.0 : Math.Clamp(1.0 - sim, 0.0, 2.0);
                d[i, j] = d[j, i] = dist;
            }
        }

        return d;
    }
}
