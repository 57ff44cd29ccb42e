namespace TopicKit.Clustering;

/// <summary>
/// The cluster hierarchy built top-down from the single-linkage merges of the MST, with the exact semantics of
/// R dbscan's <c>computeStability</c>: a merge of two parts of at least MinClusterSize points each is a true split
/// (two child clusters are born), any other merge keeps the cluster's identity on both sides, and each point
/// leaves its cluster at the height of the merge where it first joined another point, or at the cluster's
/// death height when the cluster has already split above it.
/// </summary>
internal sealed class HdbscanHierarchy
{
    private HdbscanHierarchy(int n)
    {
        PointCluster = new int[n];
        PointEps = new double[n];
    }

    /// <summary>Cluster each point leaves (its condensed-tree parent); cluster 0 is the root.</summary>
    public int[] PointCluster { get; }

    /// <summary>Distance at which each point leaves its cluster (lambda = 1 / eps).</summary>
    public double[] PointEps { get; }

    public List<int> Parent { get; } = [];

    public List<double> Birth { get; } = [];

    public List<double> Death { get; } = [];

    public List<int> Size { get; } = [];

    /// <summary>First child cluster, or -1 for a leaf; the second child is always FirstChild + 1.</summary>
    public List<int> FirstChild { get; } = [];

    public int ClusterCount => Parent.Count;

    public bool IsLeaf(int c) => FirstChild[c] < 0;

    /// <summary>lambda = 1/eps, with zero distances mapped to the largest finite double so differences stay finite.</summary>
    public static double Lambda(double eps) => eps > 0 ? 1.0 / eps : double.MaxValue;

    /// <summary>
    /// Builds the hierarchy from MST edges in Prim order (equal weights merge in that order, which decides how
    /// three or more parts joining at one height are grouped) with weights converted by <paramref name="toDistance"/>.
    /// </summary>
    public static HdbscanHierarchy Build(int n, MstEdge[] edges, Func<double, double> toDistance, int minClusterSize)
    {
        var h = new HdbscanHierarchy(n);
        h.AddCluster(-1, double.PositiveInfinity, double.PositiveInfinity, n);
        if (n < 2)
        {
            return h;
        }

        // Stable by weight: equal weights merge in the given (Prim) order, as R's order() does.
        var sorted = new MstEdge[edges.Length];
        var rank = new int[edges.Length];
        for (var i = 0; i < rank.Length; i++)
        {
            rank[i] = i;
        }

        Array.Sort(rank, (x, y) =>
        {
            var c = edges[x].Weight2.CompareTo(edges[y].Weight2);
            return c != 0 ? c : x.CompareTo(y);
        });
        for (var i = 0; i < rank.Length; i++)
        {
            sorted[i] = edges[rank[i]];
        }

        var m = n - 1;
        var left = new int[m];
        var right = new int[m];
        var height = new double[m];
        var size = new int[m];
        var uf = new int[n];
        var node = new int[n];
        var nodeSize = new int[n];
        for (var i = 0; i < n; i++)
        {
            uf[i] = i;
            node[i] = i;
            nodeSize[i] = 1;
        }

        for (var k = 0; k < m; k++)
        {
            var ra = Find(uf, sorted[k].A);
            var rb = Find(uf, sorted[k].B);
            left[k] = node[ra];
            right[k] = node[rb];
            height[k] = toDistance(sorted[k].Weight2);
            size[k] = nodeSize[ra] + nodeSize[rb];
            var root = Math.Min(ra, rb);
            uf[Math.Max(ra, rb)] = root;
            node[root] = n + k;
            nodeSize[root] = size[k];
        }

        h.Birth[0] = height[m - 1];
        var tracker = new int[m];
        var processed = new List<bool> { false };
        for (var k = m - 1; k >= 0; k--)
        {
            var c = tracker[k];
            var l = left[k];
            var r = right[k];
            var lPoint = l < n;
            var rPoint = r < n;
            if (lPoint && rPoint)
            {
                var eps = processed[c] ? h.Death[c] : height[k];
                h.Leave(l, c, eps);
                h.Leave(r, c, eps);
                if (!processed[c])
                {
                    h.Death[c] = Math.Min(height[k], h.Death[c]);
                }
            }
            else if (lPoint || rPoint)
            {
                h.Leave(lPoint ? l : r, c, processed[c] ? h.Death[c] : height[k]);
                tracker[(lPoint ? r : l) - n] = c;
            }
            else
            {
                var s1 = size[l - n];
                var s2 = size[r - n];
                if (s1 >= minClusterSize && s2 >= minClusterSize)
                {
                    h.Death[c] = height[k];
                    processed[c] = true;
                    var a = h.AddCluster(c, height[k], height[l - n], s1);
                    var b = h.AddCluster(c, height[k], height[r - n], s2);
                    processed.Add(false);
                    processed.Add(false);
                    h.FirstChild[c] = a;
                    tracker[l - n] = a;
                    tracker[r - n] = b;
                }
                else
                {
                    tracker[l - n] = c;
                    tracker[r - n] = c;
                }
            }
        }

        return h;
    }

    /// <summary>
    /// Stability of each cluster: the sum over its points of (lambda_p - lambda_birth) plus, for a cluster that
    /// split, its size times (lambda_death - lambda_birth). With <paramref name="rootBirthAtZero"/> the root is
    /// taken to be born at lambda 0 (used to weigh a single all-points cluster).
    /// </summary>
    public double[] Stabilities(bool rootBirthAtZero)
    {
        var stability = new double[ClusterCount];
        for (var p = 0; p < PointCluster.Length; p++)
        {
            var c = PointCluster[p];
            stability[c] += Lambda(PointEps[p]) - BirthLambda(c, rootBirthAtZero);
        }

        for (var c = 0; c < ClusterCount; c++)
        {
            if (!IsLeaf(c))
            {
                var childSizes = Size[FirstChild[c]] + Size[FirstChild[c] + 1];
                stability[c] += childSizes * (Lambda(Death[c]) - BirthLambda(c, rootBirthAtZero));
            }
        }

        return stability;
    }

    /// <summary>For each cluster, the smallest death distance among the leaves below it (GLOSH's reference density).</summary>
    public double[] LeafDeathMinimum()
    {
        var result = new double[ClusterCount];
        for (var c = ClusterCount - 1; c >= 0; c--)
        {
            result[c] = IsLeaf(c) ? Death[c] : Math.Min(result[FirstChild[c]], result[FirstChild[c] + 1]);
        }

        return result;
    }

    private double BirthLambda(int c, bool rootBirthAtZero) => c == 0 && rootBirthAtZero ? 0.0 : Lambda(Birth[c]);

    private int AddCluster(int parent, double birth, double death, int size)
    {
        Parent.Add(parent);
        Birth.Add(birth);
        Death.Add(death);
        Size.Add(size);
        FirstChild.Add(-1);
        return Parent.Count - 1;
    }

    private void Leave(int point, int cluster, double eps)
    {
        PointCluster[point] = cluster;
        PointEps[point] = eps;
    }

    private static int Find(int[] uf, int x)
    {
        var root = x;
        while (uf[root] != root)
        {
            root = uf[root];
        }

        while (uf[x] != root)
        {
            var next = uf[x];
            uf[x] = root;
            x = next;
        }

        return root;
    }
}
