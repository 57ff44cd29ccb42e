using Microsoft.ML.OnnxRuntime;
using TopicKit.Numerics;
using TopicKit.Onnx;

namespace TopicKit.Embedding;

/// <summary>
/// Runs one encoding call's planned batches through the session: one set of pinned input/output buffers and one
/// <see cref="RunOptions"/> per concurrent run, reused for every batch of the call, so a steady-state run allocates no
/// tensor memory (ONNX Runtime reads the inputs and writes the output in place). Not shared between calls.
/// </summary>
internal sealed class BatchRunner : IDisposable
{
    private readonly OnnxSentenceEncoder _owner;
    private readonly InferenceSession _session;
    private readonly Buffers[] _workers;
    private readonly CancellableRuns _runs;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly CancellationToken _cancellationToken;

    public BatchRunner(OnnxSentenceEncoder owner, InferenceSession session, CancellationToken cancellationToken)
    {
        _owner = owner;
        _session = session;
        _cancellationToken = cancellationToken;
        _inputNames = owner.HasTokenTypes
            ? [OnnxSentenceEncoder.InputIds, OnnxSentenceEncoder.AttentionMask, OnnxSentenceEncoder.TokenTypeIds]
            : [OnnxSentenceEncoder.InputIds, OnnxSentenceEncoder.AttentionMask];
        _outputNames = [owner.Config.OutputName];
        var workers = owner.Options.EffectiveConcurrentRuns;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => new Buffers(_inputNames.Length, owner.Dimension))];
        _runs = new CancellableRuns(workers, cancellationToken);
    }

    /// <summary>Encodes tokenised inputs into rows <paramref name="rowOffset"/>.. of <paramref name="destination"/>, in input order.</summary>
    public void Run(int[][] ids, Matrix destination, int rowOffset)
    {
        var lengths = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            lengths[i] = ids[i].Length;
        }

        var budget = Math.Max(_owner.Options.TokenBudget, _owner.MaxLength);
        var (order, planned) = BatchPlanner.Plan(lengths, budget, _owner.Options.MaxBatchSize);
        var batches = BatchPlanner.LongestFirst(planned);
        BatchWorkers.Run(
            _workers.Length,
            batches.Length,
            (worker, item) => RunBatch(worker, ids, order.AsSpan(batches[item].Start, batches[item].Count), batches[item].PaddedLength, destination, rowOffset),
            _cancellationToken);
    }

    public void Dispose() => _runs.Dispose();

    private void RunBatch(int worker, int[][] ids, ReadOnlySpan<int> members, int padded, Matrix destination, int rowOffset)
    {
        var buffers = _workers[worker];
        var rows = members.Length;
        var cells = rows * padded;
        var pooled = _owner.Config.Pooling == PoolingMode.ModelOutput;
        var hidden = _owner.Dimension;
        var outputLength = pooled ? rows * hidden : cells * hidden;
        buffers.Reserve(cells, outputLength);

        var idSpan = buffers.Ids.AsSpan(0, cells);
        var maskSpan = buffers.Mask.AsSpan(0, cells);
        idSpan.Fill(_owner.Tokenizer.PadId);
        maskSpan.Clear();
        for (var r = 0; r < rows; r++)
        {
            var source = ids[members[r]];
            var row = idSpan.Slice(r * padded, padded);
            for (var t = 0; t < source.Length; t++)
            {
                row[t] = source[t];
            }

            maskSpan.Slice(r * padded, source.Length).Fill(1);
        }

        buffers.InputShape[0] = rows;
        buffers.InputShape[1] = padded;
        long[] outputShape = pooled ? buffers.PooledShape : buffers.TokenShape;
        outputShape[0] = rows;
        if (!pooled)
        {
            outputShape[1] = padded;
        }

        var memory = OrtMemoryInfo.DefaultInstance;
        try
        {
            buffers.Inputs[0] = OrtValue.CreateTensorValueFromMemory(memory, buffers.Ids.AsMemory(0, cells), buffers.InputShape);
            buffers.Inputs[1] = OrtValue.CreateTensorValueFromMemory(memory, buffers.Mask.AsMemory(0, cells), buffers.InputShape);
            if (_owner.HasTokenTypes)
            {
                // Never written: a pinned zero buffer is all-zero token types for any batch that fits in it.
                buffers.Inputs[2] = OrtValue.CreateTensorValueFromMemory(memory, buffers.Types.AsMemory(0, cells), buffers.InputShape);
            }

            buffers.Outputs[0] = OrtValue.CreateTensorValueFromMemory(memory, buffers.Output.AsMemory(0, outputLength), outputShape);
            _runs.Run(worker, _session, _inputNames, buffers.Inputs, _outputNames, buffers.Outputs);
        }
        finally
        {
            buffers.ReleaseValues();
        }

        var output = buffers.Output.AsSpan(0, outputLength);
        for (var r = 0; r < rows; r++)
        {
            var target = destination.Row(rowOffset + members[r]);
            if (pooled)
            {
                output.Slice(r * hidden, hidden).CopyTo(target);
            }
            else
            {
                Pooling.Pool(output.Slice(r * padded * hidden, padded * hidden), ids[members[r]].Length, _owner.Config.Pooling, target);
            }

            if (_owner.Config.Normalize)
            {
                RowOps.NormalizeInPlace(target);
            }
        }
    }

    /// <summary>
    /// One worker's buffers, pinned (allocated on the pinned object heap) because ONNX Runtime reads and writes them
    /// through raw pointers; they grow by doubling up to the largest batch of the token budget and are then reused.
    /// </summary>
    private sealed class Buffers(int inputCount, int hidden)
    {
        public long[] Ids { get; private set; } = [];

        public long[] Mask { get; private set; } = [];

        public long[] Types { get; private set; } = [];

        public float[] Output { get; private set; } = [];

        public long[] InputShape { get; } = new long[2];

        public long[] PooledShape { get; } = [0, hidden];

        public long[] TokenShape { get; } = [0, 0, hidden];

        public OrtValue[] Inputs { get; } = new OrtValue[inputCount];

        public OrtValue[] Outputs { get; } = new OrtValue[1];

        public void Reserve(int cells, int outputLength)
        {
            if (Ids.Length < cells)
            {
                var length = Math.Max(cells, Ids.Length * 2);
                Ids = GC.AllocateUninitializedArray<long>(length, pinned: true);
                Mask = GC.AllocateUninitializedArray<long>(length, pinned: true);
                if (Inputs.Length > 2)
                {
                    Types = GC.AllocateArray<long>(length, pinned: true);
                }
            }

            if (Output.Length < outputLength)
            {
                Output = GC.AllocateUninitializedArray<float>(Math.Max(outputLength, Output.Length * 2), pinned: true);
            }
        }

        public void ReleaseValues()
        {
            Release(Inputs);
            Release(Outputs);
        }

        private static void Release(OrtValue[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i]?.Dispose();
                values[i] = null!;
            }
        }
    }
}
