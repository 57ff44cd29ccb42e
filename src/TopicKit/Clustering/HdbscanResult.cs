using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>One selected HDBSCAN cluster.</summary>
/// <param name="Label">Its label (0..ClusterCount-1; clusters are numbered by their smallest member row).</param>
/// <param name="Size">Number of points labelled with it.</param>
/// <param name="Stability">Its excess of mass (R dbscan's cluster_scores): sum of (lambda - lambda_birth).</param>
/// <param name="Persistence">Stability / (Size x largest lambda in the tree), in [0, 1] (Python hdbscan's cluster_persistence_).</param>
/// <param name="BirthDistance">Distance at which it splits off its parent (for the root, the largest merge distance).</param>
/// <param name="DeathDistance">Distance at which it splits into children, or its last point leaves it.</param>
/// <param name="Exemplars">Points of its leaf clusters that stay to the leaves' highest density (sorted rows).</param>
public sealed record HdbscanCluster(
    int Label, int Size, double Stability, double Persistence, double BirthDistance, double DeathDistance, IReadOnlyList<int> Exemplars);

/// <summary>Labels and membership probabilities of new points from <see cref="HdbscanResult.ApproximatePredict"/>.</summary>
/// <param name="Labels">Cluster label per new point, or -1 for noise.</param>
/// <param name="Probabilities">Membership probability per new point (0 for noise).</param>
public sealed record HdbscanPrediction(IReadOnlyList<int> Labels, IReadOnlyList<float> Probabilities);

/// <summary>The immutable outcome of <see cref="Hdbscan.FitDetailed"/>.</summary>
public sealed class HdbscanResult
{
    private readonly HdbscanHierarchy hierarchy;
    private readonly HdbscanGeometry geometry;
    private readonly int[] labels;
    private readonly float[] probabilities;
    private readonly float[] outlierScores;
    private readonly double[] coreDistances;
    private readonly int[] clusterLabel;
    private readonly double[] maxCore;
    private readonly Lazy<HdbscanCondensedTree> condensedTree;

    internal HdbscanResult(HdbscanOptions options, HdbscanHierarchy h, int[] selected, double[] core2, HdbscanGeometry geometry)
    {
        Options = options;
        hierarchy = h;
        this.geometry = geometry;
        var n = h.PointCluster.Length;
        var toDistance = HdbscanGeometry.ToDistance(options.Metric);
        coreDistances = new double[n];
        for (var p = 0; p < n; p++)
        {
            coreDistances[p] = toDistance(core2[p]);
        }

        geometry.AttachCoreDistances(core2);
        ClusterCount = selected.Length;
        clusterLabel = new int[h.ClusterCount];
        var labelOfSelected = new Dictionary<int, int>();
        for (var i = 0; i < selected.Length; i++)
        {
            labelOfSelected[selected[i]] = i;
        }

        for (var c = 0; c < h.ClusterCount; c++)
        {
            clusterLabel[c] = labelOfSelected.TryGetValue(c, out var label) ? label : c == 0 ? -1 : clusterLabel[h.Parent[c]];
        }

        labels = new int[n];
        probabilities = new float[n];
        outlierScores = new float[n];
        maxCore = new double[ClusterCount];
        var sizes = new int[ClusterCount];
        for (var p = 0; p < n; p++)
        {
            var label = clusterLabel[h.PointCluster[p]];
            labels[p] = label;
            if (label >= 0)
            {
                sizes[label]++;
                maxCore[label] = Math.Max(maxCore[label], coreDistances[p]);
            }
        }

        var leafDeath = h.LeafDeathMinimum();
        for (var p = 0; p < n; p++)
        {
            if (labels[p] >= 0)
            {
                probabilities[p] = (float)Probability(maxCore[labels[p]], coreDistances[p]);
            }

            var eps = h.PointEps[p];
            outlierScores[p] = eps > 0 ? (float)(1.0 - (leafDeath[h.PointCluster[p]] / eps)) : 0f;
        }

        Clusters = BuildClusters(h, selected, sizes);
        condensedTree = new Lazy<HdbscanCondensedTree>(() => new HdbscanCondensedTree(hierarchy));
    }

    /// <summary>The options of the fit.</summary>
    public HdbscanOptions Options { get; }

    /// <summary>Number of clustered points.</summary>
    public int PointCount => labels.Length;

    /// <summary>Number of clusters (noise excluded).</summary>
    public int ClusterCount { get; }

    /// <summary>Cluster label per point (0..ClusterCount-1), or -1 for noise.</summary>
    public IReadOnlyList<int> Labels => labels;

    /// <summary>Membership probability per point (R dbscan's membership_prob); 0 for noise.</summary>
    public IReadOnlyList<float> Probabilities => probabilities;

    /// <summary>GLOSH outlier score per point in [0, 1] (R dbscan's outlier_scores).</summary>
    public IReadOnlyList<float> OutlierScores => outlierScores;

    /// <summary>Core distance per point (distance to its (MinSamples-1)-th nearest other point, in metric units).</summary>
    public IReadOnlyList<double> CoreDistances => coreDistances;

