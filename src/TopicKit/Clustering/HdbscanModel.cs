using System.Text.Json.Nodes;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Clustering;

/// <summary>A fitted HDBSCAN as an <see cref="IFittedClusterer"/>: the full <see cref="HdbscanResult"/> plus the points it was fitted on.</summary>
/// <remarks>
/// Saving writes the options and the training points, not the tree: HDBSCAN is deterministic, so loading refits and
/// gets the identical hierarchy, which is then checked against the saved labels. The tree never has to be
/// serialised and a saved model cannot disagree with the code that reads it.
/// </remarks>
public sealed class HdbscanModel : IFittedClusterer
{
    internal const string Format = "hdbscan";
    private const string ManifestFile = "clusterer.json";
    private const string PointsFile = "points.npy";
    private const string LabelsFile = "labels.npy";

    private readonly Matrix _points;

    internal HdbscanModel(HdbscanResult result, Matrix points)
    {
        Result = result;
        _points = points;
        Assignment = result.ToAssignment();
    }

    /// <inheritdoc />
    public string Kind => Format;

    /// <summary>The detailed result: hierarchy, clusters, exemplars, core distances.</summary>
    public HdbscanResult Result { get; }

    /// <summary>The options of the fit.</summary>
    public HdbscanOptions Options => Result.Options;

    /// <inheritdoc />
    public ClusterAssignment Assignment { get; }

    /// <inheritdoc />
    /// <remarks>The Python hdbscan library's <c>approximate_predict</c>; see <see cref="HdbscanResult.ApproximatePredict"/>.</remarks>
    public ClusterPrediction Predict(Matrix data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        cancellationToken.ThrowIfCancellationRequested();
        var p = Result.ApproximatePredict(data);
        return new ClusterPrediction([.. p.Labels], [.. p.Probabilities]);
    }

    /// <inheritdoc />
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        ModelFolder.WriteManifest(Path.Combine(directory, ManifestFile), new JsonObject
        {
            ["format"] = Format,
            ["version"] = 1,
            ["options"] = ModelFolder.ToNode(Options with { MaxDegreeOfParallelism = -1 }),
            ["rows"] = _points.Rows,
            ["columns"] = _points.Columns,
        });
        NpyFile.Write(Path.Combine(directory, PointsFile), _points);
        NpyFile.Write(Path.Combine(directory, LabelsFile), ModelFolder.LabelColumn(Assignment.Labels));
    }

    /// <summary>Reads a model written by <see cref="Save"/>, refitting it on the saved points.</summary>
    /// <exception cref="ModelFormatException">The folder is missing, damaged or holds another kind of model.</exception>
    internal static HdbscanModel Load(string directory, JsonObject manifest, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, ManifestFile);
        var options = ModelFolder.Get<HdbscanOptions>(manifest, "options", path);
        var rows = ModelFolder.Get<int>(manifest, "rows", path);
        var columns = ModelFolder.Get<int>(manifest, "columns", path);
        var points = ModelFolder.ReadArray(Path.Combine(directory, PointsFile), rows, columns);
        var labels = ModelFolder.ReadLabels(Path.Combine(directory, LabelsFile), rows);
        var model = new Hdbscan(options).Fit(points, cancellationToken);
        if (!model.Assignment.Labels.AsSpan().SequenceEqual(labels))
        {
            throw new ModelFormatException($"{directory}: refitting HDBSCAN on the saved points does not give the saved labels; the folder is damaged.");
        }

        return (HdbscanModel)model;
    }

    internal static string ManifestName => ManifestFile;
}
