using TopicKit.Clustering;
using TopicKit.Neighbors;

namespace TopicKit.Pipeline;

/// <summary>The clustering algorithm of a <see cref="ClusteringPipeline"/>.</summary>
public enum ClusterAlgorithm
{
    /// <summary>HDBSCAN (density based, finds the number of clusters and marks noise).</summary>
    Hdbscan = 0,

    /// <summary>k-means (a fixed k, or the best silhouette over a range of k).</summary>
    KMeans = 1,
}

/// <summary>
/// Settings of <see cref="ClusteringPipeline.Run"/>; defaults follow BERTopic (UMAP 5-D, cosine, min_dist 0, then HDBSCAN),
/// with HDBSCAN's default cap on cluster size (<see cref="HdbscanOptions.MaxClusterShare"/>, half the points), which keeps
/// an unlucky UMAP seed from returning one giant topic.
/// </summary>
public sealed record ClusteringPipelineOptions
{
    /// <summary>The clusterer (default HDBSCAN).</summary>
    public ClusterAlgorithm Algorithm { get; init; } = ClusterAlgorithm.Hdbscan;

    /// <summary>Reduction before clustering; <see langword="null"/> (default) means <c>umap:5</c> for HDBSCAN and
    /// <c>none</c> for k-means. A reduction to as many dimensions as the input has, or more, is skipped.</summary>
    public ReductionSpec? Reduction { get; init; }

    /// <summary>
    /// Distance of the input vectors. With UMAP it is UMAP's neighbour metric (default cosine) and the reduced space is
    /// clustered with Euclidean distance, as BERTopic does; otherwise it is the clusterer's metric (default Euclidean).
    /// </summary>
    public DistanceMetric? Metric { get; init; }

    /// <summary>UMAP neighbourhood size (default 15).</summary>
    public int UmapNeighbors { get; init; } = 15;

    /// <summary>UMAP minimum distance (default 0.0, BERTopic's choice: tight clumps suit density clustering).</summary>
    public double UmapMinDist { get; init; }

    /// <summary>k-means: number of clusters when <see cref="KRange"/> is not set (default 8, as scikit-learn).</summary>
    public int K { get; init; } = 8;

    /// <summary>k-means: try every k in this inclusive range and keep the best mean silhouette (2 ≤ min ≤ max ≤ N − 1).</summary>
    public (int Min, int Max)? KRange { get; init; }

    /// <summary>k-means restarts, the best inertia kept (default 3, as <see cref="Clustering.KMeansOptions.NInit"/>).</summary>
    public int NInit { get; init; } = 3;

    /// <summary>HDBSCAN smallest cluster (default 10, BERTopic's min_topic_size).</summary>
    public int MinClusterSize { get; init; } = 10;

    /// <summary>HDBSCAN neighbours for the core distance, the point itself included (default: <see cref="MinClusterSize"/>).</summary>
    public int? MinSamples { get; init; }

    /// <summary>HDBSCAN cluster selection (default excess of mass).</summary>
    public HdbscanSelectionMethod Method { get; init; } = HdbscanSelectionMethod.Eom;

    /// <summary>Seed of UMAP, PCA, k-means and the silhouette sample (default 0). Results do not depend on the thread count.</summary>
    public int Seed { get; init; }

    /// <summary>Points in the silhouette sample (default 2,000); all points when N is smaller.</summary>
    public int SilhouetteSampleSize { get; init; } = 2000;

    /// <summary>Threads (-1 = all).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The reduction actually requested: <see cref="Reduction"/> or the algorithm's default.</summary>
    public ReductionSpec EffectiveReduction => Reduction
        ?? (Algorithm == ClusterAlgorithm.Hdbscan ? new ReductionSpec(ReductionKind.Umap, ReductionSpec.DefaultUmapComponents) : ReductionSpec.None);
}
