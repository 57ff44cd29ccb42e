using System.Diagnostics;
using TopicKit.Onnx;
using TopicKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TopicKit.Tests.Onnx;

/// <summary>Cancellation, concurrent runs, token batches and the benchmark helper.</summary>
[Collection(OnnxCollection.Name)]
public sealed class OnnxRunBehaviourTests(OnnxModelsFixture models, ITestOutputHelper output)
{
    [Fact]
    public void PreCancelledToken_ThrowsWithoutRunning()
    {
        using var batch = OnnxTokenBatch.Create(models.TinyBert, [[101, 102]]);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => models.TinyBert.Run(batch.Inputs, cts.Token));
    }

    [Fact]
    public void CancellingALongRun_TerminatesIt_AndSessionStaysUsable()
    {
        // 64 x 256 tokens through the MiniLM-L6 compute takes several seconds on this class of machine.
        var rows = Enumerable.Range(0, 64)
            .Select(r => Enumerable.Range(0, 256).Select(t => (long)(1000 + ((r * 31) + t) % 20000)).ToArray())
            .ToArray();
        using var batch = OnnxTokenBatch.Create(models.MiniLm, rows);
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        var error = Assert.ThrowsAny<OperationCanceledException>(() => models.MiniLm.Run(batch.Inputs, cts.Token));
        output.WriteLine($"cancelled after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.IsType<OnnxRuntimeException>(error.InnerException);

        // The session keeps working after a terminated run.
        var expected = EmbeddingOracles.Embeddings("minilm-shape-embeddings.jsonl");
        var text = OnnxTestData.ReadIds("wordpiece-ids.jsonl", "ids").First(r => r.Ids.Length < 40);
        var actual = OnnxTestData.BertEmbed(models.MiniLm, [text.Ids])[0];
        Assert.True(OnnxTestData.Cosine(actual, expected[text.Id]) >= 0.9999);
    }

    [Fact]
    public void RunOptionsTerminateFlag_CanBeSetAndCleared()
    {
        var api = OrtApi.Instance;
        unsafe
        {
            IntPtr runOptions;
            api.Check(api.CreateRunOptions(&runOptions));
            try
            {
                api.Check(api.RunOptionsSetTerminate(runOptions));
                api.Check(api.RunOptionsUnsetTerminate(runOptions));
            }
            finally
            {
                api.ReleaseRunOptions(runOptions);
            }
        }
    }

    [Fact]
    public void ConcurrentRuns_GiveTheSameResultsAsSerialRuns()
    {
        var rows = OnnxTestData.ReadIds("wordpiece-ids.jsonl", "ids").Take(40).Select(r => r.Ids).ToArray();
        var serial = rows.Select(r => OnnxTestData.BertEmbed(models.TinyBert, [r])[0]).ToArray();

        var concurrent = new float[rows.Length][];
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = t; i < rows.Length; i += 2)
            {
                concurrent[i] = OnnxTestData.BertEmbed(models.TinyBert, [rows[i]])[0];
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(serial[i], concurrent[i]);
        }
    }

    [Fact]
    public void TokenBatch_PadsRightAndAddsTokenTypesOnlyWhenTheModelHasThem()
    {
        using var bert = OnnxTokenBatch.Create(models.TinyBert, [[101, 7, 102], [101, 102], []]);
        Assert.Equal(3, bert.SequenceLength);
        Assert.Equal([101L, 7, 102, 101, 102, 0, 0, 0, 0], bert.Ids);
        Assert.Equal([1L, 1, 1, 1, 1, 0, 0, 0, 0], bert.Mask);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], bert.Inputs.Select(i => i.Name));
        Assert.Equal(new long[9], bert.Inputs[2].Tensor.ToArray<long>());

        using var empty = OnnxTokenBatch.Create(models.UseLite, [[]]);
        Assert.Equal(1, empty.SequenceLength);
        Assert.Equal(["input_ids", "attention_mask"], empty.Inputs.Select(i => i.Name));
        Assert.Equal([0L], empty.Mask);
    }

    [Fact]
    public void Benchmark_CountsTokensAndRuns()
    {
        var rows = OnnxTestData.ReadIds("wordpiece-ids.jsonl", "ids").Take(50).Select(r => r.Ids).ToArray();
        var result = OnnxSessionBenchmark.Measure(models.TinyBert, rows, batchSize: 16);
        output.WriteLine($"tiny-bert: {result.TextsPerSecond:F0} texts/s, {result.TokensPerSecond:F0} tokens/s, median batch {result.MedianBatchTime.TotalMilliseconds:F1} ms");
        Assert.Equal(50, result.Texts);
        Assert.Equal(4, result.Batches);
        Assert.Equal(rows.Sum(r => (long)r.Length), result.Tokens);
        Assert.True(result.PaddedTokens >= result.Tokens);
        Assert.Equal(4, result.BatchTimes.Count);
        Assert.Equal(result.BatchTimes.Aggregate(TimeSpan.Zero, (a, b) => a + b), result.Elapsed);
    }
}
