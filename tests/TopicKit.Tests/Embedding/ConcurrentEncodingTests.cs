using System.Numerics.Tensors;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Embedding;

/// <summary>Concurrent model runs, longest-first scheduling and streamed chunks give the reference vectors.</summary>
public class ConcurrentEncodingTests
{
    private static readonly Lazy<List<(string Id, string Text)>> Texts = new(() =>
        File.ReadLines(SharedData.Path("oracles", "embedding", "texts.jsonl")).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return (doc.RootElement.GetProperty("id").GetString()!, doc.RootElement.GetProperty("text").GetString()!);
        }).ToList());

    [Fact]
    public void StreamedChunksFromConcurrentRunsMatchTheOracle()
    {
        var oracle = File.ReadLines(SharedData.Path("oracles", "embedding", "tiny-bert-embeddings.jsonl")).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return (doc.RootElement.GetProperty("id").GetString()!,
                doc.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        }).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        var options = new SentenceEncoderOptions { Threads = 2, ConcurrentRuns = 2, ChunkSize = 17, TokenBudget = 300, MaxBatchSize = 3 };
        using var encoder = OnnxSentenceEncoder.Load(SharedData.Path("models", "tiny-bert"), options);
        var rows = Texts.Value;
        var chunks = encoder.EncodeChunks(rows.Select(r => r.Text)).ToList();
        Assert.Equal((rows.Count + 16) / 17, chunks.Count);
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(17, c.Rows));
        var listed = encoder.Encode(rows.Select(r => r.Text).ToList());
        var i = 0;
        foreach (var chunk in chunks)
        {
            for (var r = 0; r < chunk.Rows; r++, i++)
            {
                var cos = TensorPrimitives.CosineSimilarity(chunk.RowReadOnly(r), oracle[rows[i].Id]);
                Assert.True(cos >= 0.9999f, $"text {rows[i].Id}: cosine {cos}");
                Assert.Equal(1.0, TensorPrimitives.Norm(chunk.RowReadOnly(r)), 1e-4);

                // The same chunking and plan whatever the entry point and scheduling: bitwise equal rows.
                Assert.True(chunk.RowReadOnly(r).SequenceEqual(listed.RowReadOnly(i)), $"text {rows[i].Id} differs between EncodeChunks and Encode");
            }
        }

        Assert.Equal(rows.Count, i);
    }

    [Fact]
    public void StreamingReadsAtMostOneChunkAhead()
    {
        var pulled = 0;
        IEnumerable<string> Source()
        {
            for (var i = 0; i < 100; i++)
            {
                pulled++;
                yield return "a short text number " + i;
            }
        }

        using var encoder = OnnxSentenceEncoder.Load(SharedData.Path("models", "tiny-bert"), new SentenceEncoderOptions { ChunkSize = 10, Threads = 1 });
        using var chunks = encoder.EncodeChunks(Source()).GetEnumerator();
        Assert.True(chunks.MoveNext());
        Assert.Equal(10, chunks.Current.Rows);
        Assert.InRange(pulled, 10, 20);
        var total = 10;
        while (chunks.MoveNext())
        {
            total += chunks.Current.Rows;
        }

        Assert.Equal(100, total);
        Assert.Equal(100, pulled);
    }

    [Fact]
    public void WorkersRunEveryItemOnceAndSurfaceTheFirstFailure()
    {
        var seen = new int[1000];
        var workersUsed = new int[3];
        BatchWorkers.Run(3, seen.Length, (worker, item) =>
        {
            Interlocked.Increment(ref seen[item]);
            Interlocked.Increment(ref workersUsed[worker]);
        }, CancellationToken.None);
        Assert.All(seen, n => Assert.Equal(1, n));
        Assert.Equal(1000, workersUsed.Sum());

        var error = Assert.Throws<InvalidDataException>(() =>
            BatchWorkers.Run(2, 50, (_, item) => { if (item == 7) { throw new InvalidDataException("item 7"); } }, CancellationToken.None));
        Assert.Equal("item 7", error.Message);

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => BatchWorkers.Run(2, 10, (_, _) => { }, cts.Token));
    }

    [Fact]
    public void LongestFirstOrdersByPaddedTokensAndKeepsEveryBatch()
    {
        PlannedBatch[] batches = [new(0, 4, 10), new(4, 2, 30), new(6, 3, 20), new(9, 1, 60), new(10, 2, 30)];
        var ordered = BatchPlanner.LongestFirst(batches);

        // Costs 40, 60, 60, 60, 60: ties broken by longer rows, then by position.
        Assert.Equal([9, 4, 10, 6, 0], ordered.Select(b => b.Start));
        Assert.Equal(batches.OrderBy(b => b.Start), ordered.OrderBy(b => b.Start));
    }
}
