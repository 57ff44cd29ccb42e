namespace TopicKit.Onnx;

/// <summary>Severity of an ONNX Runtime log message (<c>OrtLoggingLevel</c>).</summary>
public enum OnnxLogLevel
{
    /// <summary>Verbose diagnostics.</summary>
    Verbose = 0,

    /// <summary>Informational.</summary>
    Info = 1,

    /// <summary>Warnings (the least severe level forwarded).</summary>
    Warning = 2,

    /// <summary>Errors (each also surfaces as an exception from the failing call).</summary>
    Error = 3,

    /// <summary>Fatal errors.</summary>
    Fatal = 4,
}

/// <summary>Facts about the ONNX Runtime native library TopicKit binds to.</summary>
public static class OnnxRuntime
{
    /// <summary>The ONNX Runtime version the build fetches and the binding targets.</summary>
    public const string ExpectedVersion = "1.30.0";

    /// <summary>Environment variable holding an explicit path to the native library; it overrides every other location.</summary>
    public const string LibraryPathVariable = "TOPICKIT_ORT_LIBRARY";

    /// <summary>Version string of the loaded library (loads it on first use).</summary>
    /// <exception cref="OnnxRuntimeLoadException">The library is missing or unusable.</exception>
    public static string Version => OrtApi.Instance.Version;

    /// <summary>Path (or system library name) the native library was loaded from (loads it on first use).</summary>
    /// <exception cref="OnnxRuntimeLoadException">The library is missing or unusable.</exception>
    public static string LibrarySource => OrtApi.Instance.LibrarySource;

    /// <summary>
    /// Receives ONNX Runtime's warning and error log messages (called on ORT threads; keep it fast and thread-safe).
    /// Default null: messages are dropped, since every error also surfaces as an exception.
    /// </summary>
    public static Action<OnnxLogLevel, string>? LogHandler { get; set; }

    /// <summary>Loads and verifies the native library now instead of on first use.</summary>
    /// <exception cref="OnnxRuntimeLoadException">The library is missing or unusable.</exception>
    public static void EnsureLoaded() => _ = OrtApi.Instance;
}
