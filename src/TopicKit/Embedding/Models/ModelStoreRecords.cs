namespace TopicKit.Embedding;

/// <summary>A file of an installed model as recorded at install time.</summary>
/// <param name="Path">Path inside the model folder, forward slashes.</param>
/// <param name="Size">Byte size written.</param>
/// <param name="Sha256">Lower-case hex sha256 of the bytes written.</param>
/// <param name="Generated">True when TopicKit wrote the file from the manifest (sentence-transformers metadata the upstream repo lacks).</param>
public sealed record InstalledModelFile(string Path, long Size, string Sha256, bool Generated);

/// <summary>Outcome of checking one file of an installed model.</summary>
public enum ModelFileStatus
{
    /// <summary>Size and sha256 match the expectation.</summary>
    Ok,

    /// <summary>The file is absent.</summary>
    Missing,

    /// <summary>The file's bytes differ from the manifest or install record.</summary>
    Corrupt,

    /// <summary>Neither the manifest nor an install record pins this file, so only its presence was checked.</summary>
    Unpinned,
}

/// <summary>Check result of one file.</summary>
/// <param name="Path">Path inside the model folder.</param>
/// <param name="ExpectedSha256">Hash from the manifest, else from the install record; null when neither has one.</param>
/// <param name="ActualSha256">Hash of the file on disk; null when missing.</param>
/// <param name="ExpectedSize">Size from the manifest or install record.</param>
/// <param name="ActualSize">Size on disk; null when missing.</param>
/// <param name="Status">The verdict.</param>
public sealed record ModelFileCheck(string Path, string? ExpectedSha256, string? ActualSha256, long? ExpectedSize, long? ActualSize, ModelFileStatus Status);

/// <summary>Result of re-hashing an installed model.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Directory">Installed folder.</param>
/// <param name="Files">One check per file, in manifest order then generated files.</param>
public sealed record ModelVerification(string Name, string Directory, IReadOnlyList<ModelFileCheck> Files)
{
    /// <summary>True when no file is missing or corrupt.</summary>
    public bool IsValid => Files.All(f => f.Status is ModelFileStatus.Ok or ModelFileStatus.Unpinned);
}

/// <summary>Contents of <c>topickit-model.json</c>, written last into a staged model before it is moved into place.</summary>
internal sealed record ModelInstallRecord(string Name, DateTimeOffset InstalledUtc, IReadOnlyList<InstalledModelFile> Files);
