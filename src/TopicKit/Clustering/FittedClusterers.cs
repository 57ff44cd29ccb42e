using TopicKit.Storage;

namespace TopicKit.Clustering;

/// <summary>Loads any fitted clusterer saved with <see cref="IFittedClusterer.Save"/>.</summary>
public static class FittedClusterers
{
    /// <summary>Reads the model saved in <paramref name="directory"/>, whatever its kind.</summary>
    /// <exception cref="ModelFormatException">The folder is missing, damaged, of a newer version or of an unknown kind.</exception>
    public static IFittedClusterer Load(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var manifest = ModelFolder.ReadManifest(Path.Combine(directory, HdbscanModel.ManifestName), 1, HdbscanModel.Format, KMeansModel.Format);
        return ModelFolder.FormatOf(manifest) == HdbscanModel.Format
            ? HdbscanModel.Load(directory, manifest, cancellationToken)
            : KMeansModel.Load(directory, manifest);
    }
}
