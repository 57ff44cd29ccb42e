namespace TopicKit.Embedding;

/// <summary>A model name or path could not be turned into a usable local model folder.</summary>
public class ModelResolutionException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public ModelResolutionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and a cause.</summary>
    public ModelResolutionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ModelResolutionException()
        : base("The model could not be resolved.")
    {
    }
}

/// <summary>A known model is not installed in the models folder.</summary>
public sealed class ModelNotInstalledException : ModelResolutionException
{
    /// <summary>Creates the exception for model <paramref name="modelName"/>.</summary>
    public ModelNotInstalledException(string modelName)
        : base($"model {modelName} is not installed; run `topickit models pull {modelName}`")
    {
        ModelName = modelName;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ModelNotInstalledException()
        : base("The model is not installed; run `topickit models pull NAME`.")
    {
        ModelName = string.Empty;
    }

    /// <summary>Creates the exception with a custom message and a cause.</summary>
    public ModelNotInstalledException(string message, Exception innerException)
        : base(message, innerException)
    {
        ModelName = string.Empty;
    }

    /// <summary>The model that is missing.</summary>
    public string ModelName { get; }
}

/// <summary>A model download failed: network error, bad HTTP status, interruption, or bytes that fail verification.</summary>
public sealed class ModelDownloadException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public ModelDownloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and a cause.</summary>
    public ModelDownloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ModelDownloadException()
        : base("The model download failed.")
    {
    }

    /// <summary>Set for a verification failure: the hash the manifest pins.</summary>
    public string? ExpectedSha256 { get; init; }

    /// <summary>Set for a verification failure: the hash of the bytes received.</summary>
    public string? ActualSha256 { get; init; }

    /// <summary>True when the failure left a resumable partial download (interruption, network error, cancellation).</summary>
    public bool IsResumable { get; init; }
}

/// <summary>An installed model's files differ from what was installed (edited, truncated or replaced).</summary>
public sealed class ModelIntegrityException : ModelResolutionException
{
    /// <summary>Creates the exception with a message that names the file and the fix.</summary>
    public ModelIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ModelIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ModelIntegrityException()
        : base("An installed model's files were changed since installation.")
    {
    }
}
