using System.Reflection;
using System.Runtime.InteropServices;

namespace TopicKit.Onnx;

/// <summary>
/// The slice of the ONNX Runtime C API TopicKit uses, read from the <c>OrtApi</c> function table.
/// </summary>
/// <remarks>
/// Slot numbers are positions in <c>struct OrtApi</c> of <c>onnxruntime_c_api.h</c>; the table is append-only, so the
/// indices below (all of which date from API version 1 to 6) are the same in the 1.30 header (<c>ORT_API_VERSION</c> 30).
/// Every slot used here is exercised by the Onnx tests against the real library.
/// </remarks>
internal sealed unsafe partial class OrtApi
{
    /// <summary><c>ORT_API_VERSION</c> of ONNX Runtime 1.30; <c>GetApi</c> returns null on older runtimes.</summary>
    public const uint ApiVersion = 30;

    // Slot indices in struct OrtApi (onnxruntime_c_api.h).
    private const int SlotCreateStatus = 0;
    private const int SlotGetErrorCode = 1;
    private const int SlotGetErrorMessage = 2;
    private const int SlotCreateEnv = 3;
    private const int SlotCreateEnvWithCustomLogger = 4;
    private const int SlotCreateSession = 7;
    private const int SlotCreateSessionFromArray = 8;
    private const int SlotRun = 9;
    private const int SlotCreateSessionOptions = 10;
    private const int SlotSetSessionExecutionMode = 13;
    private const int SlotEnableMemPattern = 16;
    private const int SlotDisableMemPattern = 17;
    private const int SlotEnableCpuMemArena = 18;
    private const int SlotDisableCpuMemArena = 19;
    private const int SlotSetSessionGraphOptimizationLevel = 23;
    private const int SlotSetIntraOpNumThreads = 24;
    private const int SlotSetInterOpNumThreads = 25;
    private const int SlotSessionGetInputCount = 30;
    private const int SlotSessionGetOutputCount = 31;
    private const int SlotSessionGetInputTypeInfo = 33;
    private const int SlotSessionGetOutputTypeInfo = 34;
    private const int SlotSessionGetInputName = 36;
    private const int SlotSessionGetOutputName = 37;
    private const int SlotCreateRunOptions = 39;
    private const int SlotRunOptionsSetTerminate = 46;
    private const int SlotRunOptionsUnsetTerminate = 47;
    private const int SlotCreateTensorAsOrtValue = 48;
    private const int SlotCreateTensorWithDataAsOrtValue = 49;
    private const int SlotIsTensor = 50;
    private const int SlotGetTensorMutableData = 51;
    private const int SlotCastTypeInfoToTensorInfo = 55;
    private const int SlotGetTensorElementType = 60;
    private const int SlotGetDimensionsCount = 61;
    private const int SlotGetDimensions = 62;
    private const int SlotGetSymbolicDimensions = 63;
    private const int SlotGetTensorShapeElementCount = 64;
    private const int SlotGetTensorTypeAndShape = 65;
    private const int SlotCreateCpuMemoryInfo = 69;
    private const int SlotAllocatorFree = 76;
    private const int SlotGetAllocatorWithDefaultOptions = 78;
    private const int SlotReleaseEnv = 92;
    private const int SlotReleaseStatus = 93;
    private const int SlotReleaseMemoryInfo = 94;
    private const int SlotReleaseSession = 95;
    private const int SlotReleaseValue = 96;
    private const int SlotReleaseRunOptions = 97;
    private const int SlotReleaseTypeInfo = 98;
    private const int SlotReleaseTensorTypeAndShapeInfo = 99;
    private const int SlotReleaseSessionOptions = 100;
    private const int SlotAddSessionConfigEntry = 130;

