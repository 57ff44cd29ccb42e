using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace TopicKit.Onnx;

/// <summary>
/// An ONNX model loaded into ONNX Runtime (CPU execution provider), ready to run.
/// </summary>
/// <remarks>
/// Thread safety: <c>Run</c>/<c>RunInto</c> may be called concurrently from several threads on one session
/// (ONNX Runtime supports concurrent runs; each run gets its own run options and outputs). Input tensors may be shared
/// between concurrent runs as long as nobody writes them; an output tensor bound with <see cref="RunInto"/> must not be
/// used by two runs at once. Disposing while runs are in flight is safe: the native session is released when the last
/// run finishes.
/// </remarks>
public sealed unsafe class OnnxSession : IDisposable
{
    private const int StackLimit = 16;

    private readonly OrtSessionHandle _handle;
    private readonly OnnxNodeInfo[] _inputs;
    private readonly OnnxNodeInfo[] _outputs;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;
    private readonly IntPtr[] _inputNames;
    private readonly IntPtr[] _outputNames;
    private readonly string[] _outputNameStrings;
    private readonly int[] _allOutputs;

    // Pinned, NUL-terminated UTF-8 copies of the names, referenced by _inputNames/_outputNames for the session's lifetime.
    private readonly List<byte[]> _nameStorage = [];

    private OnnxSession(OrtSessionHandle handle, OnnxSessionOptions options, string source)
    {
        _handle = handle;
        Options = options;
        Source = source;
        var api = OrtApi.Instance;
        _inputs = ReadNodes(api, handle.DangerousGetHandle(), input: true);
        _outputs = ReadNodes(api, handle.DangerousGetHandle(), input: false);
        _inputIndex = Index(_inputs);
        _outputIndex = Index(_outputs);
        _inputNames = _inputs.Select(n => PinName(n.Name)).ToArray();
        _outputNames = _outputs.Select(n => PinName(n.Name)).ToArray();
        _outputNameStrings = _outputs.Select(n => n.Name).ToArray();
        _allOutputs = Enumerable.Range(0, _outputs.Length).ToArray();
    }

    /// <summary>Model inputs in model order.</summary>
    public IReadOnlyList<OnnxNodeInfo> Inputs => _inputs;

    /// <summary>Model outputs in model order.</summary>
    public IReadOnlyList<OnnxNodeInfo> Outputs => _outputs;

    /// <summary>The options the session was created with.</summary>
    public OnnxSessionOptions Options { get; }

    /// <summary>The model path, or "(bytes)" for sessions created from memory.</summary>
    public string Source { get; }

