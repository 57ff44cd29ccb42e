namespace TopicKit.Onnx;

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

    /// <summary>Loads and verifies the native library now instead of on first use.</summary>
    /// <exception cref="OnnxRuntimeLoadException">The library is missing or unusable.</exception>
    public static void EnsureLoaded() => _ = OrtApi.Instance;
}