    private static readonly Lazy<OrtApi> LazyInstance = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    private static OrtLoadedLibrary s_library;

#pragma warning disable CA1051 // Function-pointer fields: called directly on hot paths.
    public readonly delegate* unmanaged[Cdecl]<int, byte*, IntPtr> CreateStatus;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int> GetErrorCode;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*> GetErrorMessage;
    public readonly delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr> CreateEnv;
    public readonly delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<IntPtr, int, byte*, byte*, byte*, byte*, void>, IntPtr, int, byte*, IntPtr*, IntPtr> CreateEnvWithCustomLogger;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr, IntPtr*, IntPtr> CreateSession;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr> Run;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> CreateSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetSessionExecutionMode;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr> EnableMemPattern;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr> DisableMemPattern;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr> EnableCpuMemArena;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr> DisableCpuMemArena;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetIntraOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetInterOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> SessionGetInputCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> SessionGetOutputCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> CreateRunOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr> RunOptionsSetTerminate;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr> RunOptionsUnsetTerminate;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, int, IntPtr*, IntPtr> CreateTensorAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr> IsTensor;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr> GetTensorMutableData;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr> GetTensorElementType;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> GetDimensionsCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr> GetDimensions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte**, nuint, IntPtr> GetSymbolicDimensions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> GetTensorShapeElementCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape;
    public readonly delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr> AllocatorFree;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseEnv;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseStatus;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseSession;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseRunOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr> AddSessionConfigEntry;
#pragma warning restore CA1051

