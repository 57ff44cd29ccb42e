using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>A clustering algorithm configured by its options; <see cref="Fit"/> returns an immutable result.</summary>
public interface IClusterer
{
    /// <summary>Clusters the rows of <paramref name="data"/>.</summary>
    /// <param name="data">Points as a dense row-major matrix (N x d).</param>
    /// <param name="cancellationToken">Stops the work early with <see cref="OperationCanceledException"/>.</param>
    ClusterAssignment Fit(Matrix data, CancellationToken cancellationToken = default);
}

/// <summary>What every clusterer reports per point.</summary>
/// <param name="Labels">Cluster label per point, 0..<paramref name="ClusterCount"/>-1, or -1 for noise.</param>
/// <param name="Probabilities">Membership strength per point in [0, 1] (1 for hard assignments, 0 for noise).</param>
/// <param name="OutlierScores">Outlier score per point (GLOSH for HDBSCAN, distance to centroid for k-means).</param>
/// <param name="ClusterCount">Number of clusters found (noise excluded).</param>
public sealed record ClusterAssignment(int[] Labels, float[] Probabilities, float[] OutlierScores, int ClusterCount);