    /// <summary>The selected clusters, indexed by label.</summary>
    public IReadOnlyList<HdbscanCluster> Clusters { get; }

    /// <summary>The condensed cluster tree (built on first access).</summary>
    public HdbscanCondensedTree CondensedTree => condensedTree.Value;

    /// <summary>A fresh <see cref="ClusterAssignment"/> copy of labels, probabilities and outlier scores.</summary>
    public ClusterAssignment ToAssignment() =>
        new((int[])labels.Clone(), (float[])probabilities.Clone(), (float[])outlierScores.Clone(), ClusterCount);

    /// <summary>
    /// Labels new points without refitting, as the Python hdbscan library's approximate_predict: the new point's
    /// core distance is taken among the fitted points (counting itself, like the fit), its nearest fitted point in
    /// mutual reachability gives the cluster it would join, and it climbs to the ancestor cluster still alive at
    /// that distance. Its probability is the fit's formula, (max core distance - core distance) / max core
    /// distance of the cluster, clipped to [0, 1].
    /// </summary>
    /// <param name="newPoints">Points with the fitted number of columns, finite.</param>
    public HdbscanPrediction ApproximatePredict(Matrix newPoints)
    {
        ArgumentNullException.ThrowIfNull(newPoints);
        var m = newPoints.Rows;
        var outLabels = new int[m];
        var outProb = new float[m];
        if (m > 0 && newPoints.Columns != geometry.Dimensions)
        {
            throw new ArgumentException($"New points have {newPoints.Columns} columns but the model was fitted on {geometry.Dimensions}.", nameof(newPoints));
        }

        if (geometry.Count == 0)
        {
            Array.Fill(outLabels, -1);
            return new HdbscanPrediction(outLabels, outProb);
        }

        var k = Math.Min(Options.EffectiveMinSamples - 1, geometry.Count);
        var toDistance = HdbscanGeometry.ToDistance(Options.Metric);
        var h = hierarchy;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism };
        Parallel.For(0, m, parallel, i =>
        {
            var q = geometry.PrepareQuery(newPoints.RowReadOnly(i), i);
            var (core2, row, weight2) = geometry.NearestByReachability(q, k);
            var distance = toDistance(weight2);
            var cluster = h.PointCluster[row];
            if (distance > h.PointEps[row])
            {
                while (cluster != 0 && h.Birth[cluster] <= distance)
                {
                    cluster = h.Parent[cluster];
                }
            }

            var label = clusterLabel[cluster];
            outLabels[i] = label;
            outProb[i] = label >= 0 ? (float)Math.Clamp(Probability(maxCore[label], toDistance(core2)), 0.0, 1.0) : 0f;
        });
        return new HdbscanPrediction(outLabels, outProb);
    }

    private static double Probability(double maxCoreDistance, double coreDistance) =>
        maxCoreDistance > 0 ? (maxCoreDistance - coreDistance) / maxCoreDistance : coreDistance > 0 ? 0.0 : 1.0;

    private static HdbscanCluster[] BuildClusters(HdbscanHierarchy h, int[] selected, int[] sizes)
    {
        var stability = h.Stabilities(rootBirthAtZero: false);
        var rootStability = h.Stabilities(rootBirthAtZero: true)[0];
        var maxLambda = 0.0;
        foreach (var eps in h.PointEps)
        {
            maxLambda = Math.Max(maxLambda, eps > 0 ? 1.0 / eps : double.PositiveInfinity);
        }

        var pointsByLeaf = new Dictionary<int, List<int>>();
        for (var p = 0; p < h.PointCluster.Length; p++)
        {
            var c = h.PointCluster[p];
            if (h.IsLeaf(c) && h.PointEps[p] == h.Death[c])
            {
                if (!pointsByLeaf.TryGetValue(c, out var list))
                {
                    pointsByLeaf[c] = list = [];
                }

                list.Add(p);
            }
        }

        var result = new HdbscanCluster[selected.Length];
        for (var i = 0; i < selected.Length; i++)
        {
            var c = selected[i];
            var exemplars = new List<int>();
            var stack = new Stack<int>();
            stack.Push(c);
            while (stack.Count > 0)
            {
                var x = stack.Pop();
                if (h.IsLeaf(x))
                {
                    if (pointsByLeaf.TryGetValue(x, out var list))
                    {
                        exemplars.AddRange(list);
                    }
                }
                else
                {
                    stack.Push(h.FirstChild[x]);
                    stack.Push(h.FirstChild[x] + 1);
                }
            }

            exemplars.Sort();
            var s = c == 0 ? rootStability : stability[c];
            var persistence = double.IsInfinity(maxLambda) || maxLambda == 0 || sizes[i] == 0 ? 1.0 : s / (sizes[i] * maxLambda);
            result[i] = new HdbscanCluster(i, sizes[i], s, persistence, h.Birth[c], h.Death[c], exemplars);
        }

        return result;
    }
}
