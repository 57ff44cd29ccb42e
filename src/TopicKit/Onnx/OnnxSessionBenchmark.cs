using System.Diagnostics;

namespace TopicKit.Onnx;

/// <summary>Timing of bare <see cref="OnnxSession"/> runs over pre-tokenised texts.</summary>
/// <param name="Texts">Number of texts run (warm-up excluded).</param>
/// <param name="Batches">Number of timed runs.</param>
/// <param name="Tokens">Real (unpadded) tokens run.</param>
/// <param name="PaddedTokens">Tokens including padding (what the model computed).</param>
/// <param name="Elapsed">Sum of the timed <c>Run</c> calls only (no padding or tensor setup).</param>
/// <param name="BatchTimes">Each timed run, in execution order.</param>
public sealed record OnnxBenchmarkResult(int Texts, int Batches, long Tokens, long PaddedTokens, TimeSpan Elapsed, IReadOnlyList<TimeSpan> BatchTimes)
{
    /// <summary>Texts per second of pure model time.</summary>
    public double TextsPerSecond => Texts / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Real tokens per second of pure model time.</summary>
    public double TokensPerSecond => Tokens / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Median single-run time.</summary>
    public TimeSpan MedianBatchTime
    {
        get
        {
            if (BatchTimes.Count == 0)
            {
                return TimeSpan.Zero;
            }

            var sorted = BatchTimes.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}

/// <summary>
/// Measures raw model throughput, so encoder-level overheads (tokenising, pooling) can be told apart from ONNX Runtime time.
/// </summary>
public static class OnnxSessionBenchmark
{
    /// <summary>
    /// Runs <paramref name="tokenizedTexts"/> through a BERT-style session (inputs <c>input_ids</c>, <c>attention_mask</c>,
    /// optional <c>token_type_ids</c>) in right-padded batches of <paramref name="batchSize"/> and times each <c>Run</c>.
    /// </summary>
    /// <param name="session">The session to time.</param>
    /// <param name="tokenizedTexts">Token ids per text (already truncated as the model needs).</param>
    /// <param name="batchSize">Texts per run.</param>
    /// <param name="sortByLength">Batch texts of similar length together (less padding), as sentence-transformers does.</param>
    /// <param name="warmupBatches">Untimed runs of the first batch before timing (lets ORT plan memory).</param>
    /// <param name="cancellationToken">Stops between or inside runs.</param>
    public static OnnxBenchmarkResult Measure(
        OnnxSession session,
        IReadOnlyList<long[]> tokenizedTexts,
        int batchSize = 32,
        bool sortByLength = true,
        int warmupBatches = 1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tokenizedTexts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupBatches);
        if (tokenizedTexts.Count == 0)
        {
            return new OnnxBenchmarkResult(0, 0, 0, 0, TimeSpan.Zero, []);
        }

        var order = Enumerable.Range(0, tokenizedTexts.Count).ToArray();
        if (sortByLength)
        {
            order = [.. order.OrderByDescending(i => tokenizedTexts[i].Length)];
        }

        var batches = order.Chunk(batchSize).Select(chunk => chunk.Select(i => tokenizedTexts[i]).ToArray()).ToArray();
        for (var w = 0; w < warmupBatches; w++)
        {
            using var warm = OnnxTokenBatch.Create(session, batches[0]);
            using var _ = session.Run(warm.Inputs, cancellationToken);
        }

        var times = new List<TimeSpan>(batches.Length);
        long tokens = 0, padded = 0;
        foreach (var rows in batches)
        {
            using var batch = OnnxTokenBatch.Create(session, rows);
            var start = Stopwatch.GetTimestamp();
            using (session.Run(batch.Inputs, cancellationToken))
            {
                times.Add(Stopwatch.GetElapsedTime(start));
            }

            tokens += rows.Sum(r => (long)r.Length);
            padded += (long)batch.Rows * batch.SequenceLength;
        }

        var total = times.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        return new OnnxBenchmarkResult(tokenizedTexts.Count, batches.Length, tokens, padded, total, times);
    }
}
