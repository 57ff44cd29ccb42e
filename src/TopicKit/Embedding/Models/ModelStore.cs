using System.Text.Json;

namespace TopicKit.Embedding;

/// <summary>
/// The user's models folder (<c>~/.cache/topickit/models</c>, or env <c>TOPICKIT_MODELS</c>): one sub-folder per installed
/// model in the sentence-transformers layout, plus <c>&lt;name&gt;.partial/</c> staging folders of interrupted pulls.
/// A model counts as installed only when its folder holds <see cref="InstallRecordFileName"/>, which a pull writes last
/// before the atomic rename, so a half-written model is never visible.
/// </summary>
public sealed class ModelStore
{
    /// <summary>Name of the install record inside an installed model folder.</summary>
    public const string InstallRecordFileName = "topickit-model.json";

    /// <summary>Environment variable that overrides the models folder.</summary>
    public const string ModelsDirectoryVariable = "TOPICKIT_MODELS";

    /// <summary>Suffix of staging folders and of partially downloaded files.</summary>
    public const string PartialSuffix = ".partial";

    internal static readonly JsonSerializerOptions RecordJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Creates a store rooted at <paramref name="root"/> (created lazily on first pull).</summary>
    public ModelStore(string root, ModelRegistry? registry = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Registry = registry ?? ModelRegistry.Default;
    }

    /// <summary>The models folder.</summary>
    public string Root { get; }

    /// <summary>The known models.</summary>
    public ModelRegistry Registry { get; }

    /// <summary><c>TOPICKIT_MODELS</c> when set, else <c>~/.cache/topickit/models</c>.</summary>
    public static string DefaultRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(ModelsDirectoryVariable);
            return !string.IsNullOrWhiteSpace(env)
                ? Path.GetFullPath(ExpandHome(env))
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "topickit", "models");
        }
    }

    /// <summary>A store at <paramref name="root"/> or, when null, at <see cref="DefaultRoot"/>, with the embedded registry.</summary>
    public static ModelStore Create(string? root = null) => new(root ?? DefaultRoot);

    /// <summary>Folder a model is (or would be) installed in.</summary>
    public string GetModelDirectory(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Path.Combine(Root, manifest.Name);
    }

    /// <summary>Staging folder a pull downloads into before the atomic rename.</summary>
    public string GetStagingDirectory(ModelManifest manifest) => GetModelDirectory(manifest) + PartialSuffix;

    /// <summary>True when the model's folder exists and holds its install record.</summary>
    public bool IsInstalled(ModelManifest manifest) => File.Exists(Path.Combine(GetModelDirectory(manifest), InstallRecordFileName));

    /// <summary>Bytes already downloaded into the staging folder (complete files and <c>.partial</c> parts).</summary>
    public long GetStagedBytes(ModelManifest manifest)
    {
        var staging = GetStagingDirectory(manifest);
        return Directory.Exists(staging)
            ? new DirectoryInfo(staging).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;
    }

    /// <summary>Installed models, in registry order.</summary>
    public IReadOnlyList<ModelManifest> GetInstalled() => [.. Registry.Models.Where(IsInstalled)];

    /// <summary>
    /// Re-hashes every file of an installed model against the manifest's pinned hashes, and against the hashes recorded at
    /// install time for files the manifest leaves unpinned.
    /// </summary>
    /// <exception cref="ModelNotInstalledException">When the model is not installed.</exception>
    public ModelVerification Verify(ModelManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var dir = GetModelDirectory(manifest);
        var record = ReadRecord(manifest) ?? throw new ModelNotInstalledException(manifest.Name);
        var recorded = record.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var checks = new List<ModelFileCheck>();
        var paths = manifest.Files.Select(f => f.Path).Concat(record.Files.Select(f => f.Path)).Distinct(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var pinned = manifest.Files.FirstOrDefault(f => f.Path == path && f.IsPinned);
            recorded.TryGetValue(path, out var rec);
            var expectedSha = pinned?.Sha256 ?? rec?.Sha256;
            var expectedSize = pinned?.Size ?? rec?.Size;
            checks.Add(CheckFile(dir, path, expectedSha, expectedSize, cancellationToken));
        }

        return new ModelVerification(manifest.Name, dir, checks);
    }

    /// <summary>
    /// Cheap load-time integrity check of an installed model: every file in the install record must exist with its recorded
    /// size, and when <paramref name="loadedFile"/> is given (a path relative to the model folder, with the SHA-256 the loader
    /// computed anyway), that hash must equal the recorded one. Run <c>topickit models verify</c> for a full re-hash.
    /// </summary>
    /// <exception cref="ModelNotInstalledException">When the model is not installed.</exception>
    /// <exception cref="ModelIntegrityException">A file is missing, resized or altered; the message says how to repair it.</exception>
    public void EnsureUnchanged(ModelManifest manifest, (string Path, string Sha256)? loadedFile = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var dir = GetModelDirectory(manifest);
        var record = ReadRecord(manifest) ?? throw new ModelNotInstalledException(manifest.Name);
        var repair = $"run `topickit models verify {manifest.Name}` to check it, or `topickit models pull {manifest.Name} --force` to reinstall it.";
        foreach (var file in record.Files)
        {
            var full = Path.Combine(dir, file.Path);
            if (!File.Exists(full))
            {
                throw new ModelIntegrityException($"model {manifest.Name}: '{full}' is missing; {repair}");
            }

            var size = new FileInfo(full).Length;
            if (size != file.Size)
            {
                throw new ModelIntegrityException($"model {manifest.Name}: '{full}' has {size} bytes but {file.Size} were installed (the file was changed); {repair}");
            }
        }

        if (loadedFile is { } loaded)
        {
            var relative = loaded.Path.Replace('\\', '/');
            var recorded = record.Files.FirstOrDefault(f => string.Equals(f.Path.Replace('\\', '/'), relative, StringComparison.Ordinal));
            if (recorded is not null && !string.Equals(recorded.Sha256, loaded.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelIntegrityException(
                    $"model {manifest.Name}: '{Path.Combine(dir, loaded.Path)}' has sha256 {loaded.Sha256} but {recorded.Sha256} was installed (the file was changed); {repair}");
            }
        }
    }

    internal static ModelFileCheck CheckFile(string dir, string path, string? expectedSha, long? expectedSize, CancellationToken cancellationToken)
    {
        var full = Path.Combine(dir, path);
        if (!File.Exists(full))
        {
            return new ModelFileCheck(path, expectedSha, null, expectedSize, null, ModelFileStatus.Missing);
        }

        var size = new FileInfo(full).Length;
        var sha = ModelFileHash.Compute(full, cancellationToken);
        var status = expectedSha is null
            ? ModelFileStatus.Unpinned
            : sha == expectedSha && (expectedSize is null || expectedSize == size) ? ModelFileStatus.Ok : ModelFileStatus.Corrupt;
        return new ModelFileCheck(path, expectedSha, sha, expectedSize, size, status);
    }

    internal ModelInstallRecord? ReadRecord(ModelManifest manifest)
    {
        var path = Path.Combine(GetModelDirectory(manifest), InstallRecordFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ModelInstallRecord>(File.ReadAllText(path), RecordJson)
                ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The install record '{path}' is damaged ({ex.Message}); delete the folder and run `topickit models pull {manifest.Name}` again.", ex);
        }
    }

    internal static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;
}
