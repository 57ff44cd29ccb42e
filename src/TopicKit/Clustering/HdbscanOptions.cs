using TopicKit.Neighbors;

namespace TopicKit.Clustering;

/// <summary>How flat clusters are chosen from the condensed cluster tree.</summary>
public enum HdbscanSelectionMethod
{
    /// <summary>Excess of mass: the set of non-nested clusters with the largest total stability (the default).</summary>
    Eom = 0,

    /// <summary>Every leaf of the condensed tree: many small, homogeneous clusters.</summary>
    Leaf = 1,
}

/// <summary>Which minimum-spanning-tree algorithm is used.</summary>
public enum HdbscanAlgorithm
{
    /// <summary>
    /// K-d tree Boruvka up to 16 dimensions, dense Prim above (where tree pruning fails; O(N^2 d), so reduce
    /// high-dimensional data, e.g. with UMAP, before clustering more than a few tens of thousands of points).
    /// </summary>
    Auto = 0,

    /// <summary>Single-tree Boruvka over a k-d tree with core-distance and component pruning.</summary>
    KdTreeBoruvka = 1,

    /// <summary>Prim over the implicit dense mutual-reachability matrix: O(N^2 d) time, O(N) memory.</summary>
    PrimDense = 2,
}

/// <summary>
/// Parameters of <see cref="Hdbscan"/>. Immutable; defaults follow the Python hdbscan library, except
/// <see cref="MaxClusterShare"/> (0.5: no cluster of more than half the points). Set it to 1 to reproduce R dbscan or
/// the Python hdbscan library exactly.
/// </summary>
public sealed record HdbscanOptions
{
    /// <summary>Dimensions up to which <see cref="HdbscanAlgorithm.Auto"/> always uses the k-d tree.</summary>
    public const int MaxTreeDimensions = 16;

    /// <summary>Smallest number of points a split-off part needs to count as a cluster (default 5, at least 2).</summary>
    public int MinClusterSize { get; init; } = 5;

    /// <summary>
    /// Neighbourhood size of the core distance, counting the point itself (as R dbscan's minPts and scikit-learn's
    /// min_samples): the core distance is the distance to the (MinSamples-1)-th nearest other point.
    /// Null (the default) means <see cref="MinClusterSize"/>.
    /// </summary>
    public int? MinSamples { get; init; }

    /// <summary>
    /// Euclidean (default) or cosine. Cosine normalises rows and searches by Euclidean distance on the sphere
    /// (same order); every reported distance (core distances, lambdas, epsilon) is the cosine distance 1 - cos.
    /// </summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Flat cluster extraction: <see cref="HdbscanSelectionMethod.Eom"/> (default) or leaf.</summary>
    public HdbscanSelectionMethod ClusterSelectionMethod { get; init; } = HdbscanSelectionMethod.Eom;

    /// <summary>
    /// Distance below which clusters are not split further (default 0 = off), as R dbscan's
    /// cluster_selection_epsilon: a cluster whose children are born below this distance is selected instead of them.
    /// </summary>
    public double ClusterSelectionEpsilon { get; init; }

    /// <summary>
    /// Whether the root (all points) may be the only cluster (default false). When it is selected every point is in it.
    /// </summary>
    public bool AllowSingleCluster { get; init; }

    /// <summary>Clusters larger than this are never selected under EOM; their children are (default 0 = no limit).</summary>
    public int MaxClusterSize { get; init; }

    /// <summary>
    /// Largest share of all points one cluster may hold under EOM (default 0.5; 1 = no limit, the behaviour of R
    /// dbscan and of the Python hdbscan library). A cluster holding more is never selected; its children are, as
    /// <see cref="MaxClusterSize"/> does with a count. A leaf of the condensed tree cannot be split and is kept whatever
    /// its size, and the cap does not apply when <see cref="AllowSingleCluster"/> asks for a possible all-points cluster.
    /// </summary>
    /// <remarks>
    /// Why a cap by default: on embeddings reduced by UMAP, a run can lay most documents out as one dense continent
    /// whose excess of mass beats the sum of its sub-clusters, and EOM then returns one giant cluster. On the 2,000
    /// arXiv abstracts embedded with USE-lite, seeds 0 and 1 gave 2 clusters, one holding 97.5% (V-measure 0.04 against
    /// the archives), while other seeds gave 20-26 clusters. The cap leaves runs without a giant cluster unchanged and
    /// replaces the giant one by its EOM-optimal sub-clusters (27-30 clusters, V-measure 0.31 there). See the README's
    /// clustering defaults for the measurements.
    /// </remarks>
    public double MaxClusterShare { get; init; } = 0.5;

    /// <summary>Minimum-spanning-tree algorithm (default <see cref="HdbscanAlgorithm.Auto"/>); results do not depend on it.</summary>
    public HdbscanAlgorithm Algorithm { get; init; } = HdbscanAlgorithm.Auto;

    /// <summary>Threads to use (default -1 = all cores); results are identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The core-distance neighbourhood actually used: <see cref="MinSamples"/> or else <see cref="MinClusterSize"/>.</summary>
    public int EffectiveMinSamples => MinSamples ?? MinClusterSize;

    /// <summary>
    /// The largest cluster EOM may select among <paramref name="pointCount"/> points: the tighter of
    /// <see cref="MaxClusterSize"/> and <see cref="MaxClusterShare"/> (the share ignored with <see cref="AllowSingleCluster"/>).
    /// </summary>
    internal int MaxSelectableSize(int pointCount)
    {
        var limit = MaxClusterSize > 0 ? MaxClusterSize : int.MaxValue;
        if (!AllowSingleCluster && MaxClusterShare < 1)
        {
            limit = Math.Min(limit, (int)Math.Floor(MaxClusterShare * pointCount));
        }

        return limit;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (MinClusterSize < 2)
        {
            throw new ArgumentException($"HDBSCAN MinClusterSize must be at least 2 (got {MinClusterSize}).");
        }

        if (EffectiveMinSamples < 1)
        {
            throw new ArgumentException($"HDBSCAN MinSamples must be at least 1 (got {EffectiveMinSamples}).");
        }

        if (!double.IsFinite(ClusterSelectionEpsilon) || ClusterSelectionEpsilon < 0)
        {
            throw new ArgumentException($"HDBSCAN ClusterSelectionEpsilon must be finite and >= 0 (got {ClusterSelectionEpsilon}).");
        }

        if (MaxClusterSize < 0)
        {
            throw new ArgumentException($"HDBSCAN MaxClusterSize must be >= 0, 0 meaning no limit (got {MaxClusterSize}).");
        }

        if (!(MaxClusterShare > 0 && MaxClusterShare <= 1))
        {
            throw new ArgumentException($"HDBSCAN MaxClusterShare must be in (0, 1], 1 meaning no limit (got {MaxClusterShare}).");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentException($"HDBSCAN MaxDegreeOfParallelism must be -1 or positive (got {MaxDegreeOfParallelism}).");
        }

        if (!Enum.IsDefined(Metric) || !Enum.IsDefined(ClusterSelectionMethod) || !Enum.IsDefined(Algorithm))
        {
            throw new ArgumentException("HDBSCAN options hold an undefined enum value.");
        }
    }
}