    private OrtApi(IntPtr* table, string version, string source)
    {
        Version = version;
        LibrarySource = source;
        CreateStatus = (delegate* unmanaged[Cdecl]<int, byte*, IntPtr>)table[SlotCreateStatus];
        GetErrorCode = (delegate* unmanaged[Cdecl]<IntPtr, int>)table[SlotGetErrorCode];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)table[SlotGetErrorMessage];
        CreateEnv = (delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr>)table[SlotCreateEnv];
        CreateEnvWithCustomLogger = (delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<IntPtr, int, byte*, byte*, byte*, byte*, void>, IntPtr, int, byte*, IntPtr*, IntPtr>)table[SlotCreateEnvWithCustomLogger];
        CreateSession = (delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr, IntPtr*, IntPtr>)table[SlotCreateSession];
        CreateSessionFromArray = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)table[SlotCreateSessionFromArray];
        Run = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)table[SlotRun];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[SlotCreateSessionOptions];
        SetSessionExecutionMode = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[SlotSetSessionExecutionMode];
        EnableMemPattern = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)table[SlotEnableMemPattern];
        DisableMemPattern = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)table[SlotDisableMemPattern];
        EnableCpuMemArena = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)table[SlotEnableCpuMemArena];
        DisableCpuMemArena = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)table[SlotDisableCpuMemArena];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[SlotSetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[SlotSetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[SlotSetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[SlotSessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[SlotSessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)table[SlotSessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)table[SlotSessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[SlotSessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[SlotSessionGetOutputName];
        CreateRunOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[SlotCreateRunOptions];
        RunOptionsSetTerminate = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)table[SlotRunOptionsSetTerminate];
        RunOptionsUnsetTerminate = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)table[SlotRunOptionsUnsetTerminate];
        CreateTensorAsOrtValue = (delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, int, IntPtr*, IntPtr>)table[SlotCreateTensorAsOrtValue];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)table[SlotCreateTensorWithDataAsOrtValue];
        IsTensor = (delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)table[SlotIsTensor];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr>)table[SlotGetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)table[SlotCastTypeInfoToTensorInfo];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)table[SlotGetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[SlotGetDimensionsCount];
        GetDimensions = (delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr>)table[SlotGetDimensions];
        GetSymbolicDimensions = (delegate* unmanaged[Cdecl]<IntPtr, byte**, nuint, IntPtr>)table[SlotGetSymbolicDimensions];
        GetTensorShapeElementCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[SlotGetTensorShapeElementCount];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)table[SlotGetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr>)table[SlotCreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr>)table[SlotAllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[SlotGetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseEnv];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseSession];
        ReleaseValue = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseValue];
        ReleaseRunOptions = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseRunOptions];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[SlotReleaseSessionOptions];
        AddSessionConfigEntry = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr>)table[SlotAddSessionConfigEntry];
    }

    /// <summary>The loaded API table; the first use loads and verifies the native library.</summary>
    /// <exception cref="OnnxRuntimeLoadException">The library is missing or not a usable ONNX Runtime.</exception>
    public static OrtApi Instance => LazyInstance.Value;

    /// <summary>Version string reported by the loaded library, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>Path (or system name) the library was loaded from.</summary>
    public string LibrarySource { get; }

    /// <summary>Throws <see cref="OnnxRuntimeException"/> for a non-null status, releasing it.</summary>
    public void Check(IntPtr status)
    {
        if (status != IntPtr.Zero)
        {
            throw TakeException(status);
        }
    }

    /// <summary>Converts a non-null status into an exception and releases the status.</summary>
    public OnnxRuntimeException TakeException(IntPtr status)
    {
        try
        {
            var code = (OnnxErrorCode)GetErrorCode(status);
            var message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? string.Empty;
            return new OnnxRuntimeException(code, message);
        }
        finally
        {
            ReleaseStatus(status);
        }
    }

    /// <summary>Copies a UTF-8 string allocated by ORT's default allocator and frees it.</summary>
    public string TakeAllocatedString(byte* value)
    {
        try
        {
            return Marshal.PtrToStringUTF8((IntPtr)value) ?? string.Empty;
        }
        finally
        {
            IntPtr allocator;
            Check(GetAllocatorWithDefaultOptions(&allocator));
            Check(AllocatorFree(allocator, value));
        }
    }

    [LibraryImport(OrtLibraryLocator.LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static partial OrtApiBase* OrtGetApiBase();

    private static OrtApi Create()
    {
        s_library = OrtLibraryLocator.Default.Load(
            Environment.GetEnvironmentVariable(OnnxRuntime.LibraryPathVariable),
            [Path.GetDirectoryName(typeof(OrtApi).Assembly.Location) ?? string.Empty, AppContext.BaseDirectory]);
        if (!NativeLibrary.TryGetExport(s_library.Handle, "OrtGetApiBase", out _))
        {
            throw new OnnxRuntimeLoadException(
                $"'{s_library.Source}' was loaded but does not export OrtGetApiBase, so it is not an ONNX Runtime library. " +
                $"Set {OnnxRuntime.LibraryPathVariable} to an ONNX Runtime {OnnxRuntime.ExpectedVersion} library, or unset it.");
        }

        // Only [LibraryImport] in TopicKit; the resolver hands the runtime the library located above.
        NativeLibrary.SetDllImportResolver(typeof(OrtApi).Assembly, Resolve);
        var apiBase = OrtGetApiBase();
        var version = Marshal.PtrToStringUTF8((IntPtr)apiBase->GetVersionString()) ?? "unknown";
        var table = apiBase->GetApi(ApiVersion);
        if (table == null)
        {
            throw VersionMismatch(s_library.Source, version);
        }

        return new OrtApi(table, version, s_library.Source);
    }

    /// <summary>The error for a library whose <c>GetApi(30)</c> returned null (an ONNX Runtime older than 1.30).</summary>
    internal static OnnxRuntimeLoadException VersionMismatch(string source, string version) =>
        new($"'{source}' is ONNX Runtime {version}, which does not provide C API version {ApiVersion}; " +
            $"TopicKit needs ONNX Runtime {OnnxRuntime.ExpectedVersion} or newer. Rebuild TopicKit with npm available " +
            $"so the build fetches it, or set {OnnxRuntime.LibraryPathVariable} to an ONNX Runtime {OnnxRuntime.ExpectedVersion} library.");

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == OrtLibraryLocator.LibraryName ? s_library.Handle : IntPtr.Zero;

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct OrtApiBase
    {
        public readonly delegate* unmanaged[Cdecl]<uint, IntPtr*> GetApi;
        public readonly delegate* unmanaged[Cdecl]<byte*> GetVersionString;
    }
}