    /// <summary>Loads a model file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the model (message from ORT).</exception>
    /// <exception cref="OnnxRuntimeLoadException">The native library is missing or unusable.</exception>
    public static OnnxSession Load(string modelPath, OnnxSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"ONNX model file '{full}' does not exist.", full);
        }

        options ??= OnnxSessionOptions.Default;
        return Create(options, full, (api, env, native) =>
        {
            IntPtr session;
            if (OperatingSystem.IsWindows())
            {
                // ORTCHAR_T is wchar_t on Windows.
                fixed (char* path = full)
                {
                    api.Check(api.CreateSession(env, path, native, &session));
                }
            }
            else
            {
                fixed (byte* path = Utf8Z(full))
                {
                    api.Check(api.CreateSession(env, path, native, &session));
                }
            }

            return session;
        });
    }

    /// <summary>Loads a model from its serialized bytes (ONNX protobuf).</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the model (message from ORT).</exception>
    public static OnnxSession Load(ReadOnlySpan<byte> model, OnnxSessionOptions? options = null)
    {
        if (model.IsEmpty)
        {
            throw new ArgumentException("The model byte array is empty.", nameof(model));
        }

        options ??= OnnxSessionOptions.Default;
        fixed (byte* bytes = model)
        {
            var pointer = bytes;
            var length = (nuint)model.Length;
            return Create(options, "(bytes)", (api, env, native) =>
            {
                IntPtr session;
                api.Check(api.CreateSessionFromArray(env, pointer, length, native, &session));
                return session;
            });
        }
    }

    /// <summary>Runs the model and returns every output (in <see cref="Outputs"/> order).</summary>
    /// <param name="inputs">One tensor per model input, matched by name.</param>
    /// <param name="cancellationToken">Cancelling terminates the run inside ONNX Runtime.</param>
    /// <exception cref="ArgumentException">Unknown, duplicate or missing input, or a wrong element type, rank or fixed dimension.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the run.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed (message from ORT).</exception>
    public OnnxRunResult Run(ReadOnlySpan<OnnxNamedTensor> inputs, CancellationToken cancellationToken = default) =>
        RunSelected(inputs, _allOutputs, cancellationToken);

    /// <summary>Runs the model and returns only the named outputs, in the given order.</summary>
    /// <exception cref="ArgumentException">An unknown or duplicate output name, or invalid inputs.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the run.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed (message from ORT).</exception>
    public OnnxRunResult Run(ReadOnlySpan<OnnxNamedTensor> inputs, ReadOnlySpan<string> outputNames, CancellationToken cancellationToken = default)
    {
        var indices = new int[outputNames.Length];
        for (var i = 0; i < outputNames.Length; i++)
        {
            indices[i] = OutputIndex(outputNames[i]);
            if (Array.IndexOf(indices, indices[i], 0, i) >= 0)
            {
                throw new ArgumentException($"Output '{outputNames[i]}' is requested twice.", nameof(outputNames));
            }
        }

        return RunSelected(inputs, indices, cancellationToken);
    }

    /// <summary>
    /// Runs the model writing into caller-provided output tensors (e.g. <see cref="OnnxTensor.FromArray{T}"/> over a
    /// reused float[]), so a steady-state loop allocates nothing native per run. Each output tensor's shape must equal
    /// the shape the model produces for these inputs (ONNX Runtime reports a mismatch).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown or duplicate output, wrong element type/rank, or invalid inputs.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the run.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed (message from ORT), e.g. an output shape mismatch.</exception>
    public void RunInto(ReadOnlySpan<OnnxNamedTensor> inputs, ReadOnlySpan<OnnxNamedTensor> outputs, CancellationToken cancellationToken = default)
    {
        Span<int> indices = outputs.Length <= StackLimit ? stackalloc int[outputs.Length] : new int[outputs.Length];
        Span<IntPtr> values = outputs.Length <= StackLimit ? stackalloc IntPtr[outputs.Length] : new IntPtr[outputs.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            var (name, tensor) = outputs[i];
            ArgumentNullException.ThrowIfNull(tensor, nameof(outputs));
            indices[i] = OutputIndex(name);
            if (indices[..i].Contains(indices[i]))
            {
                throw new ArgumentException($"Output '{name}' is bound twice.", nameof(outputs));
            }

            CheckTensor(_outputs[indices[i]], tensor, "Output", nameof(outputs));
        }

        var added = 0;
        try
        {
            for (; added < outputs.Length; added++)
            {
                values[added] = AddRef(outputs[added].Tensor.Handle);
            }

            Execute(inputs, indices, values, cancellationToken);
        }
        finally
        {
            for (var i = 0; i < added; i++)
            {
                outputs[i].Tensor.Handle.DangerousRelease();
            }
        }
    }

    /// <summary>Releases the native session (deferred until in-flight runs finish).</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>Reads element type, dimensions and symbolic dimension names from an <c>OrtTensorTypeAndShapeInfo</c>.</summary>
    internal static (OnnxElementType Type, long[] Dims, string[] Symbolic) ReadTensorInfo(OrtApi api, IntPtr info)
    {
        int type;
        api.Check(api.GetTensorElementType(info, &type));
        nuint rank;
        api.Check(api.GetDimensionsCount(info, &rank));
        var dims = new long[(int)rank];
        var symbolic = new string[(int)rank];
        if (rank > 0)
        {
            var names = new IntPtr[(int)rank];
            fixed (long* d = dims)
            fixed (IntPtr* n = names)
            {
                api.Check(api.GetDimensions(info, d, rank));
                api.Check(api.GetSymbolicDimensions(info, (byte**)n, rank));
            }

            for (var i = 0; i < symbolic.Length; i++)
            {
                symbolic[i] = names[i] == IntPtr.Zero ? string.Empty : Marshal.PtrToStringUTF8(names[i]) ?? string.Empty;
            }
        }

        return ((OnnxElementType)type, dims, symbolic);
    }

    private static OnnxSession Create(OnnxSessionOptions options, string source, Func<OrtApi, IntPtr, IntPtr, IntPtr> createNative)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var api = OrtApi.Instance;
        var env = OrtEnvironment.Env;
        using var nativeOptions = CreateOptions(api, options);
        var handle = new OrtSessionHandle();
        try
        {
            handle.Attach(createNative(api, env.DangerousGetHandle(), nativeOptions.DangerousGetHandle()));
            return new OnnxSession(handle, options, source);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static OrtSessionOptionsHandle CreateOptions(OrtApi api, OnnxSessionOptions options)
    {
        var handle = new OrtSessionOptionsHandle();
        IntPtr native;
        api.Check(api.CreateSessionOptions(&native));
        handle.Attach(native);
        try
        {
            api.Check(api.SetIntraOpNumThreads(native, options.IntraOpThreads));
            api.Check(api.SetInterOpNumThreads(native, options.InterOpThreads));
            api.Check(api.SetSessionGraphOptimizationLevel(native, (int)options.GraphOptimizationLevel));
            api.Check(api.SetSessionExecutionMode(native, (int)options.ExecutionMode));
            api.Check(options.EnableMemoryArena ? api.EnableCpuMemArena(native) : api.DisableCpuMemArena(native));
            api.Check(options.EnableMemPattern ? api.EnableMemPattern(native) : api.DisableMemPattern(native));
            foreach (var (key, value) in options.ConfigEntries)
            {
                fixed (byte* k = Utf8Z(key))
                fixed (byte* v = Utf8Z(value))
                {
                    api.Check(api.AddSessionConfigEntry(native, k, v));
                }
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static OnnxNodeInfo[] ReadNodes(OrtApi api, IntPtr session, bool input)
    {
        nuint count;
        api.Check(input ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count));
        IntPtr allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator));
        var nodes = new OnnxNodeInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            api.Check(input
                ? api.SessionGetInputName(session, i, allocator, &rawName)
                : api.SessionGetOutputName(session, i, allocator, &rawName));
            var name = api.TakeAllocatedString(rawName);

            using var typeInfo = new OrtTypeInfoHandle();
            IntPtr typeInfoPointer;
            api.Check(input
                ? api.SessionGetInputTypeInfo(session, i, &typeInfoPointer)
                : api.SessionGetOutputTypeInfo(session, i, &typeInfoPointer));
            typeInfo.Attach(typeInfoPointer);

            // Borrowed pointer, valid while typeInfo lives; null when the value is not a tensor.
            IntPtr tensorInfo;
            api.Check(api.CastTypeInfoToTensorInfo(typeInfoPointer, &tensorInfo));
            nodes[(int)i] = tensorInfo == IntPtr.Zero
                ? new OnnxNodeInfo(name, OnnxElementType.Undefined, [], [])
                : CreateNode(name, ReadTensorInfo(api, tensorInfo));
        }

        return nodes;
    }

    private static OnnxNodeInfo CreateNode(string name, (OnnxElementType Type, long[] Dims, string[] Symbolic) info) =>
        new(name, info.Type, Array.AsReadOnly(info.Dims), Array.AsReadOnly(info.Symbolic));

    private static Dictionary<string, int> Index(OnnxNodeInfo[] nodes)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            index[nodes[i].Name] = i;
        }

        return index;
    }

    private static byte[] Utf8Z(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static void CheckTensor(OnnxNodeInfo node, OnnxTensor tensor, string kind, string parameter)
    {
        ObjectDisposedException.ThrowIf(tensor.IsDisposed, tensor);
        if (!node.IsTensor)
        {
            throw new ArgumentException($"{kind} '{node.Name}' is not a tensor; TopicKit.Onnx only binds tensors.", parameter);
        }

        if (tensor.ElementType != node.ElementType)
        {
            throw new ArgumentException(
                $"{kind} '{node.Name}' expects {node.ElementType} elements but the tensor holds {tensor.ElementType}.", parameter);
        }

        if (tensor.Shape.Count != node.Rank)
        {
            throw new ArgumentException(
                $"{kind} '{node.Name}' expects rank {node.Rank} {node.FormatShape()} but the tensor has rank {tensor.Shape.Count} " +
                $"[{string.Join(", ", tensor.Shape)}].", parameter);
        }

        for (var d = 0; d < node.Rank; d++)
        {
            if (node.Shape[d] >= 0 && node.Shape[d] != tensor.Shape[d])
            {
                throw new ArgumentException(
                    $"{kind} '{node.Name}' expects shape {node.FormatShape()} but the tensor has [{string.Join(", ", tensor.Shape)}] " +
                    $"(dimension {d} must be {node.Shape[d]}).", parameter);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static IntPtr AddRef(SafeHandle handle)
    {
        var success = false;
        handle.DangerousAddRef(ref success);
        return handle.DangerousGetHandle();
    }

    private IntPtr PinName(string name)
    {
        var length = Encoding.UTF8.GetByteCount(name);
        var bytes = GC.AllocateArray<byte>(length + 1, pinned: true);
        Encoding.UTF8.GetBytes(name, bytes);
        _nameStorage.Add(bytes);
        return (IntPtr)Unsafe.AsPointer(ref bytes[0]);
    }

    private int OutputIndex(string name) =>
        name is not null && _outputIndex.TryGetValue(name, out var index)
            ? index
            : throw new ArgumentException(
                $"The model has no output named '{name}'; its outputs are: {string.Join(", ", _outputs.Select(o => o.Name))}.");

    private OnnxRunResult RunSelected(ReadOnlySpan<OnnxNamedTensor> inputs, ReadOnlySpan<int> outputIndices, CancellationToken cancellationToken)
    {
        var values = new IntPtr[outputIndices.Length];
        Execute(inputs, outputIndices, values, cancellationToken);
        var names = new string[outputIndices.Length];
        var tensors = new OnnxTensor[outputIndices.Length];
        var wrapped = 0;
        try
        {
            for (; wrapped < values.Length; wrapped++)
            {
                var handle = new OrtValueHandle();
                handle.Attach(values[wrapped]);
                values[wrapped] = IntPtr.Zero;
                try
                {
                    tensors[wrapped] = OnnxTensor.FromOwnedValue(handle);
                }
                catch
                {
                    handle.Dispose();
                    throw;
                }

                names[wrapped] = _outputNameStrings[outputIndices[wrapped]];
            }
        }
        catch
        {
            for (var i = 0; i < wrapped; i++)
            {
                tensors[i].Dispose();
            }

            ReleaseValues(values);
            throw;
        }

        return new OnnxRunResult(names, tensors);
    }

    private static void ReleaseValues(Span<IntPtr> values)
    {
        var api = OrtApi.Instance;
        foreach (ref var value in values)
        {
            if (value != IntPtr.Zero)
            {
                api.ReleaseValue(value);
                value = IntPtr.Zero;
            }
        }
    }

    /// <summary>
    /// Validates the inputs, pins every native object for the duration of the call and runs the session.
    /// <paramref name="outputValues"/> holds null for outputs ORT should allocate, or caller-bound values.
    /// </summary>
    private void Execute(ReadOnlySpan<OnnxNamedTensor> inputs, ReadOnlySpan<int> outputIndices, Span<IntPtr> outputValues,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var api = OrtApi.Instance;
        var inputCount = inputs.Length;
        Span<IntPtr> inputNames = inputCount <= StackLimit ? stackalloc IntPtr[inputCount] : new IntPtr[inputCount];
        Span<IntPtr> inputValues = inputCount <= StackLimit ? stackalloc IntPtr[inputCount] : new IntPtr[inputCount];
        Span<IntPtr> outputNames = outputIndices.Length <= StackLimit ? stackalloc IntPtr[outputIndices.Length] : new IntPtr[outputIndices.Length];
        Span<bool> seen = _inputs.Length <= StackLimit ? stackalloc bool[_inputs.Length] : new bool[_inputs.Length];
        seen.Clear();
        for (var i = 0; i < inputCount; i++)
        {
            var (name, tensor) = inputs[i];
            if (name is null || !_inputIndex.TryGetValue(name, out var index))
            {
                throw new ArgumentException(
                    $"The model has no input named '{name}'; its inputs are: {string.Join(", ", _inputs.Select(n => $"{n.Name} {n.ElementType} {n.FormatShape()}"))}.",
                    nameof(inputs));
            }

            if (seen[index])
            {
                throw new ArgumentException($"Input '{name}' is given twice.", nameof(inputs));
            }

            ArgumentNullException.ThrowIfNull(tensor, nameof(inputs));
            CheckTensor(_inputs[index], tensor, "Input", nameof(inputs));
            seen[index] = true;
            inputNames[i] = _inputNames[index];
        }

        if (seen.Contains(false))
        {
            var missing = new List<string>();
            for (var i = 0; i < seen.Length; i++)
            {
                if (!seen[i])
                {
                    missing.Add(_inputs[i].Name);
                }
            }

            throw new ArgumentException($"Missing model input(s): {string.Join(", ", missing)}.", nameof(inputs));
        }

        for (var i = 0; i < outputIndices.Length; i++)
        {
            outputNames[i] = _outputNames[outputIndices[i]];
        }

        Span<bool> callerBound = outputValues.Length <= StackLimit ? stackalloc bool[outputValues.Length] : new bool[outputValues.Length];
        for (var i = 0; i < outputValues.Length; i++)
        {
            callerBound[i] = outputValues[i] != IntPtr.Zero;
        }

        var session = AddRef(_handle);
        var added = 0;
        OrtRunOptionsHandle? runOptions = null;
        IntPtr status;
        try
        {
            for (; added < inputCount; added++)
            {
                inputValues[added] = AddRef(inputs[added].Tensor.Handle);
            }

            var runOptionsPointer = IntPtr.Zero;
            CancellationTokenRegistration registration = default;
            if (cancellationToken.CanBeCanceled)
            {
                runOptions = CreateRunOptions(api);
                runOptionsPointer = runOptions.DangerousGetHandle();
                registration = cancellationToken.UnsafeRegister(static state => Terminate((OrtRunOptionsHandle)state!), runOptions);
            }

            try
            {
                fixed (IntPtr* inNames = inputNames)
                fixed (IntPtr* inValues = inputValues)
                fixed (IntPtr* outNames = outputNames)
                fixed (IntPtr* outValues = outputValues)
                {
                    status = api.Run(session, runOptionsPointer, inNames, inValues, (nuint)inputCount, outNames,
                        (nuint)outputIndices.Length, outValues);
                }
            }
            finally
            {
                // Waits for a running Terminate callback, so the run options outlive every use.
                registration.Dispose();
            }
        }
        finally
        {
            for (var i = 0; i < added; i++)
            {
                inputs[i].Tensor.Handle.DangerousRelease();
            }

            _handle.DangerousRelease();
            runOptions?.Dispose();
        }

        if (status == IntPtr.Zero)
        {
            return;
        }

        var error = api.TakeException(status);
        for (var i = 0; i < outputValues.Length; i++)
        {
            if (!callerBound[i] && outputValues[i] != IntPtr.Zero)
            {
                api.ReleaseValue(outputValues[i]);
                outputValues[i] = IntPtr.Zero;
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The ONNX Runtime run was cancelled.", error, cancellationToken);
        }

        throw error;
    }

    private static OrtRunOptionsHandle CreateRunOptions(OrtApi api)
    {
        var handle = new OrtRunOptionsHandle();
        IntPtr native;
        api.Check(api.CreateRunOptions(&native));
        handle.Attach(native);
        return handle;
    }

    private static void Terminate(OrtRunOptionsHandle runOptions)
    {
        var api = OrtApi.Instance;
        var status = api.RunOptionsSetTerminate(runOptions.DangerousGetHandle());
        if (status != IntPtr.Zero)
        {
            api.ReleaseStatus(status);
        }
    }
}
