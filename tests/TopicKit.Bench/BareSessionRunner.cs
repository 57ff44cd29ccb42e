using Microsoft.ML.OnnxRuntime;
using TopicKit.Embedding;
using TopicKit.Onnx;

namespace TopicKit.Bench;

/// <summary>
/// The floor TopicKit's encoder is measured against: the same pre-tokenised ids in the same length-sorted batches
/// (same chunking, planner and concurrent runs), and per batch only building the int64 tensors over fresh arrays and
/// ONNX Runtime's plain <c>Run</c>, which allocates the output; no tokenisation, pooling, normalisation or reordering.
/// </summary>
internal sealed class BareSessionRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly CancellableRuns _runs;
    private readonly string[] _inputs;
    private readonly List<(int[] Members, int Padded)> _batches = [];
    private readonly int[][] _ids;
    private readonly int _padId;
    private readonly bool _hasTypes;
    private readonly string[] _outputs;
    private readonly int _workers;

    public BareSessionRunner(OnnxSentenceEncoder encoder, IReadOnlyList<string> texts)
    {
        using (var sessionOptions = encoder.Options.CreateSessionOptions())
        {
            _session = OnnxSessions.Load(encoder.Config.ModelPath, sessionOptions);
        }

        _hasTypes = _session.InputNames.Contains("token_type_ids");
        _inputs = _hasTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        _padId = encoder.Tokenizer.PadId;
        _outputs = [encoder.Config.OutputName];
        _workers = encoder.Options.EffectiveConcurrentRuns;
        _runs = new CancellableRuns(_workers, CancellationToken.None);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _ids = texts.Select(t => encoder.Tokenizer.Encode(encoder.InputText(t), truncate: true)).ToArray();
        TokenizeSeconds = watch.Elapsed.TotalSeconds;
        var maxLength = Math.Min(encoder.Tokenizer.MaxLength, encoder.Config.MaxLength);
        var budget = Math.Max(encoder.Options.TokenBudget, maxLength);
        for (var start = 0; start < _ids.Length; start += encoder.Options.ChunkSize)
        {
            var count = Math.Min(encoder.Options.ChunkSize, _ids.Length - start);
            var lengths = _ids.AsSpan(start, count).ToArray().Select(a => a.Length).ToArray();
            var (order, batches) = BatchPlanner.Plan(lengths, budget, encoder.Options.MaxBatchSize);
            foreach (var b in BatchPlanner.LongestFirst(batches))
            {
                _batches.Add((order.AsSpan(b.Start, b.Count).ToArray().Select(i => i + start).ToArray(), b.PaddedLength));
            }
        }

        Tokens = _ids.Sum(a => (long)a.Length);
        PaddedTokens = _batches.Sum(b => (long)b.Members.Length * b.Padded);
    }

    public int Batches => _batches.Count;

    /// <summary>Seconds TopicKit's tokenizer took for all texts on one thread (before any pass).</summary>
    public double TokenizeSeconds { get; }

    public long Tokens { get; }

    public long PaddedTokens { get; }

    public void Pass() => BatchWorkers.Run(_workers, _batches.Count, (worker, item) => RunBatch(worker, item), CancellationToken.None);

    private void RunBatch(int worker, int item)
    {
        var (members, padded) = _batches[item];
        var cells = members.Length * padded;
        var ids = new long[cells];
        var mask = new long[cells];
        var types = new long[cells];
        ids.AsSpan().Fill(_padId);
        for (var r = 0; r < members.Length; r++)
        {
            var source = _ids[members[r]];
            for (var t = 0; t < source.Length; t++)
            {
                ids[(r * padded) + t] = source[t];
                mask[(r * padded) + t] = 1;
            }
        }

        long[] shape = [members.Length, padded];
        using var idTensor = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskTensor = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typeTensor = OrtValue.CreateTensorValueFromMemory(types, shape);
        OrtValue[] inputs = _hasTypes ? [idTensor, maskTensor, typeTensor] : [idTensor, maskTensor];
        using var result = _runs.Run(worker, _session, _inputs, inputs, _outputs);
    }

    public void Dispose()
    {
        _runs.Dispose();
        _session.Dispose();
    }
}
