using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>A fitted k-means model: centroids plus the assignment of the training points.</summary>
public sealed class KMeansResult
{
    internal KMeansResult(
        Matrix centroids, int[] labels, float[] distances, double inertia, int iterations, int nInitUsed, bool converged, DistanceMetric metric, int maxDegreeOfParallelism)
    {
        Centroids = centroids;
        Labels = labels;
        Distances = distances;
        Inertia = inertia;
        Iterations = iterations;
        NInitUsed = nInitUsed;
        Converged = converged;
        Metric = metric;
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>Cluster centres (k x d). Unit-norm rows for <see cref="DistanceMetric.Cosine"/>.</summary>
    public Matrix Centroids { get; }

    /// <summary>Cluster index 0..k-1 of every training point.</summary>
    public int[] Labels { get; }

    /// <summary>
    /// Euclidean distance of every training point to its centroid (on the unit sphere for cosine, where it equals
    /// sqrt(2 - 2 cos)).
    /// </summary>
    public float[] Distances { get; }

    /// <summary>Sum of squared Euclidean distances of the points to their centroids (on normalised rows for cosine).</summary>
    public double Inertia { get; }

    /// <summary>Iterations of the winning run (mini-batch: batches processed).</summary>
    public int Iterations { get; }

    /// <summary>Number of restarts that were run.</summary>
    public int NInitUsed { get; }

    /// <summary>Whether the winning run stopped on the tolerance (or unchanged labels) rather than on <see cref="KMeansOptions.MaxIter"/>.</summary>
    public bool Converged { get; }

    /// <summary>The metric the model was fitted with; <see cref="Predict"/> applies it too.</summary>
    public DistanceMetric Metric { get; }

    private int MaxDegreeOfParallelism { get; }

    /// <summary>Number of centroids (k as requested).</summary>
    public int K => Centroids.Rows;

    /// <summary>
    /// Number of centroids with at least one point. Below <see cref="K"/> only when the data has fewer than k distinct
    /// points (empty clusters are otherwise moved to the farthest points during the run).
    /// </summary>
    public int NonEmptyClusters => Labels.Distinct().Count();

    /// <summary>Assigns new points to their nearest centroid (ties to the lower index).</summary>
    /// <param name="data">Points with the model's dimension.</param>
    /// <exception cref="ArgumentException">When the dimension differs.</exception>
    /// <exception cref="InvalidDataException">When a value is NaN or infinite, or (cosine) a row is all zeros.</exception>
    public int[] Predict(Matrix data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Columns != Centroids.Columns)
        {
            throw new ArgumentException(
                $"The points have {data.Columns} columns but the model was fitted on {Centroids.Columns}.", nameof(data));
        }

        data.EnsureFinite("k-means input");
        if (Metric == DistanceMetric.Cosine)
        {
            RowOps.EnsureNoZeroRows(data, "cosine k-means input");
        }

        var x = Metric == DistanceMetric.Cosine ? RowOps.NormalizedCopy(data) : data;
        return KMeansAssign.Nearest(x, Centroids, MaxDegreeOfParallelism);
    }

    /// <summary>
    /// The model as the common clusterer output: hard labels, probability 1, outlier score = distance to centroid. Only
    /// non-empty clusters are reported: <see cref="ClusterAssignment.ClusterCount"/> is <see cref="NonEmptyClusters"/>
    /// and labels are renumbered 0..count-1 in centroid order, skipping empty centroids (so they equal <see cref="Labels"/>
    /// whenever every cluster has a point).
    /// </summary>
    public ClusterAssignment ToAssignment()
    {
        var probabilities = new float[Labels.Length];
        Array.Fill(probabilities, 1f);
        var renumbered = new int[K];
        Array.Fill(renumbered, -1);
        foreach (var label in Labels)
        {
            renumbered[label] = 0;
        }

        var count = 0;
        for (var c = 0; c < K; c++)
        {
            if (renumbered[c] == 0)
            {
                renumbered[c] = count++;
            }
        }

        var labels = Array.ConvertAll(Labels, l => renumbered[l]);
        return new ClusterAssignment(labels, probabilities, (float[])Distances.Clone(), count);
    }
}
