using System.Text.Json.Nodes;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Reduction;

/// <summary>Saves and loads fitted reductions (<see cref="UmapModel"/>, <see cref="PcaModel"/>) as a manifest plus <c>.npy</c> arrays.</summary>
public static class FittedReducers
{
    internal const string ManifestFile = "reducer.json";
    internal const string EmbeddingFile = "embedding.npy";
    internal const string TrainingFile = "training.npy";
    internal const string ComponentsFile = "components.npy";

    /// <summary>Reads the reduction saved in <paramref name="directory"/>, whatever its kind.</summary>
    /// <exception cref="ModelFormatException">The folder is missing, damaged, of a newer version or of an unknown kind.</exception>
    public static IFittedReducer Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var path = Path.Combine(directory, ManifestFile);
        var manifest = ModelFolder.ReadManifest(path, 1, UmapModel.Format, PcaModel.Format);
        var rows = ModelFolder.Get<int>(manifest, "rows", path);
        var components = ModelFolder.Get<int>(manifest, "components", path);
        var columns = ModelFolder.Get<int>(manifest, "columns", path);
        var embedding = ModelFolder.ReadArray(Path.Combine(directory, EmbeddingFile), rows, components);
        if (ModelFolder.FormatOf(manifest) == UmapModel.Format)
        {
            var options = ModelFolder.Get<UmapOptions>(manifest, "options", path);
            var training = ModelFolder.ReadArray(Path.Combine(directory, TrainingFile), rows, columns);
            return new UmapModel(
                options, training, embedding, ModelFolder.Get<double>(manifest, "a", path), ModelFolder.Get<double>(manifest, "b", path),
                ModelFolder.Get<UmapInit>(manifest, "initialization", path));
        }

        var axes = ModelFolder.ReadArray(Path.Combine(directory, ComponentsFile), components, columns);
        var mean = ModelFolder.Get<float[]>(manifest, "mean", path);
        var variance = ModelFolder.Get<double[]>(manifest, "explained_variance", path);
        var ratio = ModelFolder.Get<double[]>(manifest, "explained_variance_ratio", path);
        if (mean.Length != columns || variance.Length != components || ratio.Length != components)
        {
            throw new ModelFormatException($"{path} is damaged: the mean or variance lengths do not match {components} x {columns}.");
        }

        return PcaModel.Restore(axes, mean, variance, ratio, ModelFolder.Get<bool>(manifest, "whiten", path), embedding);
    }

    /// <summary>Writes the files common to every reduction: the manifest (with kind-specific <paramref name="extra"/>) and the embedding.</summary>
    internal static void Write(string directory, string format, Matrix embedding, int inputColumns, JsonObject extra)
    {
        Directory.CreateDirectory(directory);
        var manifest = new JsonObject
        {
            ["format"] = format,
            ["version"] = 1,
            ["rows"] = embedding.Rows,
            ["components"] = embedding.Columns,
            ["columns"] = inputColumns,
        };
        foreach (var (key, value) in extra.ToList())
        {
            extra.Remove(key);
            manifest[key] = value;
        }

        ModelFolder.WriteManifest(Path.Combine(directory, ManifestFile), manifest);
        NpyFile.Write(Path.Combine(directory, EmbeddingFile), embedding);
    }
}
