using System.Reflection;

namespace TopicKit.Embedding;

/// <summary>
/// The set of known downloadable models. <see cref="Default"/> holds the manifests embedded in the library
/// (the repository's <c>models/*.json</c>), so an installed tool carries them.
/// </summary>
public sealed class ModelRegistry
{
    private const string ResourcePrefix = "TopicKit.Models.";
    private static readonly Lazy<ModelRegistry> DefaultLazy = new(LoadEmbedded);
    private readonly Dictionary<string, ModelManifest> byName;

    /// <summary>Creates a registry from manifests; names must be unique (case-insensitive).</summary>
    /// <exception cref="ArgumentException">When two manifests share a name.</exception>
    public ModelRegistry(IEnumerable<ModelManifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        byName = new Dictionary<string, ModelManifest>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in manifests)
        {
            if (!byName.TryAdd(m.Name, m))
            {
                throw new ArgumentException($"Two model manifests are named '{m.Name}'.", nameof(manifests));
            }
        }

        Models = [.. byName.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];
    }

    /// <summary>The manifests embedded in the library.</summary>
    public static ModelRegistry Default => DefaultLazy.Value;

    /// <summary>All known models, ordered by name.</summary>
    public IReadOnlyList<ModelManifest> Models { get; }

    /// <summary>Names of all known models, ordered.</summary>
    public IEnumerable<string> Names => Models.Select(m => m.Name);

    /// <summary>Parses one manifest file; its name must equal the file name without <c>.json</c>.</summary>
    /// <exception cref="InvalidDataException">When the manifest is malformed; the message names the file and field.</exception>
    public static ModelManifest LoadManifestFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var manifest = ModelManifestReader.Parse(File.ReadAllText(path), path);
        CheckNameMatches(manifest, Path.GetFileNameWithoutExtension(path), path);
        return manifest;
    }

    /// <summary>Loads every <c>*.json</c> manifest of a folder (e.g. the repository's <c>models/</c>).</summary>
    public static ModelRegistry LoadDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new ModelRegistry(Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(LoadManifestFile));
    }

    /// <summary>Finds a model by name (case-insensitive).</summary>
    public bool TryGet(string name, out ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(name);
        return byName.TryGetValue(name, out manifest!);
    }

    /// <summary>Finds a model by name (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">When the name is unknown; the message lists the known names.</exception>
    public ModelManifest Get(string name) =>
        TryGet(name, out var m) ? m : throw new KeyNotFoundException(UnknownNameMessage(name));

    /// <summary>The error text for an unknown model name, listing the known ones.</summary>
    public string UnknownNameMessage(string name) =>
        $"unknown model '{name}'; known models: {string.Join(", ", Names)} (or pass a model folder path)";

    private static ModelRegistry LoadEmbedded()
    {
        var assembly = typeof(ModelRegistry).Assembly;
        var manifests = new List<ModelManifest>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(IsManifestResource).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded model manifest '{resource}' cannot be opened.");
            using var reader = new StreamReader(stream);
            var manifest = ModelManifestReader.Parse(reader.ReadToEnd(), resource);
            CheckNameMatches(manifest, resource[ResourcePrefix.Length..^".json".Length], resource);
            manifests.Add(manifest);
        }

        return new ModelRegistry(manifests);
    }

    private static bool IsManifestResource(string name) =>
        name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal);

    private static void CheckNameMatches(ModelManifest manifest, string expected, string source)
    {
        if (!string.Equals(manifest.Name, expected, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Model manifest '{source}': 'name' is '{manifest.Name}' but the file is named '{expected}.json'; they must match.");
        }
    }
}
