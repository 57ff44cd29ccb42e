namespace TopicKit.Embedding;

/// <summary>
/// Turns the <c>--model NAME|PATH</c> argument into a local model folder: an existing folder is used as is (any layout);
/// otherwise the argument must name a known model that is installed in the <see cref="ModelStore"/>.
/// </summary>
public sealed class ModelResolver
{
    /// <summary>Creates a resolver over <paramref name="store"/>.</summary>
    public ModelResolver(ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
    }

    /// <summary>The models folder and registry names are resolved against.</summary>
    public ModelStore Store { get; }

    /// <summary>A resolver over the default models folder and the embedded registry.</summary>
    public static ModelResolver CreateDefault() => new(ModelStore.Create());

    /// <summary>Returns the absolute folder of the model named or pointed to by <paramref name="nameOrPath"/>.</summary>
    /// <exception cref="ModelNotInstalledException">A known name that is not installed (the message says how to pull it).</exception>
    /// <exception cref="ModelResolutionException">An unknown name (the message lists the known ones) or a missing folder path.</exception>
    public string Resolve(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        var text = nameOrPath.Trim();
        if (text.Length == 0)
        {
            throw new ModelResolutionException("no model given; pass a model name (" + string.Join(", ", Store.Registry.Names) + ") or a model folder path");
        }

        var expanded = ModelStore.ExpandHome(text);
        if (Directory.Exists(expanded))
        {
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(expanded));
        }

        if (Store.Registry.TryGet(text, out var manifest))
        {
            return Store.IsInstalled(manifest)
                ? Store.GetModelDirectory(manifest)
                : throw new ModelNotInstalledException(manifest.Name);
        }

        if (LooksLikePath(text))
        {
            throw new ModelResolutionException(File.Exists(expanded)
                ? $"model path '{text}' is a file; pass the folder that holds model.onnx and the tokenizer files"
                : $"model folder '{text}' does not exist");
        }

        throw new ModelResolutionException(Store.Registry.UnknownNameMessage(text));
    }

    /// <summary>The manifest when <paramref name="nameOrPath"/> names a known model (and is not an existing folder), else null.</summary>
    public ModelManifest? FindManifest(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        var text = nameOrPath.Trim();
        return !Directory.Exists(ModelStore.ExpandHome(text)) && Store.Registry.TryGet(text, out var m) ? m : null;
    }

    private static bool LooksLikePath(string text) =>
        text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal) ||
        text.StartsWith('.') || text.StartsWith('~') || Path.IsPathRooted(text);
}
