using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>
/// HDBSCAN* (Campello, Moulavi and Sander) with the hierarchy, membership probabilities and GLOSH outlier scores
/// of R dbscan::hdbscan, extraction options of the Python hdbscan library, a k-d tree Boruvka MST for low
/// dimensions and a dense Prim MST for high dimensions.
/// </summary>
/// <remarks>
/// Results are identical for any thread count: every tie (equal distances or weights) is broken by row index.
/// Merges at equal heights are grouped in the order R's Prim algorithm (from row 0, lowest row first) would add
/// them, so ties set by core distances reproduce R exactly; ties between raw pairwise distances (grid-like or
/// heavily duplicated data) may be grouped differently from R, still deterministically.
/// Membership probability follows R: within a cluster, (max core distance - core distance) / max core distance
/// (1 when every member has core distance 0); noise has probability 0. GLOSH follows R:
/// 1 - eps_max / eps_point, where eps_point is the distance at which the point leaves its cluster and eps_max the
/// smallest death distance of the leaves below that cluster (0 when eps_point is 0).
/// Degenerate inputs: N = 0 gives an empty result; N = 1 (with MinSamples = 1) one noise point; identical points
/// give all-noise (or one cluster with <see cref="HdbscanOptions.AllowSingleCluster"/>); NaN or infinity, or a zero
/// row under the cosine metric, throw <see cref="InvalidDataException"/>; MinSamples above N throws
/// <see cref="ArgumentException"/>. MinClusterSize above N is allowed and gives all-noise.
/// </remarks>
public sealed class Hdbscan : IClusterer
{
    /// <summary>Creates the clusterer; <paramref name="options"/> defaults to <c>new HdbscanOptions()</c>.</summary>
    public Hdbscan(HdbscanOptions? options = null)
    {
        Options = options ?? new HdbscanOptions();
        Options.Validate();
    }

    /// <summary>The options this clusterer runs with.</summary>
    public HdbscanOptions Options { get; }

    /// <inheritdoc />
    public IFittedClusterer Fit(Matrix data, CancellationToken cancellationToken = default) =>
        new HdbscanModel(FitDetailed(data, cancellationToken), data.Clone());

    /// <summary>Clusters the rows of <paramref name="data"/> and returns the full result (tree, scores, predictor).</summary>
    /// <param name="data">Points (N x d), finite.</param>
    /// <param name="cancellationToken">Stops the work early with <see cref="OperationCanceledException"/>.</param>
    public HdbscanResult FitDetailed(Matrix data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.EnsureFinite("HDBSCAN input");
        var n = data.Rows;
        var d = data.Columns;
        var minSamples = Options.EffectiveMinSamples;
        if (n > 0 && minSamples > n)
        {
            throw new ArgumentException(
                $"HDBSCAN MinSamples is {minSamples} (MinClusterSize when unset) but there are only {n} points; lower MinSamples or MinClusterSize.");
        }

        if (n > 0 && d == 0)
        {
            throw new ArgumentException("HDBSCAN input has no columns.", nameof(data));
        }

        var points = HdbscanGeometry.Prepare(data, Options.Metric);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var useTree = Options.Algorithm switch
        {
            HdbscanAlgorithm.KdTreeBoruvka => true,
            HdbscanAlgorithm.PrimDense => false,
            _ => d <= HdbscanOptions.MaxTreeDimensions,
        };

        KdTree? tree = null;
        double[] core2;
        MstEdge[] edges;
        if (n == 0)
        {
            core2 = [];
            edges = [];
        }
        else if (useTree)
        {
            tree = KdTree.Build(points, n, d);
            (core2, edges) = HdbscanBoruvka.Run(tree, minSamples, parallel);
        }
        else
        {
            (core2, edges) = HdbscanPrim.Run(points, n, d, minSamples, parallel);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var toDistance = HdbscanGeometry.ToDistance(Options.Metric);
        var hierarchy = HdbscanHierarchy.Build(n, edges, toDistance, Options.MinClusterSize);
        var selected = Select(hierarchy);
        return new HdbscanResult(Options, hierarchy, selected, core2, new HdbscanGeometry(points, n, d, tree, Options.Metric));
    }

    /// <summary>Chooses the flat clusters; returns the selected cluster ids ordered by their smallest member row.</summary>
    private int[] Select(HdbscanHierarchy h)
    {
        var count = h.ClusterCount;
        var candidate = new bool[count];
        var eps = Options.ClusterSelectionEpsilon;
        if (h.PointCluster.Length < 2)
        {
            return Options.AllowSingleCluster && h.PointCluster.Length > 0 ? [0] : [];
        }

        if (Options.ClusterSelectionMethod == HdbscanSelectionMethod.Leaf)
        {
            for (var c = 1; c < count; c++)
            {
                candidate[c] = h.IsLeaf(c) || h.Death[c] < eps;
            }

            candidate[0] = Options.AllowSingleCluster && (h.IsLeaf(0) || h.Death[0] < eps);
        }
        else
        {
            var stability = h.Stabilities(rootBirthAtZero: false);
            var score = new double[count];
            for (var c = count - 1; c >= 1; c--)
            {
                if (h.IsLeaf(c))
                {
                    score[c] = stability[c];
                    candidate[c] = true;
                    continue;
                }

                var children = score[h.FirstChild[c]] + score[h.FirstChild[c] + 1];

                // As R dbscan's fosc: the children win only when strictly more stable; a cluster dying below
                // the selection epsilon keeps its children unsplit.
                var keepChildren = stability[c] < children
                    || (Options.MaxClusterSize > 0 && h.Size[c] > Options.MaxClusterSize);
                score[c] = keepChildren ? children : stability[c];

                if (h.Death[c] < eps)
                {
                    keepChildren = false;
                }

                candidate[c] = !keepChildren;
            }

            if (Options.AllowSingleCluster)
            {
                var rootStability = h.Stabilities(rootBirthAtZero: true)[0];
                var childScore = h.IsLeaf(0) ? double.NegativeInfinity : score[h.FirstChild[0]] + score[h.FirstChild[0] + 1];
                var rootTooBig = Options.MaxClusterSize > 0 && h.Size[0] > Options.MaxClusterSize;
                candidate[0] = h.IsLeaf(0) || h.Death[0] < eps || (rootStability >= childScore && !rootTooBig);
            }
        }

        // The topmost candidate on each root-to-leaf path wins (a selected parent removes its descendants).
        var covered = new bool[count];
        var owner = new int[count];
        var result = new List<int>();
        for (var c = 0; c < count; c++)
        {
            var parentCovered = c > 0 && covered[h.Parent[c]];
            covered[c] = parentCovered || candidate[c];
            owner[c] = parentCovered ? owner[h.Parent[c]] : candidate[c] ? c : -1;
            if (candidate[c] && !parentCovered)
            {
                result.Add(c);
            }
        }

        // Number clusters by their smallest member row, so labels do not depend on how merges were oriented.
        var firstRow = new Dictionary<int, int>();
        for (var p = h.PointCluster.Length - 1; p >= 0; p--)
        {
            var o = owner[h.PointCluster[p]];
            if (o >= 0)
            {
                firstRow[o] = p;
            }
        }

        result.Sort((x, y) => firstRow.GetValueOrDefault(x, int.MaxValue).CompareTo(firstRow.GetValueOrDefault(y, int.MaxValue)));
        return [.. result];
    }
}
