using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TopicKit.Onnx;

/// <summary>
/// Process-wide native objects shared by all sessions: the <c>OrtEnv</c> (ONNX Runtime allows one per process and
/// keeps it for the process lifetime) and the CPU memory description used for tensors over managed memory.
/// </summary>
internal static unsafe class OrtEnvironment
{
    private const int ArenaAllocator = 1;
    private const int MemTypeDefault = 0;

    private static readonly Lazy<OrtEnvHandle> LazyEnv = new(CreateEnv, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<OrtMemoryInfoHandle> LazyCpu = new(CreateCpuMemoryInfo, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared environment (created on first use).</summary>
    public static OrtEnvHandle Env => LazyEnv.Value;

    /// <summary>Memory info for CPU buffers owned by the caller.</summary>
    public static OrtMemoryInfoHandle CpuMemory => LazyCpu.Value;

    private static OrtEnvHandle CreateEnv()
    {
        var api = OrtApi.Instance;
        var handle = new OrtEnvHandle();
        IntPtr env;
        fixed (byte* logId = "TopicKit"u8)
        {
            // ORT's own logger prints coloured lines to stderr, duplicating the errors we raise as exceptions;
            // route its messages to OnnxRuntime.LogHandler instead.
            api.Check(api.CreateEnvWithCustomLogger(&Log, IntPtr.Zero, (int)OnnxLogLevel.Warning, logId, &env));
        }

        handle.Attach(env);
        return handle;
    }

    private static OrtMemoryInfoHandle CreateCpuMemoryInfo()
    {
        var api = OrtApi.Instance;
        var handle = new OrtMemoryInfoHandle();
        IntPtr info;
        api.Check(api.CreateCpuMemoryInfo(ArenaAllocator, MemTypeDefault, &info));
        handle.Attach(info);
        return handle;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Log(IntPtr param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        var handler = OnnxRuntime.LogHandler;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler((OnnxLogLevel)severity, Marshal.PtrToStringUTF8((IntPtr)message) ?? string.Empty);
        }
        catch (Exception)
        {
            // An exception must never unwind into native code; a failing log handler only loses the message.
        }
    }
}
