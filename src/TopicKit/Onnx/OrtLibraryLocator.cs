using System.Runtime.InteropServices;

namespace TopicKit.Onnx;

/// <summary>
/// Decides which ONNX Runtime library file to load, in order: the explicit path in
/// <c>TOPICKIT_ORT_LIBRARY</c>, the copy the build placed next to the assemblies, then the system loader's default.
/// Pure logic over injected probes so the rules can be tested without touching the process-wide loader.
/// </summary>
internal sealed class OrtLibraryLocator
{
    /// <summary>Logical library name used by the <c>[LibraryImport]</c> declaration.</summary>
    public const string LibraryName = "onnxruntime";

    private readonly Func<string, bool> _fileExists;
    private readonly Func<string, (IntPtr Handle, string? Error)> _loadPath;
    private readonly Func<string, IntPtr> _loadSystem;

    public OrtLibraryLocator(
        Func<string, bool> fileExists,
        Func<string, (IntPtr Handle, string? Error)> loadPath,
        Func<string, IntPtr> loadSystem)
    {
        _fileExists = fileExists;
        _loadPath = loadPath;
        _loadSystem = loadSystem;
    }

    /// <summary>The locator wired to the real file system and native loader.</summary>
    public static OrtLibraryLocator Default { get; } = new(File.Exists, LoadFromPath, LoadFromSystem);

    /// <summary>File name the build copies next to the assemblies on this platform.</summary>
    public static string PlatformFileName =>
        OperatingSystem.IsWindows() ? "onnxruntime.dll"
        : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib"
        : "libonnxruntime.so";

    /// <summary>Names the system loader is asked for when no file was found.</summary>
    public static IReadOnlyList<string> SystemNames =>
        OperatingSystem.IsWindows() ? ["onnxruntime.dll"]
        : OperatingSystem.IsMacOS() ? ["libonnxruntime.dylib", "libonnxruntime.1.30.0.dylib"]
        : ["libonnxruntime.so.1", "libonnxruntime.so"];

    /// <summary>
    /// Loads the library. <paramref name="explicitPath"/> is the value of <c>TOPICKIT_ORT_LIBRARY</c>;
    /// when it is set, it is the only candidate (a wrong setting must not be hidden by a silent fallback).
    /// </summary>
    /// <exception cref="OnnxRuntimeLoadException">No candidate could be loaded; the message says how to fix it.</exception>
    public OrtLoadedLibrary Load(string? explicitPath, IEnumerable<string> searchDirectories)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            if (!_fileExists(full))
            {
                throw new OnnxRuntimeLoadException(
                    $"{OnnxRuntime.LibraryPathVariable} is set to '{explicitPath}', but no file exists there. " +
                    $"Point it to an ONNX Runtime {OnnxRuntime.ExpectedVersion} library ({PlatformFileName}), " +
                    "or unset it to use the copy the build places next to the TopicKit assemblies.");
            }

            var (handle, error) = _loadPath(full);
            if (handle == IntPtr.Zero)
            {
                throw new OnnxRuntimeLoadException(
                    $"{OnnxRuntime.LibraryPathVariable} points to '{full}', which could not be loaded: {error} " +
                    $"Point it to an ONNX Runtime {OnnxRuntime.ExpectedVersion} library built for this platform " +
                    $"({RuntimeInformation.RuntimeIdentifier}).");
            }

            return new OrtLoadedLibrary(handle, full);
        }

        var attempts = new List<string>();
        foreach (var directory in searchDirectories.Where(d => !string.IsNullOrEmpty(d)).Distinct(StringComparer.Ordinal))
        {
            var candidate = Path.Combine(directory, PlatformFileName);
            if (!_fileExists(candidate))
            {
                attempts.Add($"{candidate} (not found)");
                continue;
            }

            var (handle, error) = _loadPath(candidate);
            if (handle != IntPtr.Zero)
            {
                return new OrtLoadedLibrary(handle, candidate);
            }

            attempts.Add($"{candidate} ({error})");
        }

        foreach (var name in SystemNames)
        {
            var handle = _loadSystem(name);
            if (handle != IntPtr.Zero)
            {
                return new OrtLoadedLibrary(handle, name);
            }

            attempts.Add($"{name} (system search path: not found)");
        }

        throw new OnnxRuntimeLoadException(
            $"The ONNX Runtime {OnnxRuntime.ExpectedVersion} native library was not found. Tried: {string.Join("; ", attempts)}. " +
            "Fix: rebuild TopicKit with Node.js/npm available (the build fetches onnxruntime-node " +
            $"{OnnxRuntime.ExpectedVersion} and copies {PlatformFileName} next to the assemblies), or set " +
            $"{OnnxRuntime.LibraryPathVariable} to the full path of an ONNX Runtime {OnnxRuntime.ExpectedVersion} library.");
    }

    private static (IntPtr Handle, string? Error) LoadFromPath(string path)
    {
        try
        {
            return (NativeLibrary.Load(path), null);
        }
        catch (DllNotFoundException e)
        {
            return (IntPtr.Zero, e.Message);
        }
        catch (BadImageFormatException e)
        {
            return (IntPtr.Zero, e.Message);
        }
    }

    private static IntPtr LoadFromSystem(string name) =>
        NativeLibrary.TryLoad(name, typeof(OrtLibraryLocator).Assembly, DllImportSearchPath.SafeDirectories, out var handle)
            ? handle
            : IntPtr.Zero;
}

/// <summary>A loaded native library and where it came from.</summary>
internal readonly record struct OrtLoadedLibrary(IntPtr Handle, string Source);
