using TopicKit.Embedding;
using TopicKit.Onnx;

namespace TopicKit.Bench;

/// <summary>
/// The floor TopicKit's encoder is measured against: the same pre-tokenised ids in the same length-sorted batches
/// (same chunking, planner and concurrent runs), and per batch only building the int64 tensors and <see cref="OnnxSession.Run(ReadOnlySpan{OnnxNamedTensor}, CancellationToken)"/>;
/// no tokenisation, pooling, normalisation or reordering.
/// </summary>
internal sealed class BareSessionRunner : IDisposable
{
    private readonly OnnxSession _session;
    private readonly List<(int[] Members, int Padded)> _batches = [];
    private readonly int[][] _ids;
    private readonly int _padId;
    private readonly bool _hasTypes;
    private readonly string[] _outputs;
    private readonly int _workers;

    public BareSessionRunner(OnnxSentenceEncoder encoder, IReadOnlyList<string> texts)
    {
        _session = OnnxSession.Load(encoder.Config.ModelPath, encoder.Options.ToSessionOptions());
        _hasTypes = _session.Inputs.Any(i => i.Name == "token_type_ids");
        _padId = encoder.Tokenizer.PadId;
        _outputs = [encoder.Config.OutputName];
        _workers = encoder.Options.EffectiveConcurrentRuns;
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

    public void Pass() => BatchWorkers.Run(_workers, _batches.Count, (_, item) => RunBatch(item), CancellationToken.None);

    private void RunBatch(int item)
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

        using var idTensor = OnnxTensor.FromArray(ids, members.Length, padded);
        using var maskTensor = OnnxTensor.FromArray(mask, members.Length, padded);
        using var typeTensor = OnnxTensor.FromArray(types, members.Length, padded);
        OnnxNamedTensor[] inputs = _hasTypes
            ? [new("input_ids", idTensor), new("attention_mask", maskTensor), new("token_type_ids", typeTensor)]
            : [new("input_ids", idTensor), new("attention_mask", maskTensor)];
        using var result = _session.Run(inputs, _outputs);
    }

    public void Dispose() => _session.Dispose();
}
