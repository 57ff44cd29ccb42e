using System.Buffers;
using System.Runtime.InteropServices;

namespace TopicKit.Onnx;

/// <summary>Base of the SafeHandles over ONNX Runtime objects; zero is the invalid value.</summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a pointer returned through an out parameter.</summary>
    public void Attach(IntPtr value) => SetHandle(value);
}

/// <summary>An <c>OrtEnv</c>.</summary>
internal sealed class OrtEnvHandle : OrtHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseEnv(handle);
        return true;
    }
}

/// <summary>An <c>OrtSessionOptions</c>.</summary>
internal sealed class OrtSessionOptionsHandle : OrtHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSessionOptions(handle);
        return true;
    }
}

/// <summary>An <c>OrtSession</c>.</summary>
internal sealed class OrtSessionHandle : OrtHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSession(handle);
        return true;
    }
}

/// <summary>An <c>OrtMemoryInfo</c>.</summary>
internal sealed class OrtMemoryInfoHandle : OrtHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseMemoryInfo(handle);
        return true;
    }
}

/// <summary>An <c>OrtRunOptions</c>.</summary>
internal sealed class OrtRunOptionsHandle : OrtHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseRunOptions(handle);
        return true;
    }
}

/// <summary>An <c>OrtTypeInfo</c>.</summary>
internal sealed class OrtTypeInfoHandle : OrtHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseTypeInfo(handle);
        return true;
    }
}

/// <summary>An <c>OrtTensorTypeAndShapeInfo</c> owned by the caller (from <c>GetTensorTypeAndShape</c>).</summary>
internal sealed class OrtTensorTypeAndShapeInfoHandle : OrtHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}

/// <summary>
/// An <c>OrtValue</c>. When the value wraps managed memory, the pin is held here and dropped only after
/// ONNX Runtime has released the value, so the buffer can never move while native code may read it.
/// </summary>
internal sealed class OrtValueHandle : OrtHandle
{
    private MemoryHandle _pin;

    /// <summary>Keeps <paramref name="pin"/> alive until the native value is released.</summary>
    public void KeepPinned(MemoryHandle pin) => _pin = pin;

    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseValue(handle);
        _pin.Dispose();
        return true;
    }
}
