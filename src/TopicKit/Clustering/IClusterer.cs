using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>
/// A clustering algorithm configured by its options. <see cref="Fit"/> returns an immutable fitted model that labels
/// the training points and predicts new ones, and can be saved.
/// </summary>
public interface IClusterer
{
    /// <summary>Clusters the rows of <paramref name="data"/>.</summary>
    /// <param name="data">Points as a dense row-major matrix (N x d).</param>
    /// <param name="cancellationToken">Stops the work early with <see cref="OperationCanceledException"/>.</param>
    IFittedClusterer Fit(Matrix data, CancellationToken cancellationToken = default);
}

/// <summary>An immutable fitted clustering: the labels of the training points and a predictor for new points.</summary>
public interface IFittedClusterer
{
    /// <summary>A short name of the algorithm (<c>hdbscan</c>, <c>kmeans</c>), stored in saved models.</summary>
    string Kind { get; }

    /// <summary>Labels, probabilities and outlier scores of the training points.</summary>
    ClusterAssignment Assignment { get; }

    /// <summary>Assigns new points (same columns as the training data) to the fitted clusters.</summary>
    /// <exception cref="ArgumentException">When the column count differs from the training data.</exception>
    ClusterPrediction Predict(Matrix data, CancellationToken cancellationToken = default);

    /// <summary>Writes the model into <paramref name="directory"/> (created if missing); <see cref="FittedClusterers.Load"/> reads it back.</summary>
    void Save(string directory);
}

/// <summary>What every clusterer reports per point.</summary>
/// <param name="Labels">Cluster label per point, 0..<paramref name="ClusterCount"/>-1, or -1 for noise.</param>
/// <param name="Probabilities">Membership strength per point in [0, 1] (1 for hard assignments, 0 for noise).</param>
/// <param name="OutlierScores">Outlier score per point (GLOSH for HDBSCAN, distance to centroid for k-means).</param>
/// <param name="ClusterCount">Number of clusters found (noise excluded).</param>
public sealed record ClusterAssignment(int[] Labels, float[] Probabilities, float[] OutlierScores, int ClusterCount);

/// <summary>Labels of new points from <see cref="IFittedClusterer.Predict"/>.</summary>
/// <param name="Labels">Cluster label per new point, or -1 for noise.</param>
/// <param name="Probabilities">Membership strength per new point in [0, 1] (0 for noise).</param>
public sealed record ClusterPrediction(int[] Labels, float[] Probabilities);
