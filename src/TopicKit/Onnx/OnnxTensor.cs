using System.Runtime.CompilerServices;

namespace TopicKit.Onnx;

/// <summary>
/// A dense tensor living in an ONNX Runtime <c>OrtValue</c>: either over caller-owned managed memory (pinned, no copy)
/// or over memory ONNX Runtime allocated (model outputs, <see cref="Allocate{T}"/>).
/// Dispose it to release the native value (and the pin); spans from <see cref="GetData{T}"/> are valid until then.
/// </summary>
/// <remarks>
/// A tensor may be read by several concurrent runs as an input; it must not be written while a run uses it, and
/// one tensor must not be bound as an output of two concurrent runs.
/// </remarks>
public sealed unsafe class OnnxTensor : IDisposable
{
    // ORT rejects a null data pointer even for empty tensors; this never-moving address stands in (nothing is read).
    private static readonly long[] EmptyBuffer = GC.AllocateArray<long>(1, pinned: true);

    private readonly OrtValueHandle _handle;
    private readonly void* _data;
    private readonly long[] _shape;

    private OnnxTensor(OrtValueHandle handle, OnnxElementType elementType, long[] shape, long elementCount, void* data)
    {
        _handle = handle;
        ElementType = elementType;
        _shape = shape;
        ElementCount = elementCount;
        _data = data;
    }

    /// <summary>Element type.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>Dimensions (all concrete).</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount { get; }

    /// <summary>Whether <see cref="Dispose"/> has been called.</summary>
    public bool IsDisposed => _handle.IsClosed;

    internal OrtValueHandle Handle => _handle;

    /// <summary>
    /// Wraps <paramref name="data"/> as a tensor of <paramref name="shape"/> without copying: the memory is pinned until
    /// the tensor is disposed, and ONNX Runtime reads (or, for bound outputs, writes) it in place.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is negative or the shape does not match <paramref name="data"/>'s length.</exception>
    public static OnnxTensor FromMemory<T>(Memory<T> data, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var elementType = OnnxElementTypes.Require<T>();
        var dims = shape.ToArray();
        var count = CountElements(dims);
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Tensor shape [{string.Join(", ", dims)}] holds {count} elements but the buffer has {data.Length}.", nameof(shape));
        }

        var api = OrtApi.Instance;
        var memoryInfo = OrtEnvironment.CpuMemory;
        var handle = new OrtValueHandle();
        var pin = data.Pin();
        try
        {
            var pointer = data.Length == 0 ? Unsafe.AsPointer(ref EmptyBuffer[0]) : pin.Pointer;
            IntPtr value;
            fixed (long* dimsPointer = dims)
            {
                api.Check(api.CreateTensorWithDataAsOrtValue(
                    memoryInfo.DangerousGetHandle(), pointer, (nuint)((long)data.Length * sizeof(T)),
                    dimsPointer, (nuint)dims.Length, (int)elementType, &value));
            }

            handle.Attach(value);
            handle.KeepPinned(pin);
            return new OnnxTensor(handle, elementType, dims, count, data.Length == 0 ? null : pin.Pointer);
        }
        catch
        {
            handle.Dispose();
            pin.Dispose();
            throw;
        }
    }

    /// <summary>Wraps <paramref name="data"/> without copying; see <see cref="FromMemory{T}(Memory{T}, ReadOnlySpan{long})"/>.</summary>
    public static OnnxTensor FromArray<T>(T[] data, params ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromMemory(data.AsMemory(), shape);
    }

    /// <summary>Creates a tensor whose (uninitialised) memory ONNX Runtime allocates and frees.</summary>
    public static OnnxTensor Allocate<T>(params ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var elementType = OnnxElementTypes.Require<T>();
        var dims = shape.ToArray();
        CountElements(dims);
        var api = OrtApi.Instance;
        IntPtr allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator));
        IntPtr value;
        fixed (long* dimsPointer = dims)
        {
            api.Check(api.CreateTensorAsOrtValue(allocator, dimsPointer, (nuint)dims.Length, (int)elementType, &value));
        }

        var handle = new OrtValueHandle();
        handle.Attach(value);
        try
        {
            return FromOwnedValue(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a native value ONNX Runtime handed over (e.g. a run output), reading its type and shape.</summary>
    internal static OnnxTensor FromOwnedValue(OrtValueHandle handle)
    {
        var api = OrtApi.Instance;
        var value = handle.DangerousGetHandle();
        int isTensor;
        api.Check(api.IsTensor(value, &isTensor));
        if (isTensor == 0)
        {
            throw new NotSupportedException("The ONNX value is not a tensor (maps and sequences are not supported by TopicKit.Onnx).");
        }

        using var info = new OrtTensorTypeAndShapeInfoHandle();
        IntPtr infoPointer;
        api.Check(api.GetTensorTypeAndShape(value, &infoPointer));
        info.Attach(infoPointer);
        var (elementType, dims, _) = OnnxSession.ReadTensorInfo(api, infoPointer);
        nuint count;
        api.Check(api.GetTensorShapeElementCount(infoPointer, &count));
        void* data;
        api.Check(api.GetTensorMutableData(value, &data));
        return new OnnxTensor(handle, elementType, dims, (long)count, data);
    }

    /// <summary>
    /// The elements in place (no copy). <typeparamref name="T"/> must match <see cref="ElementType"/>.
    /// The span is valid until the tensor is disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Wrong element type.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Span<T> GetData<T>()
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var requested = OnnxElementTypes.Of<T>();
        if (requested != ElementType)
        {
            throw new InvalidOperationException($"The tensor holds {ElementType} elements; it cannot be read as {typeof(T).Name}.");
        }

        if (ElementCount > int.MaxValue)
        {
            throw new InvalidOperationException($"The tensor has {ElementCount} elements, more than a span can address; read it in parts.");
        }

        return _data == null ? [] : new Span<T>(_data, (int)ElementCount);
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, which must be at least <see cref="ElementCount"/> long.</summary>
    public void CopyTo<T>(Span<T> destination)
        where T : unmanaged
    {
        var source = GetData<T>();
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} elements; the tensor has {source.Length}.", nameof(destination));
        }

        source.CopyTo(destination);
    }

    /// <summary>Copies the elements into a new array.</summary>
    public T[] ToArray<T>()
        where T : unmanaged => GetData<T>().ToArray();

    /// <summary>Releases the native value and unpins caller memory.</summary>
    public void Dispose() => _handle.Dispose();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long CountElements(long[] dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor dimensions must be non-negative; got [{string.Join(", ", dims)}].", nameof(dims));
            }

            count = checked(count * d);
        }

        return count;
    }
}
