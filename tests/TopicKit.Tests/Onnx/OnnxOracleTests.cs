using Microsoft.ML.OnnxRuntime;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Onnx;

/// <summary>
/// ONNX Runtime's outputs for the shared models, run directly through <c>Microsoft.ML.OnnxRuntime</c>, against embeddings
/// computed by independent implementations (shared/oracles/embedding).
/// </summary>
[Collection(OnnxCollection.Name)]
public sealed class OnnxOracleTests(OnnxModelsFixture models)
{
    private const double MinCosine = 0.9999;

    [Fact]
    public void TinyBert_EachTextAlone_MatchesOracle()
    {
        var rows = OnnxTestData.ReadIds("wordpiece-ids.jsonl", "ids");
        var expected = EmbeddingOracles.Embeddings("tiny-bert-embeddings.jsonl");
        Assert.Equal(152, rows.Count);
        foreach (var (id, ids) in rows)
        {
            var actual = OnnxTestData.BertEmbed(models.TinyBert, [ids])[0];
            var cosine = OnnxTestData.Cosine(actual, expected[id]);
            Assert.True(cosine >= MinCosine, $"text {id}: cosine {cosine:R}");
        }
    }

    [Fact]
    public void TinyBert_PaddedBatches_MatchOracle()
    {
        var rows = OnnxTestData.ReadIds("wordpiece-ids.jsonl", "ids");
        var expected = EmbeddingOracles.Embeddings("tiny-bert-embeddings.jsonl");

        // Batches mix long and short texts so most rows carry padding under mask zero.
        foreach (var batch in rows.Chunk(19))
        {
            var actual = OnnxTestData.BertEmbed(models.TinyBert, batch.Select(r => r.Ids).ToArray());
            for (var i = 0; i < batch.Length; i++)
            {
                var cosine = OnnxTestData.Cosine(actual[i], expected[batch[i].Id]);
                Assert.True(cosine >= MinCosine, $"text {batch[i].Id} in a padded batch: cosine {cosine:R}");
            }
        }
    }

    [Fact]
    public void UseLite_EachTextAlone_MatchesOracle()
    {
        var rows = OnnxTestData.ReadIds("use-lite-token-ids.jsonl", "token_ids");
        var expected = EmbeddingOracles.Embeddings("use-lite-embeddings.jsonl");
        Assert.Equal(152, rows.Count);
        foreach (var (id, ids) in rows)
        {
            var actual = UseLiteEmbed([ids])[0];
            var cosine = OnnxTestData.Cosine(actual, expected[id]);
            Assert.True(cosine >= MinCosine, $"text {id} ({ids.Length} ids): cosine {cosine:R}");
        }
    }

    [Fact]
    public void UseLite_PaddedBatches_MatchOracle()
    {
        var rows = OnnxTestData.ReadIds("use-lite-token-ids.jsonl", "token_ids");
        var expected = EmbeddingOracles.Embeddings("use-lite-embeddings.jsonl");
        foreach (var batch in rows.Chunk(25))
        {
            var actual = UseLiteEmbed(batch.Select(r => r.Ids).ToArray());
            for (var i = 0; i < batch.Length; i++)
            {
                var cosine = OnnxTestData.Cosine(actual[i], expected[batch[i].Id]);
                Assert.True(cosine >= MinCosine, $"text {batch[i].Id} in a padded batch: cosine {cosine:R}");
            }
        }
    }

    [Fact]
    public void MiniLmShape_FewTexts_MatchOracle()
    {
        var expected = EmbeddingOracles.Embeddings("minilm-shape-embeddings.jsonl");
        var rows = OnnxTestData.ReadIds("wordpiece-ids.jsonl", "ids")
            .Where(r => r.Ids.Length is >= 20 and <= 60)
            .Take(3)
            .ToArray();
        Assert.Equal(3, rows.Length);
        var actual = OnnxTestData.BertEmbed(models.MiniLm, rows.Select(r => r.Ids).ToArray());
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(384, actual[i].Length);
            var cosine = OnnxTestData.Cosine(actual[i], expected[rows[i].Id]);
            Assert.True(cosine >= MinCosine, $"text {rows[i].Id}: cosine {cosine:R}");
        }
    }

    /// <summary>use-lite pools and normalises inside the model; empty rows still need one (masked) column.</summary>
    private float[][] UseLiteEmbed(IReadOnlyList<long[]> rows)
    {
        Assert.Equal(["input_ids", "attention_mask"], models.UseLite.InputNames.Order().Reverse());
        var (ids, mask, seq) = OnnxTestData.Pad(rows);
        var inputs = OnnxTestData.Inputs(ids, mask, rows.Count, seq, tokenTypes: false);
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = models.UseLite.Run(runOptions, ["input_ids", "attention_mask"], inputs, ["sentence_embedding"]);
            Assert.Equal([rows.Count, 512L], outputs[0].GetTensorTypeAndShape().Shape);
            var data = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            return Enumerable.Range(0, rows.Count).Select(b => data.AsSpan(b * 512, 512).ToArray()).ToArray();
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }
}
