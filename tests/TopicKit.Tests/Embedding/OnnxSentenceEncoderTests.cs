using System.Numerics.Tensors;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Embedding;

/// <summary>End-to-end encoder checks: strings in, vectors equal to the reference implementations' out.</summary>
public class OnnxSentenceEncoderTests
{
    private static readonly Lazy<List<(string Id, string Text)>> Texts = new(EmbeddingOracles.Texts);

    public static TheoryData<string, string, int, bool> Compositions => new()
    {
        // model folder, oracle file, max batch size, reversed input order
        { "tiny-bert", "tiny-bert-embeddings.jsonl", 64, false },
        { "tiny-bert", "tiny-bert-embeddings.jsonl", 3, true },
        { "use-lite", "use-lite-embeddings.jsonl", 64, false },
        { "use-lite", "use-lite-embeddings.jsonl", 5, true },
        { "minilm-l6-shape", "minilm-shape-embeddings.jsonl", 16, true },
    };

    [Theory]
    [MemberData(nameof(Compositions))]
    public void EveryTextMatchesTheOracle(string model, string oracleFile, int maxBatch, bool reversed)
    {
        var oracle = EmbeddingOracles.Embeddings(oracleFile);
        var rows = reversed ? Enumerable.Reverse(Texts.Value).ToList() : Texts.Value;
        using var encoder = OnnxSentenceEncoder.Load(SharedData.Path("models", model), new SentenceEncoderOptions { MaxBatchSize = maxBatch, Threads = 1 });
        var vectors = encoder.Encode(rows.Select(r => r.Text).ToList());
        Assert.Equal(rows.Count, vectors.Rows);
        Assert.Equal(oracle.First().Value.Length, encoder.Dimension);
        var worst = 1.0f;
        var worstId = string.Empty;
        for (var i = 0; i < rows.Count; i++)
        {
            var cos = TensorPrimitives.CosineSimilarity(vectors.RowReadOnly(i), oracle[rows[i].Id]);
            if (cos < worst)
            {
                (worst, worstId) = (cos, rows[i].Id);
            }

            Assert.Equal(1.0, TensorPrimitives.Norm(vectors.RowReadOnly(i)), 1e-4);
        }

        Assert.True(worst >= 0.9999f, $"{model}: cosine {worst} for text {worstId}");
    }

    [Fact]
    public void ModelIdNamesTheFileHashAndEmptyInputGivesEmptyMatrix()
    {
        using var encoder = OnnxSentenceEncoder.Load(SharedData.Path("models", "tiny-bert"));
        Assert.StartsWith("tiny-bert@sha256:", encoder.ModelId, StringComparison.Ordinal);
        Assert.Contains("/mean/norm/256", encoder.ModelId, StringComparison.Ordinal);
        var sha = encoder.ModelId["tiny-bert@sha256:".Length..encoder.ModelId.IndexOf('/', StringComparison.Ordinal)];
        Assert.Equal(encoder.Config.ComputeModelSha256(), sha);
        Assert.Equal(64, sha.Length);
        var empty = encoder.Encode([]);
        Assert.Equal(0, empty.Rows);
        Assert.Equal(32, empty.Columns);
    }

    [Fact]
    public void CancellationStopsEncoding()
    {
        using var encoder = OnnxSentenceEncoder.Load(SharedData.Path("models", "tiny-bert"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => encoder.Encode(Texts.Value.Select(t => t.Text).ToList(), cts.Token));
    }

    [Fact]
    public void LoneSurrogatesInApiTextsAreEncodedAsTheReplacementCharacter()
    {
        // Documented behaviour: text reaching the encoder through the API with unpaired surrogates is not an error; an
        // unpaired surrogate counts as U+FFFD, which is also what the cache key (UTF-8 of the text) sees.
        using var encoder = OnnxSentenceEncoder.Load(EmbeddingTestKit.Model("tiny-bert"));
        var vectors = encoder.Encode(["broken \ud800 here", "broken \ufffd here", "broken here"]);
        Assert.Equal(vectors.RowReadOnly(1).ToArray(), vectors.RowReadOnly(0).ToArray());
        Assert.Equal(
            TopicKit.Storage.EmbeddingStore.ComputeTextHash("broken \ufffd here"),
            TopicKit.Storage.EmbeddingStore.ComputeTextHash("broken \ud800 here"));
    }
}
