using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TopicKit.Numerics;
using TopicKit.Onnx;
using TopicKit.Text;

namespace TopicKit.Embedding;

/// <summary>
/// A sentence encoder over an ONNX model folder: tokenise, sort by length, batch under a token budget,
/// run ONNX Runtime (the <c>Microsoft.ML.OnnxRuntime</c> package), pool, normalise and restore input order.
/// Thread-safe; dispose to free the session.
/// </summary>
public sealed class OnnxSentenceEncoder : ISentenceEncoder, IDisposable
{
    internal const string InputIds = "input_ids";
    internal const string AttentionMask = "attention_mask";
    internal const string TokenTypeIds = "token_type_ids";
    private readonly InferenceSession _session;
    private readonly string _prefix;

    private OnnxSentenceEncoder(SentenceModelConfig config, ITokenizer tokenizer, InferenceSession session, SentenceEncoderOptions options, int dimension, bool hasTokenTypes, string modelId, string modelSha256)
    {
        ModelSha256 = modelSha256;
        Config = config;
        Tokenizer = tokenizer;
        _session = session;
        Options = options;
        Dimension = dimension;
        HasTokenTypes = hasTokenTypes;
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

    /// <summary>Whether the model takes <c>token_type_ids</c> (fed as zeros).</summary>
    internal bool HasTokenTypes { get; }

    /// <summary>Longest input in tokens: the tokenizer's and the configuration's limit, whichever is smaller.</summary>
    internal int MaxLength => Math.Min(Tokenizer.MaxLength, Config.MaxLength);

    /// <summary>Loads the model in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder lacks the model or tokenizer files.</exception>
    /// <exception cref="InvalidDataException">
    /// ONNX Runtime cannot load the model file, or the model's inputs or outputs are not what its configuration says.
    /// </exception>
    /// <exception cref="NotSupportedException">The requested execution provider is not in the application's ONNX Runtime build.</exception>
    public static OnnxSentenceEncoder Load(string folder, SentenceEncoderOptions? options = null)
    {
        options ??= new SentenceEncoderOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ChunkSize);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads);
        var config = SentenceModelConfig.Load(folder);
        var tokenizer = TokenizerLoader.FromModelFolder(config.Folder);
        InferenceSession session;
        using (var sessionOptions = options.CreateSessionOptions())
        {
            session = OnnxSessions.Load(config.ModelPath, sessionOptions);
        }

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
        using var runner = new BatchRunner(this, _session, cancellationToken);
        using var chunks = new TokenizedChunks(this, texts, cancellationToken);
        while (chunks.Next() is { } ids)
        {
            if (done + ids.Length > texts.Count)
            {
                throw new InvalidOperationException("The text list grew while it was being encoded.");
            }

            runner.Run(ids, destination, done);
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
        using var runner = new BatchRunner(this, _session, cancellationToken);
        runner.Run([.. ids], destination, 0);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();

    private IEnumerable<Matrix> Iterate(IEnumerable<string> texts, CancellationToken cancellationToken)
    {
        using var runner = new BatchRunner(this, _session, cancellationToken);
        using var chunks = new TokenizedChunks(this, texts, cancellationToken);
        while (chunks.Next() is { } ids)
        {
            var result = new Matrix(ids.Length, Dimension);
            runner.Run(ids, result, 0);
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

    private static (int Dimension, bool HasTokenTypes, string OutputName) Validate(SentenceModelConfig config, InferenceSession session)
    {
        var names = session.InputNames.ToHashSet(StringComparer.Ordinal);
        foreach (var required in new[] { InputIds, AttentionMask })
        {
            if (!names.Contains(required))
            {
                throw new InvalidDataException(
                    $"{config.ModelPath}: the model has no '{required}' input (it has {string.Join(", ", session.InputNames)}); TopicKit runs models with input_ids and attention_mask (and optionally token_type_ids).");
            }
        }

        foreach (var name in session.InputNames)
        {
            if (name is not (InputIds or AttentionMask or TokenTypeIds))
            {
                throw new InvalidDataException($"{config.ModelPath}: unexpected model input '{name}'; only input_ids, attention_mask and token_type_ids can be fed.");
            }

            var input = session.InputMetadata[name];
            if (!input.IsTensor || input.ElementDataType != TensorElementType.Int64 || input.Dimensions.Length != 2)
            {
                throw new InvalidDataException($"{config.ModelPath}: input '{name}' is {OnnxSessions.Describe(input)}, but int64 [batch, sequence] was expected.");
            }
        }

        if (!session.OutputMetadata.TryGetValue(config.OutputName, out var output))
        {
            throw new InvalidDataException(
                $"{config.ModelPath}: the configuration expects output '{config.OutputName}' but the model has {string.Join(", ", session.OutputNames)}.");
        }

        var expectedRank = config.Pooling == PoolingMode.ModelOutput ? 2 : 3;
        if (!output.IsTensor || output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != expectedRank || output.Dimensions[^1] <= 0)
        {
            throw new InvalidDataException(
                $"{config.ModelPath}: output '{config.OutputName}' is {OnnxSessions.Describe(output)}, but float32 with rank {expectedRank} and a fixed last dimension was expected.");
        }

        return (output.Dimensions[^1], names.Contains(TokenTypeIds), config.OutputName);
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
}
