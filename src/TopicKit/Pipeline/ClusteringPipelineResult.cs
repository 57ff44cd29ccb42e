using TopicKit.Clustering;
using TopicKit.Neighbors;

namespace TopicKit.Pipeline;

/// <summary>The immutable outcome of <see cref="ClusteringPipeline.Run"/>: one label, probability and outlier score per input row.</summary>
public sealed class ClusteringPipelineResult
{
    internal ClusteringPipelineResult(
        ClusterAssignment assignment, ReductionSpec reduction, int clusteredColumns, DistanceMetric clusterMetric, double? silhouette, int silhouettePoints)
    {
        Assignment = assignment;
        Reduction = reduction;
        ClusteredColumns = clusteredColumns;
        ClusterMetric = clusterMetric;
        Silhouette = silhouette;
        SilhouettePoints = silhouettePoints;
        var sizes = new int[assignment.ClusterCount];
        var noise = 0;
        foreach (var label in assignment.Labels)
        {
            if (label < 0)
            {
                noise++;
            }
            else
            {
                sizes[label]++;
            }
        }

        ClusterSizes = sizes;
        NoiseCount = noise;
    }

    /// <summary>Labels (-1 = noise), membership probabilities and outlier scores, row by row.</summary>
    /// <remarks>k-means: probability 1 and outlier score = Euclidean distance to the centroid (on unit-normalised rows
    /// for cosine). HDBSCAN: membership strength and GLOSH.</remarks>
    public ClusterAssignment Assignment { get; }

    /// <summary>The reduction that actually ran (<see cref="ReductionSpec.None"/> when none ran or it was skipped).</summary>
    public ReductionSpec Reduction { get; }

    /// <summary>Dimension of the clustered space.</summary>
    public int ClusteredColumns { get; }

    /// <summary>Metric the clusterer (and the silhouette) used.</summary>
    public DistanceMetric ClusterMetric { get; }

    /// <summary>Number of input rows.</summary>
    public int PointCount => Assignment.Labels.Length;

    /// <summary>Members of each cluster, by label.</summary>
    public IReadOnlyList<int> ClusterSizes { get; }

    /// <summary>Points labelled noise (-1).</summary>
    public int NoiseCount { get; }

    /// <summary>Fraction of points labelled noise (0 when there are no points).</summary>
    public double NoiseShare => PointCount == 0 ? 0 : (double)NoiseCount / PointCount;

    /// <summary>Mean silhouette of the non-noise points in the clustered space (sampled for large N), or
    /// <see langword="null"/> when it is undefined (fewer than 2 clusters, or as many clusters as points).</summary>
    public double? Silhouette { get; }

    /// <summary>Points the silhouette was computed on (0 when undefined).</summary>
    public int SilhouettePoints { get; }

    /// <summary>k-means only: the fitted model (inertia, iterations, centroids); <see langword="null"/> for HDBSCAN.</summary>
    public KMeansResult? KMeans { get; init; }

    /// <summary>k-means with a k range only: every candidate k with inertia and silhouette.</summary>
    public IReadOnlyList<KMeansCandidate>? Candidates { get; init; }

    /// <summary>HDBSCAN only: the detailed result (condensed tree, exemplars, prediction).</summary>
    public HdbscanResult? Hdbscan { get; init; }

    /// <summary>Time spent reducing.</summary>
    public TimeSpan ReduceTime { get; init; }

    /// <summary>Time spent clustering (for a k range, all candidates).</summary>
    public TimeSpan ClusterTime { get; init; }
}
