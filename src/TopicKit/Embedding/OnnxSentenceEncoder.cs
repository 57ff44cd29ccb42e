using TopicKit.Numerics;
using TopicKit.Onnx;
using TopicKit.Text;

namespace TopicKit.Embedding;

/// <summary>
/// A sentence encoder over an ONNX model folder: tokenise, sort by length, batch under a token budget,
/// run ONNX Runtime, pool, normalise and restore input order. Thread-safe; dispose to free the session.
/// </summary>
public sealed class OnnxSentenceEncoder : ISentenceEncoder, IDisposable
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";
    private readonly OnnxSession _session;
    private readonly bool _hasTokenTypes;
    private readonly string _prefix;

    private OnnxSentenceEncoder(SentenceModelConfig config, ITokenizer tokenizer, OnnxSession session, SentenceEncoderOptions options, int dimension, bool hasTokenTypes, string modelId, string modelSha256)
    {
        ModelSha256 = modelSha256;
        Config = config;
        Tokenizer = tokenizer;
        _session = session;
        Options = options;
        Dimension = dimension;
        _hasTokenTypes = hasTokenTypes;
        ModelId = modelId;
        _prefix = options.Prefix ?? config.PassagePrefix;
    }

    /// <summary>What the model folder says (pooling, normalisation, lengths, prefixes).</summary>
    public SentenceModelConfig Config { get; }

    /// <summary>The tokenizer the model is fed by.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>Batching and threading settings.</summary>
    public SentenceEncoderOptions Options { get; }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    /// <remarks>Folder name, the model file's sha256, pooling, normalisation and maximum length, e.g. <c>tiny-bert@sha256:1f2e…/mean/norm/256</c>.</remarks>
    public string ModelId { get; }

    /// <inheritdoc/>
    public string PassagePrefix => _prefix;

    /// <inheritdoc/>
    public string QueryPrefix => Config.QueryPrefix;

    /// <summary>SHA-256 (lower-case hex) of the ONNX file as loaded, for integrity checks against an install record.</summary>
    public string ModelSha256 { get; }

    /// <summary>Loads the model in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder lacks the model or tokenizer files.</exception>
    /// <exception cref="InvalidDataException">The model's inputs or outputs are not what its configuration says.</exception>
    public static OnnxSentenceEncoder Load(string folder, SentenceEncoderOptions? options = null)
    {
        options ??= new SentenceEncoderOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ChunkSize);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads);
        var config = SentenceModelConfig.Load(folder);
        var tokenizer = TokenizerLoader.FromModelFolder(config.Folder);
        var sessionOptions = options.ToSessionOptions();
        var session = OnnxSession.Load(config.ModelPath, sessionOptions);
        try
        {
            var (dimension, hasTokenTypes, outputName) = Validate(config, session);
            config = config with { OutputName = outputName };
            var sha = config.ComputeModelSha256();
            var pooling = config.Pooling.ToString().ToLowerInvariant();
            var modelId = $"{Path.GetFileName(config.Folder)}@sha256:{sha}/{pooling}/{(config.Normalize ? "norm" : "raw")}/{Math.Min(tokenizer.MaxLength, config.MaxLength)}";
            return new OnnxSentenceEncoder(config, tokenizer, session, options, dimension, hasTokenTypes, modelId, sha);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The exact text fed to the model for <paramref name="text"/> (the prefix applied), for cache keys.</summary>
    public string InputText(string text) => _prefix.Length == 0 ? text : _prefix + text;

    /// <inheritdoc/>
    public Matrix Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new Matrix(texts.Count, Dimension);
        Encode(texts, result, null, cancellationToken);
        return result;
    }

    /// <summary>Encodes <paramref name="texts"/> into the rows of <paramref name="destination"/>, reporting texts done.</summary>
    public void Encode(IReadOnlyList<string> texts, Matrix destination, IProgress<int>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Rows != texts.Count || destination.Columns != Dimension)
        {
            throw new ArgumentException($"Destination must be {texts.Count} x {Dimension}.", nameof(destination));
        }

        var done = 0;
        var runner = new BatchRunner(this);
        using var chunks = new TokenizedChunks(this, texts, cancellationToken);
        while (chunks.Next() is { } ids)
        {
            if (done + ids.Length > texts.Count)
            {
                throw new InvalidOperationException("The text list grew while it was being encoded.");
            }

            runner.Run(ids, destination, done, cancellationToken);
            done += ids.Length;
            progress?.Report(done);
        }
    }

    /// <summary>
    /// Encodes a stream of texts chunk by chunk (<see cref="SentenceEncoderOptions.ChunkSize"/> texts each), yielding one
    /// matrix per chunk with the chunk's vectors in input order. Memory stays bounded by the chunk size whatever the
    /// stream's length: only the current chunk's token ids, the next chunk's (tokenised while the model runs) and the
    /// batch buffers are held. The source is enumerated lazily, one chunk ahead, from a background task.
    /// </summary>
    public IEnumerable<Matrix> EncodeChunks(IEnumerable<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Iterate(texts, cancellationToken);
    }

    /// <summary>Encodes already tokenised inputs (ids exactly as fed to the model) into <paramref name="destination"/>.</summary>
    public void EncodeTokenized(IReadOnlyList<int[]> ids, Matrix destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(destination);
        var runner = new BatchRunner(this);
        runner.Run([.. ids], destination, 0, cancellationToken);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();

    private IEnumerable<Matrix> Iterate(IEnumerable<string> texts, CancellationToken cancellationToken)
    {
        var runner = new BatchRunner(this);
        using var chunks = new TokenizedChunks(this, texts, cancellationToken);
        while (chunks.Next() is { } ids)
        {
            var result = new Matrix(ids.Length, Dimension);
            runner.Run(ids, result, 0, cancellationToken);
            yield return result;
        }
    }

    private int[][] Tokenize(string[] texts)
    {
        var count = texts.Length;
        var ids = new int[count][];
        void One(int i) => ids[i] = Tokenizer.Encode(InputText(texts[i] ?? string.Empty), truncate: true);
        if (count < 32)
        {
            for (var i = 0; i < count; i++)
            {
                One(i);
            }
        }
        else
        {
            Parallel.For(0, count, One);
        }

        return ids;
    }

    private static (int Dimension, bool HasTokenTypes, string OutputName) Validate(SentenceModelConfig config, OnnxSession session)
    {
        var names = session.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var required in new[] { InputIds, AttentionMask })
        {
            if (!names.Contains(required))
            {
                throw new InvalidDataException(
                    $"{config.ModelPath}: the model has no '{required}' input (it has {string.Join(", ", names)}); TopicKit runs models with input_ids and attention_mask (and optionally token_type_ids).");
            }
        }

        foreach (var input in session.Inputs)
        {
            if (input.Name is not (InputIds or AttentionMask or TokenTypeIds))
            {
                throw new InvalidDataException($"{config.ModelPath}: unexpected model input '{input.Name}'; only input_ids, attention_mask and token_type_ids can be fed.");
            }

            if (input.ElementType != OnnxElementType.Int64 || input.Rank != 2)
            {
                throw new InvalidDataException($"{config.ModelPath}: input '{input.Name}' is {input.ElementType} {input.FormatShape()}, but int64 [batch, sequence] was expected.");
            }
        }

        var output = session.Outputs.FirstOrDefault(o => o.Name == config.OutputName)
            ?? throw new InvalidDataException(
                $"{config.ModelPath}: the configuration expects output '{config.OutputName}' but the model has {string.Join(", ", session.Outputs.Select(o => o.Name))}.");
        var expectedRank = config.Pooling == PoolingMode.ModelOutput ? 2 : 3;
        if (output.ElementType != OnnxElementType.Float || output.Rank != expectedRank || output.Shape[^1] <= 0)
        {
            throw new InvalidDataException(
                $"{config.ModelPath}: output '{output.Name}' is {output.ElementType} {output.FormatShape()}, but float32 with rank {expectedRank} and a fixed last dimension was expected.");
        }

        return ((int)output.Shape[^1], names.Contains(TokenTypeIds), output.Name);
    }

    /// <summary>
    /// Reads and tokenises the source one chunk ahead on a background task, so tokenisation overlaps the model run of
    /// the chunk before; holds at most two chunks.
    /// </summary>
    private sealed class TokenizedChunks : IDisposable
    {
        private readonly OnnxSentenceEncoder _owner;
        private readonly IEnumerator<string> _source;
        private readonly CancellationToken _cancellationToken;
        private Task<int[][]?> _next;

        public TokenizedChunks(OnnxSentenceEncoder owner, IEnumerable<string> texts, CancellationToken cancellationToken)
        {
            _owner = owner;
            _source = texts.GetEnumerator();
            _cancellationToken = cancellationToken;
            _next = Start();
        }

        /// <summary>The next chunk's ids, or <see langword="null"/> at the end of the source.</summary>
        public int[][]? Next()
        {
            var ids = _next.GetAwaiter().GetResult();
            _next = ids is null ? Task.FromResult<int[][]?>(null) : Start();
            return ids;
        }

        public void Dispose()
        {
            // The enumerator may be in use by the read-ahead task; wait for it before disposing.
            try
            {
                _next.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Already observed by Next(), or irrelevant when the caller stopped early.
            }

            _source.Dispose();
        }

        private Task<int[][]?> Start() => Task.Run(Read, _cancellationToken);

        private int[][]? Read()
        {
            var chunk = new List<string>(Math.Min(_owner.Options.ChunkSize, 4096));
            while (chunk.Count < _owner.Options.ChunkSize && _source.MoveNext())
            {
                chunk.Add(_source.Current);
            }

            return chunk.Count == 0 ? null : _owner.Tokenize([.. chunk]);
        }
    }

    /// <summary>
    /// Reusable input/output buffers for one encoding call, one set per concurrent model run; not shared between calls.
    /// </summary>
    private sealed class BatchRunner(OnnxSentenceEncoder owner)
    {
        private readonly Buffers[] _workers = [.. Enumerable.Range(0, owner.Options.EffectiveConcurrentRuns).Select(_ => new Buffers())];

        public void Run(int[][] ids, Matrix destination, int rowOffset, CancellationToken cancellationToken)
        {
            var lengths = new int[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                lengths[i] = ids[i].Length;
            }

            var maxLength = Math.Min(owner.Tokenizer.MaxLength, owner.Config.MaxLength);
            var budget = Math.Max(owner.Options.TokenBudget, maxLength);
            var (order, planned) = BatchPlanner.Plan(lengths, budget, owner.Options.MaxBatchSize);
            var batches = BatchPlanner.LongestFirst(planned);
            BatchWorkers.Run(
                _workers.Length,
                batches.Length,
                (worker, item) => RunBatch(_workers[worker], ids, order.AsSpan(batches[item].Start, batches[item].Count), batches[item].PaddedLength, destination, rowOffset, cancellationToken),
                cancellationToken);
        }

        private void RunBatch(Buffers buffers, int[][] ids, ReadOnlySpan<int> members, int padded, Matrix destination, int rowOffset, CancellationToken cancellationToken)
        {
            var rows = members.Length;
            var cells = rows * padded;
            Grow(ref buffers.Ids, cells);
            Grow(ref buffers.Mask, cells);
            var idSpan = buffers.Ids.AsSpan(0, cells);
            var maskSpan = buffers.Mask.AsSpan(0, cells);
            idSpan.Fill(owner.Tokenizer.PadId);
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

            ReadOnlySpan<long> shape = [rows, padded];
            using var idTensor = OnnxTensor.FromMemory(buffers.Ids.AsMemory(0, cells), shape);
            using var maskTensor = OnnxTensor.FromMemory(buffers.Mask.AsMemory(0, cells), shape);
            OnnxTensor? typeTensor = null;
            try
            {
                var pooled = owner.Config.Pooling == PoolingMode.ModelOutput;
                var hidden = owner.Dimension;
                var outputLength = pooled ? rows * hidden : cells * hidden;
                Grow(ref buffers.Output, outputLength);
                using var outputTensor = pooled
                    ? OnnxTensor.FromMemory(buffers.Output.AsMemory(0, outputLength), [rows, hidden])
                    : OnnxTensor.FromMemory(buffers.Output.AsMemory(0, outputLength), [rows, padded, hidden]);
                Span<OnnxNamedTensor> inputs = [new(InputIds, idTensor), new(AttentionMask, maskTensor), default];
                var inputCount = 2;
                if (owner._hasTokenTypes)
                {
                    Grow(ref buffers.Types, cells);
                    buffers.Types.AsSpan(0, cells).Clear();
                    typeTensor = OnnxTensor.FromMemory(buffers.Types.AsMemory(0, cells), shape);
                    inputs[inputCount++] = new(TokenTypeIds, typeTensor);
                }

                owner._session.RunInto(inputs[..inputCount], [new(owner.Config.OutputName, outputTensor)], cancellationToken);

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
                        Pooling.Pool(output.Slice(r * padded * hidden, padded * hidden), ids[members[r]].Length, owner.Config.Pooling, target);
                    }

                    if (owner.Config.Normalize)
                    {
                        RowOps.NormalizeInPlace(target);
                    }
                }
            }
            finally
            {
                typeTensor?.Dispose();
            }
        }

        private sealed class Buffers
        {
            public long[] Ids = [];
            public long[] Mask = [];
            public long[] Types = [];
            public float[] Output = [];
        }

        private static void Grow<T>(ref T[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                buffer = new T[Math.Max(length, buffer.Length * 2)];
            }
        }
    }
}
