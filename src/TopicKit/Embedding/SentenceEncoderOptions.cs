using Microsoft.ML.OnnxRuntime;

namespace TopicKit.Embedding;

/// <summary>How <see cref="OnnxSentenceEncoder"/> batches and runs the model.</summary>
public sealed record SentenceEncoderOptions
{
    /// <summary>Largest rows x padded length of one model call (default 512 tokens).</summary>
    /// <remarks>
    /// Small calls keep each run's activations in the core's own cache; with length-sorted batches they cost almost no
    /// padding, and the per-call overhead stays near 1% (measured on minilm-l6-shape, see README "Performance").
    /// </remarks>
    /// <remarks>Raised to the model's maximum length when smaller, so every text fits in one call.</remarks>
    public int TokenBudget { get; init; } = 512;

    /// <summary>Largest number of texts in one model call (default 64).</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>CPU threads the model runs on in total; 0 (default) uses every core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Model runs in flight at once, each on <see cref="Threads"/> / runs intra-op threads. 0 (default) runs one batch per
    /// thread, each single-threaded: batches are independent, so this parallelises without ONNX Runtime's per-operator
    /// fork/join, which costs most on the small operators of sentence encoders. 1 gives one run at a time using every thread.
    /// </summary>
    public int ConcurrentRuns { get; init; }

    /// <summary>
    /// Texts tokenised and planned together (default 2048). Memory stays bounded by this, whatever the corpus
    /// size, and the next chunk is tokenised while the model runs the current one.
    /// </summary>
    public int ChunkSize { get; init; } = 2048;

    /// <summary>Text put before every input; <see langword="null"/> (default) uses the model's passage prefix.</summary>
    public string? Prefix { get; init; }

    /// <summary>
    /// Whether idle ONNX Runtime worker threads spin between operators (default true, ONNX Runtime's own default):
    /// faster on a machine of its own, wasted CPU when other work shares the cores.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>Graph optimisation level of the session (default <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>).</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Where the model runs (default <see cref="OnnxExecutionProvider.Cpu"/>). <see cref="OnnxExecutionProvider.Cuda"/>
    /// needs an application that references <c>Microsoft.ML.OnnxRuntime.Gpu</c>; with it, <see cref="ConcurrentRuns"/> 0
    /// means one run at a time, and a larger <see cref="TokenBudget"/> (thousands of tokens) keeps the device busy.
    /// </summary>
    public OnnxExecutionProvider ExecutionProvider { get; init; } = OnnxExecutionProvider.Cpu;

    /// <summary>The GPU to use with <see cref="OnnxExecutionProvider.Cuda"/> (default 0); ignored on the CPU.</summary>
    public int DeviceId { get; init; }

    /// <summary>Extra ONNX Runtime session configuration entries (tuning experiments); none by default.</summary>
    internal IReadOnlyDictionary<string, string>? ExtraSessionConfig { get; init; }

    /// <summary>ONNX Runtime memory-pattern planning (tuning experiments); ONNX Runtime's default (on) when null.</summary>
    internal bool? MemPattern { get; init; }

    /// <summary>Total threads: <see cref="Threads"/>, or the core count for 0.</summary>
    internal int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;

    /// <summary>
    /// Model runs in flight at once (at least 1, at most <see cref="EffectiveThreads"/>); on a GPU, 0 means one, since
    /// the device already runs each batch in parallel.
    /// </summary>
    internal int EffectiveConcurrentRuns => ConcurrentRuns == 0
        ? ExecutionProvider == OnnxExecutionProvider.Cpu ? EffectiveThreads : 1
        : Math.Clamp(ConcurrentRuns, 1, EffectiveThreads);

    /// <summary>
    /// ONNX Runtime session options for these settings (intra-op threads per run, sequential execution, the execution
    /// provider); the caller disposes them once the session is created.
    /// </summary>
    /// <exception cref="NotSupportedException">The execution provider is not in the ONNX Runtime build the application ships.</exception>
    internal SessionOptions CreateSessionOptions()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(DeviceId);
        if (!Enum.IsDefined(GraphOptimizationLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(GraphOptimizationLevel), GraphOptimizationLevel, "Unknown graph optimisation level.");
        }

        var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, EffectiveThreads / EffectiveConcurrentRuns),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel,
            EnableMemoryPattern = MemPattern ?? true,
        };
        try
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", AllowSpinning ? "1" : "0");
            foreach (var (key, value) in ExtraSessionConfig ?? new Dictionary<string, string>())
            {
                options.AddSessionConfigEntry(key, value);
            }

            AppendExecutionProvider(options);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private void AppendExecutionProvider(SessionOptions options)
    {
        switch (ExecutionProvider)
        {
            case OnnxExecutionProvider.Cpu:
                return;
            case OnnxExecutionProvider.Cuda:
                try
                {
                    options.AppendExecutionProvider_CUDA(DeviceId);
                }
                catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException)
                {
                    throw new NotSupportedException(
                        $"The CUDA execution provider is not available ({e.Message.Trim()}); reference the Microsoft.ML.OnnxRuntime.Gpu package instead of Microsoft.ML.OnnxRuntime, install CUDA and cuDNN, or use the CPU.",
                        e);
                }

                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, "Unknown execution provider.");
        }
    }
}
