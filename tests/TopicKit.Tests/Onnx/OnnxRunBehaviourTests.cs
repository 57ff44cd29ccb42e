using Microsoft.ML.OnnxRuntime;
using TopicKit.Onnx;
using TopicKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TopicKit.Tests.Onnx;

/// <summary>Cancellation through <see cref="RunOptions.Terminate"/>, caller-owned outputs and concurrent runs on one session.</summary>
[Collection(OnnxCollection.Name)]
public sealed class OnnxRunBehaviourTests(OnnxModelsFixture models, ITestOutputHelper output)
{
    private static readonly string[] BertInputs = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] BertOutput = ["last_hidden_state"];

    [Fact]
    public void PreCancelledToken_ThrowsWithoutRunning()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var runs = new CancellableRuns(2, cts.Token);
        var inputs = OnnxTestData.Inputs([101, 102], [1, 1], 1, 2, tokenTypes: true);
        try
        {
            var error = Assert.ThrowsAny<OperationCanceledException>(() => runs.Run(1, models.TinyBert, BertInputs, inputs, BertOutput).Dispose());
            Assert.Equal(cts.Token, error.CancellationToken);
        }
        finally
        {
            Dispose(inputs);
        }
    }

    [Fact]
    public void CancellingALongRun_TerminatesItInsideOrt_AndTheSessionStaysUsable()
    {
        // 64 x 256 tokens through the MiniLM-L6 compute on one thread takes seconds on this class of machine.
        var rows = Enumerable.Range(0, 64)
            .Select(r => Enumerable.Range(0, 256).Select(t => (long)(1000 + (((r * 31) + t) % 20000))).ToArray())
            .ToArray();
        var (ids, mask, seq) = OnnxTestData.Pad(rows);
        var inputs = OnnxTestData.Inputs(ids, mask, rows.Length, seq, tokenTypes: true);
        var session = models.MiniLm;
        try
        {
            using var cts = new CancellationTokenSource();
            using var runs = new CancellableRuns(1, cts.Token);
            cts.CancelAfter(TimeSpan.FromMilliseconds(200));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var error = Assert.ThrowsAny<OperationCanceledException>(() => runs.Run(0, session, BertInputs, inputs, BertOutput).Dispose());
            output.WriteLine($"cancelled after {watch.ElapsedMilliseconds} ms");
            Assert.Equal(cts.Token, error.CancellationToken);

            // Stopped by ONNX Runtime mid-run (terminate flag), not by a check before the run.
            Assert.IsType<OnnxRuntimeException>(error.InnerException);
        }
        finally
        {
            Dispose(inputs);
        }

        var expected = EmbeddingOracles.Embeddings("minilm-shape-embeddings.jsonl");
        var text = OnnxTestData.ReadIds("wordpiece-ids.jsonl", "ids").First(r => r.Ids.Length < 40);
        var actual = OnnxTestData.BertEmbed(models.MiniLm, [text.Ids])[0];
        Assert.True(OnnxTestData.Cosine(actual, expected[text.Id]) >= 0.9999);
    }

    [Fact]
    public void CallerOwnedOutput_IsFilledInPlace_SameAsOrtAllocatedOutput()
    {
        long[] ids = [101, 7592, 1010, 2088, 999, 102];
        var inputs = OnnxTestData.Inputs(ids, [.. Enumerable.Repeat(1L, ids.Length)], 1, ids.Length, tokenTypes: true);
        using var runs = new CancellableRuns(1, CancellationToken.None);
        try
        {
            float[] expected;
            using (var allocated = runs.Run(0, models.TinyBert, BertInputs, inputs, BertOutput))
            {
                expected = allocated[0].GetTensorDataAsSpan<float>().ToArray();
            }

            var buffer = new float[ids.Length * 32];
            for (var round = 0; round < 2; round++)
            {
                buffer.AsSpan().Fill(float.NaN);
                using var bound = OrtValue.CreateTensorValueFromMemory(buffer, [1, ids.Length, 32]);
                runs.Run(0, models.TinyBert, BertInputs, inputs, BertOutput, [bound]);
                Assert.Equal(expected, buffer);
            }
        }
        finally
        {
            Dispose(inputs);
        }
    }

    [Fact]
    public void WrongOutputShape_IsOrtsErrorNotACancellation()
    {
        var inputs = OnnxTestData.Inputs([101, 7592, 102], [1, 1, 1], 1, 3, tokenTypes: true);
        using var runs = new CancellableRuns(1, CancellationToken.None);
        try
        {
            using var wrong = OrtValue.CreateTensorValueFromMemory(new float[4 * 32], [1, 4, 32]);
            var error = Assert.Throws<OnnxRuntimeException>(() => runs.Run(0, models.TinyBert, BertInputs, inputs, BertOutput, [wrong]));
            Assert.Contains("{1,4,32}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Dispose(inputs);
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

    private static void Dispose(OrtValue[] values)
    {
        foreach (var value in values)
        {
            value.Dispose();
        }
    }
}
