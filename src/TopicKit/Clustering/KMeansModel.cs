using System.Text.Json.Nodes;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Clustering;

/// <summary>A fitted k-means as an <see cref="IFittedClusterer"/>: centroids, the training assignment and nearest-centroid prediction.</summary>
public sealed class KMeansModel : IFittedClusterer
{
    internal const string Format = "kmeans";
    private const string CentroidsFile = "centroids.npy";
    private const string LabelsFile = "labels.npy";
    private const string DistancesFile = "distances.npy";

    internal KMeansModel(KMeansResult result, KMeansOptions options)
    {
        Result = result;
        Options = options;
        Assignment = result.ToAssignment();
    }

    /// <inheritdoc />
    public string Kind => Format;

    /// <summary>The detailed result: centroids, inertia, iterations.</summary>
    public KMeansResult Result { get; }

    /// <summary>The options of the fit.</summary>
    public KMeansOptions Options { get; }

    /// <inheritdoc />
    public ClusterAssignment Assignment { get; }

    /// <inheritdoc />
    /// <remarks>Every point gets its nearest centroid (cosine: on the unit sphere) with probability 1.</remarks>
    public ClusterPrediction Predict(Matrix data, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var labels = Result.Predict(data);
        var probabilities = new float[labels.Length];
        Array.Fill(probabilities, 1f);
        return new ClusterPrediction(labels, probabilities);
    }

    /// <inheritdoc />
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var r = Result;
        ModelFolder.WriteManifest(Path.Combine(directory, HdbscanModel.ManifestName), new JsonObject
        {
            ["format"] = Format,
            ["version"] = 1,
            ["options"] = ModelFolder.ToNode(Options with { MaxDegreeOfParallelism = -1 }),
            ["rows"] = r.Labels.Length,
            ["k"] = r.Centroids.Rows,
            ["columns"] = r.Centroids.Columns,
            ["inertia"] = r.Inertia,
            ["iterations"] = r.Iterations,
            ["n_init_used"] = r.NInitUsed,
            ["converged"] = r.Converged,
        });
        NpyFile.Write(Path.Combine(directory, CentroidsFile), r.Centroids);
        NpyFile.Write(Path.Combine(directory, LabelsFile), ModelFolder.LabelColumn(r.Labels));
        NpyFile.Write(Path.Combine(directory, DistancesFile), new Matrix((float[])r.Distances.Clone(), r.Distances.Length, 1));
    }

    internal static KMeansModel Load(string directory, JsonObject manifest)
    {
        var path = Path.Combine(directory, HdbscanModel.ManifestName);
        var options = ModelFolder.Get<KMeansOptions>(manifest, "options", path);
        var rows = ModelFolder.Get<int>(manifest, "rows", path);
        var k = ModelFolder.Get<int>(manifest, "k", path);
        var columns = ModelFolder.Get<int>(manifest, "columns", path);
        var centroids = ModelFolder.ReadArray(Path.Combine(directory, CentroidsFile), k, columns);
        var labels = ModelFolder.ReadLabels(Path.Combine(directory, LabelsFile), rows);
        if (labels.Any(l => l < 0 || l >= k))
        {
            throw new ModelFormatException($"{directory}: a k-means label is outside 0..{k - 1}; the folder is damaged.");
        }

        var distances = ModelFolder.ReadArray(Path.Combine(directory, DistancesFile), rows, 1).Data;
        var result = new KMeansResult(
            centroids, labels, distances, ModelFolder.Get<double>(manifest, "inertia", path), ModelFolder.Get<int>(manifest, "iterations", path),
            ModelFolder.Get<int>(manifest, "n_init_used", path), ModelFolder.Get<bool>(manifest, "converged", path), options.Metric, -1);
        return new KMeansModel(result, options);
    }

}
