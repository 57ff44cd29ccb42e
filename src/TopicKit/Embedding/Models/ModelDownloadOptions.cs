namespace TopicKit.Embedding;

/// <summary>Settings of <see cref="ModelDownloader"/>. Defaults suit downloads from Hugging Face.</summary>
public sealed record ModelDownloadOptions
{
    /// <summary>Environment variable that overrides the download base URL.</summary>
    public const string BaseUrlVariable = "TOPICKIT_MODEL_BASE_URL";

    /// <summary>
    /// Replaces the scheme, host and port of every manifest URL (a path in the base is prepended), e.g. a mirror or
    /// a local test server: <c>http://127.0.0.1:8080</c> turns <c>https://huggingface.co/X/resolve/main/f</c> into
    /// <c>http://127.0.0.1:8080/X/resolve/main/f</c>. Default null: the manifest URLs as they are.
    /// </summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Download even when the model is already installed, replacing it atomically. Default false.</summary>
    public bool Force { get; init; }

    /// <summary>Attempts per file for transient failures (network errors, dropped connections, 5xx); each retry resumes. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Pause before retry <c>n</c> is <c>n</c> times this. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A connection that sends no byte for this long is treated as dropped (and resumed). Default 60 s.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The URL in <see cref="BaseUrlVariable"/>, or null when unset.</summary>
    /// <exception cref="ArgumentException">When the variable is set but is not an absolute http(s) URL.</exception>
    public static Uri? BaseUrlFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(BaseUrlVariable);
        return string.IsNullOrWhiteSpace(text) ? null : ParseBaseUrl(text, BaseUrlVariable);
    }

    /// <summary>Parses a base URL given by a user, naming <paramref name="source"/> in the error.</summary>
    /// <exception cref="ArgumentException">When not an absolute http(s) URL.</exception>
    public static Uri ParseBaseUrl(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"{source} must be an absolute http or https URL (got '{text}').", nameof(text));
    }
}

/// <summary>Download progress of one file.</summary>
/// <param name="ModelName">Model being pulled.</param>
/// <param name="File">File path inside the model folder.</param>
/// <param name="BytesDone">Bytes of the file on disk so far (including a resumed part).</param>
/// <param name="TotalBytes">Expected file size, when known.</param>
public sealed record ModelDownloadProgress(string ModelName, string File, long BytesDone, long? TotalBytes);

/// <summary>Outcome of a pull.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Directory">Installed folder.</param>
/// <param name="AlreadyInstalled">True when nothing was downloaded because the model was already installed.</param>
/// <param name="Files">Every file of the installed model with its size and sha256.</param>
public sealed record ModelPullResult(string Name, string Directory, bool AlreadyInstalled, IReadOnlyList<InstalledModelFile> Files);
