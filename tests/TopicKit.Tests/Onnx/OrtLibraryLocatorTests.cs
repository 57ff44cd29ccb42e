using TopicKit.Onnx;

namespace TopicKit.Tests.Onnx;

/// <summary>
/// Library resolution rules, tested on <see cref="OrtLibraryLocator"/> with injected probes because the real
/// process has already loaded ONNX Runtime (native libraries cannot be unloaded and reloaded per test).
/// </summary>
public sealed class OrtLibraryLocatorTests
{
    private static readonly string FileName = OrtLibraryLocator.PlatformFileName;

    [Fact]
    public void ExplicitPathToMissingFile_SaysHowToFix()
    {
        var locator = Locator(existing: [], loadable: []);
        var missing = Path.Combine(Path.GetTempPath(), "nowhere", FileName);
        var error = Assert.Throws<OnnxRuntimeLoadException>(() => locator.Load(missing, ["/opt/app"]));
        Assert.Contains(OnnxRuntime.LibraryPathVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("unset it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitPath_WinsOverAssemblyFolder()
    {
        var explicitPath = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "custom", FileName));
        var beside = Path.Combine("/opt/app", FileName);
        var locator = Locator(existing: [explicitPath, beside], loadable: [explicitPath, beside]);
        var loaded = locator.Load(explicitPath, ["/opt/app"]);
        Assert.Equal(explicitPath, loaded.Source);
    }

    [Fact]
    public void ExplicitPathThatFailsToLoad_DoesNotFallBack()
    {
        var explicitPath = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "broken", FileName));
        var beside = Path.Combine("/opt/app", FileName);
        var locator = Locator(existing: [explicitPath, beside], loadable: [beside]);
        var error = Assert.Throws<OnnxRuntimeLoadException>(() => locator.Load(explicitPath, ["/opt/app"]));
        Assert.Contains("could not be loaded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutExplicitPath_UsesFirstFolderHoldingTheLibrary()
    {
        var second = Path.Combine("/b", FileName);
        var locator = Locator(existing: [second], loadable: [second]);
        Assert.Equal(second, locator.Load(null, ["/a", "/b"]).Source);
    }

    [Fact]
    public void FallsBackToSystemSearch()
    {
        var systemName = OrtLibraryLocator.SystemNames[^1];
        var locator = Locator(existing: [], loadable: [], system: [systemName]);
        Assert.Equal(systemName, locator.Load("  ", ["/a"]).Source);
    }

    [Fact]
    public void NothingFound_ListsAttemptsAndBothFixes()
    {
        var locator = Locator(existing: [], loadable: []);
        var error = Assert.Throws<OnnxRuntimeLoadException>(() => locator.Load(null, ["/a"]));
        Assert.Contains(Path.Combine("/a", FileName), error.Message, StringComparison.Ordinal);
        Assert.Contains("npm", error.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxRuntime.LibraryPathVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RealLoader_RejectsAFileThatIsNotALibrary()
    {
        var path = Path.Combine(Path.GetTempPath(), $"topickit-not-a-library-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "not a shared library");
        try
        {
            var error = Assert.Throws<OnnxRuntimeLoadException>(() => OrtLibraryLocator.Default.Load(path, []));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains(OnnxRuntime.LibraryPathVariable, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static OrtLibraryLocator Locator(string[] existing, string[] loadable, string[]? system = null)
    {
        var handle = new IntPtr(1234);
        return new OrtLibraryLocator(
            path => existing.Contains(path),
            path => loadable.Contains(path) ? (handle, null) : (IntPtr.Zero, "invalid ELF header"),
            name => system is not null && system.Contains(name) ? handle : IntPtr.Zero);
    }
}

/// <summary>The message for an ONNX Runtime too old to provide C API version 30.</summary>
public sealed class OrtVersionCheckTests
{
    [Fact]
    public void OldRuntime_MessageNamesVersionsAndFixes()
    {
        var error = OrtApi.VersionMismatch("/usr/lib/libonnxruntime.so", "1.16.3");
        Assert.Contains("/usr/lib/libonnxruntime.so", error.Message, StringComparison.Ordinal);
        Assert.Contains("ONNX Runtime 1.16.3", error.Message, StringComparison.Ordinal);
        Assert.Contains("C API version 30", error.Message, StringComparison.Ordinal);
        Assert.Contains("npm", error.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxRuntime.LibraryPathVariable, error.Message, StringComparison.Ordinal);
    }
}
