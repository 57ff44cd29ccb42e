namespace TopicKit.Onnx;

/// <summary>
/// Right-padded token-id batch as BERT-style model inputs: <c>input_ids</c>, <c>attention_mask</c> (1 = token,
/// 0 = padding) and, when the model has it, <c>token_type_ids</c> (zeros). The tensors wrap the arrays without copies.
/// </summary>
internal sealed class OnnxTokenBatch : IDisposable
{
    private readonly OnnxTensor[] _tensors;

    private OnnxTokenBatch(long[] ids, long[] mask, int rows, int sequenceLength, OnnxTensor[] tensors, OnnxNamedTensor[] inputs)
    {
        Ids = ids;
        Mask = mask;
        Rows = rows;
        SequenceLength = sequenceLength;
        _tensors = tensors;
        Inputs = inputs;
    }

    /// <summary>Row-major [rows, sequenceLength] ids, zero-padded.</summary>
    public long[] Ids { get; }

    /// <summary>Row-major [rows, sequenceLength] attention mask.</summary>
    public long[] Mask { get; }

    public int Rows { get; }

    public int SequenceLength { get; }

    /// <summary>The inputs to pass to <see cref="OnnxSession.Run(ReadOnlySpan{OnnxNamedTensor}, CancellationToken)"/>.</summary>
    public OnnxNamedTensor[] Inputs { get; }

    /// <summary>Pads <paramref name="rows"/> to the longest row (at least one column, so empty rows stay valid).</summary>
    /// <exception cref="ArgumentException">The session lacks <c>input_ids</c>/<c>attention_mask</c>, or has other inputs.</exception>
    public static OnnxTokenBatch Create(OnnxSession session, IReadOnlyList<long[]> rows)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one row.", nameof(rows));
        }

        var names = session.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var supported = new[] { "input_ids", "attention_mask", "token_type_ids" };
        if (!names.Contains("input_ids") || !names.Contains("attention_mask") || names.Except(supported).Any())
        {
            throw new ArgumentException(
                $"Token batches feed input_ids, attention_mask and optionally token_type_ids; the model has: {string.Join(", ", names)}.",
                nameof(session));
        }

        var seq = 1;
        foreach (var row in rows)
        {
            seq = Math.Max(seq, row.Length);
        }

        var ids = new long[rows.Count * seq];
        var mask = new long[rows.Count * seq];
        for (var b = 0; b < rows.Count; b++)
        {
            rows[b].CopyTo(ids, b * seq);
            mask.AsSpan(b * seq, rows[b].Length).Fill(1);
        }

        var tensors = new List<OnnxTensor>(3);
        var inputs = new List<OnnxNamedTensor>(3);
        try
        {
            Add("input_ids", ids);
            Add("attention_mask", mask);
            if (names.Contains("token_type_ids"))
            {
                Add("token_type_ids", new long[ids.Length]);
            }
        }
        catch
        {
            tensors.ForEach(t => t.Dispose());
            throw;
        }

        return new OnnxTokenBatch(ids, mask, rows.Count, seq, [.. tensors], [.. inputs]);

        void Add(string name, long[] data)
        {
            var tensor = OnnxTensor.FromArray(data, rows.Count, seq);
            tensors.Add(tensor);
            inputs.Add(new OnnxNamedTensor(name, tensor));
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _tensors)
        {
            tensor.Dispose();
        }
    }
}
