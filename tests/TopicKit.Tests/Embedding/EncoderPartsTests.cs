using TopicKit.Embedding;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Embedding;

public class EncoderPartsTests
{
    [Fact]
    public void MeanPoolingAveragesOnlyRealTokens()
    {
        // Three positions of hidden size 2; the third is padding and must not count.
        float[] tokens = [1, 2, 3, 6, 100, 100];
        var result = new float[2];
        Pooling.Pool(tokens, 2, PoolingMode.Mean, result);
        Assert.Equal([2f, 4f], result);
        Pooling.Pool(tokens, 2, PoolingMode.Max, result);
        Assert.Equal([3f, 6f], result);
        Pooling.Pool(tokens, 2, PoolingMode.Cls, result);
        Assert.Equal([1f, 2f], result);
    }

    [Fact]
    public void NormalizeGivesUnitLengthAndKeepsZero()
    {
        float[] v = [3, 4];
        TopicKit.Numerics.RowOps.NormalizeInPlace((Span<float>)v);
        Assert.Equal([0.6f, 0.8f], v);
        float[] zero = [0, 0];
        TopicKit.Numerics.RowOps.NormalizeInPlace((Span<float>)zero);
        Assert.Equal([0f, 0f], zero);
    }

    [Fact]
    public void BatchPlanKeepsEveryInputOnceAndRespectsTheBudget()
    {
        var random = new Random(5);
        var lengths = Enumerable.Range(0, 500).Select(_ => random.Next(0, 257)).ToArray();
        var (order, batches) = BatchPlanner.Plan(lengths, tokenBudget: 2048, maxBatchSize: 32);
        Assert.Equal(Enumerable.Range(0, 500), order.Order());
        var covered = 0;
        foreach (var b in batches)
        {
            Assert.Equal(covered, b.Start);
            covered += b.Count;
            Assert.InRange(b.Count, 1, 32);
            var longest = Enumerable.Range(b.Start, b.Count).Max(i => Math.Max(lengths[order[i]], 1));
            Assert.Equal(longest, b.PaddedLength);
            Assert.True(b.Count == 1 || b.Count * b.PaddedLength <= 2048);
        }

        Assert.Equal(500, covered);
        // Sorted ascending, ties by input index.
        for (var i = 1; i < order.Length; i++)
        {
            Assert.True(lengths[order[i - 1]] < lengths[order[i]] || (lengths[order[i - 1]] == lengths[order[i]] && order[i - 1] < order[i]));
        }
    }

    [Fact]
    public void SentenceTransformersFolderConfigIsRead()
    {
        var config = SentenceModelConfig.Load(SharedData.Path("models", "tiny-bert"));
        Assert.Equal(PoolingMode.Mean, config.Pooling);
        Assert.True(config.Normalize);
        Assert.Equal(256, config.MaxLength);
        Assert.Equal("last_hidden_state", config.OutputName);
        Assert.EndsWith("model.onnx", config.ModelPath, StringComparison.Ordinal);
    }

    [Fact]
    public void PooledOutputFolderConfigIsRead()
    {
        var config = SentenceModelConfig.Load(SharedData.Path("models", "use-lite"));
        Assert.Equal(PoolingMode.ModelOutput, config.Pooling);
        Assert.False(config.Normalize);
        Assert.Equal(128, config.MaxLength);
        Assert.Equal("sentence_embedding", config.OutputName);
    }

    [Fact]
    public void FolderWithoutModelNamesWhereItLooked()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SentenceModelConfig.Load(SharedData.Path("models", "all-MiniLM-L6-v2-tokenizer")));
        Assert.Contains("model.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("all-MiniLM-L6-v2-tokenizer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PulledFolderTakesPrefixesFromTheRegistryManifest()
    {
        var folder = Path.Combine(Path.GetTempPath(), "topickit-prefix-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "model.onnx"), "not read by the config loader");
            File.WriteAllText(Path.Combine(folder, "topickit-model.json"), """{"name": "bge-small-en-v1.5", "files": []}""");
            var config = SentenceModelConfig.Load(folder);
            Assert.Equal("Represent this sentence for searching relevant passages: ", config.QueryPrefix);
            Assert.Equal(string.Empty, config.PassagePrefix);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
