namespace TopicKit.Onnx;

/// <summary>Graph optimisation level (<c>GraphOptimizationLevel</c> in the C API).</summary>
public enum OnnxGraphOptimizationLevel
{
    /// <summary>No graph optimisations.</summary>
    None = 0,

    /// <summary>Basic, semantics-preserving rewrites (constant folding, redundant node removal).</summary>
    Basic = 1,

    /// <summary>Basic plus complex node fusions.</summary>
    Extended = 2,

    /// <summary>Everything, including layout optimisations.</summary>
    All = 99,
}

/// <summary>How ONNX Runtime schedules the operators of a graph.</summary>
public enum OnnxExecutionMode
{
    /// <summary>One operator at a time (each can still use intra-op threads).</summary>
    Sequential = 0,

    /// <summary>Independent branches run concurrently on the inter-op pool.</summary>
    Parallel = 1,
}

/// <summary>Options for creating an <see cref="OnnxSession"/>. Immutable; derive variants with <c>with</c>.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>The defaults: ORT's own thread counts, all graph optimisations, arena and memory patterns on, sequential.</summary>
    public static OnnxSessionOptions Default { get; } = new();

    /// <summary>
    /// Threads used inside one operator (matrix multiplies). 0 (default) lets ONNX Runtime choose, which is the number of
    /// physical cores; 1 runs everything on the calling thread.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads running independent operators in <see cref="OnnxExecutionMode.Parallel"/> mode. 0 (default) = ORT's choice.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Graph optimisation level. Default <see cref="OnnxGraphOptimizationLevel.All"/>.</summary>
    public OnnxGraphOptimizationLevel GraphOptimizationLevel { get; init; } = OnnxGraphOptimizationLevel.All;

    /// <summary>Use ONNX Runtime's CPU memory arena (faster repeated runs, memory is kept). Default true.</summary>
    public bool EnableMemoryArena { get; init; } = true;

    /// <summary>Pre-plan memory for repeated runs with equal shapes. Default true.</summary>
    public bool EnableMemPattern { get; init; } = true;

    /// <summary>Operator scheduling. Default <see cref="OnnxExecutionMode.Sequential"/>.</summary>
    public OnnxExecutionMode ExecutionMode { get; init; } = OnnxExecutionMode.Sequential;

    /// <summary>
    /// Extra session configuration entries (<c>AddSessionConfigEntry</c>), e.g.
    /// <c>"session.intra_op.allow_spinning" = "0"</c> to stop idle worker threads from spinning. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for negative thread counts.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(InterOpThreads);
        if (!Enum.IsDefined(GraphOptimizationLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(GraphOptimizationLevel), GraphOptimizationLevel, "Unknown graph optimisation level.");
        }

        if (!Enum.IsDefined(ExecutionMode))
        {
            throw new ArgumentOutOfRangeException(nameof(ExecutionMode), ExecutionMode, "Unknown execution mode.");
        }
    }
}
