using TopicKit.Cli.Commands;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Numerics;

using TopicKit.Tests.Embedding;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit encode</c> end to end through the command tree: the script contract of the embedding issue.</summary>
public sealed class EncodeCommandTests : IDisposable
{
    private readonly EmbeddingTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Theory]
    [InlineData("tiny-bert", "tiny-bert-embeddings.jsonl", 32)]
    [InlineData("use-lite", "use-lite-embeddings.jsonl", 512)]
    public async Task EncodesEveryOracleTextInInputOrderToTheOracleVectors(string model, string oracleFile, int dimension)
    {
        var texts = EmbeddingTestKit.OracleTexts();
        var input = _kit.WriteJsonl("texts.jsonl", texts.Select(t => new { id = t.Id, text = t.Text }));
        var output = _kit.File("vectors.npy");

        var (code, stdout, stderr) = await CliRunner.RunAsync("encode", "--model", EmbeddingTestKit.Model(model), "--input", input, "--out", output);

        Assert.True(code == 0, stderr);
        Assert.Contains("Encoded 152 texts", stdout, StringComparison.Ordinal);
        var vectors = EmbeddingTestKit.ReadNpy(output);
        Assert.Equal((texts.Count, dimension), (vectors.Rows, vectors.Columns));
        var oracle = EmbeddingTestKit.OracleEmbeddings(oracleFile);
        for (var i = 0; i < texts.Count; i++)
        {
            var cosine = EmbeddingTestKit.Cosine(vectors.RowReadOnly(i), oracle[texts[i].Id]);
            Assert.True(cosine >= 0.9999f, $"{model}: row {i} ({texts[i].Id}) cosine {cosine}");
        }

        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task JsonSummaryReportsShapeAndTheModelIdWithTheModelFileHash()
    {
        var texts = EmbeddingTestKit.OracleTexts().Take(10).ToList();
        var input = _kit.WriteJsonl("texts.jsonl", texts.Select(t => new { abstract_text = t.Text }));
        var output = _kit.File("v.npy");

        var (code, stdout, stderr) = await CliRunner.RunAsync("encode", "--model", EmbeddingTestKit.Model("tiny-bert"), "--input", input, "--field", "abstract_text", "--out", output, "--json");

        Assert.True(code == 0, stderr);
        using var summary = JsonDocument.Parse(stdout);
        var root = summary.RootElement;
        Assert.Equal(10, root.GetProperty("rows").GetInt32());
        Assert.Equal(32, root.GetProperty("dim").GetInt32());
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(EmbeddingTestKit.Model("tiny-bert"), "model.onnx"))));
        Assert.StartsWith("tiny-bert@sha256:" + sha, root.GetProperty("model_id").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        Assert.True(root.GetProperty("texts_per_second").GetDouble() > 0);
        Assert.Equal(10, EmbeddingTestKit.ReadNpy(output).Rows);
    }

    [Fact]
    public async Task LexicalFitsOnTheInputTextsThemselves()
    {
        var texts = File.ReadLines(SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl")).Take(300)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
        var input = _kit.WriteJsonl("texts.jsonl", texts.Select(t => new { text = t }));

        var (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", "lexical", "--input", input, "--out", _kit.File("d.npy"));
        Assert.True(code == 0, stderr);
        var vectors = EmbeddingTestKit.ReadNpy(_kit.File("d.npy"));
        Assert.Equal((300, 256), (vectors.Rows, vectors.Columns));
        Assert.Equal(LexicalEncoder.Fit(texts).Encode(texts).Data, vectors.Data);

        var few = texts.Take(60).Append(string.Empty).ToList();
        var smallInput = _kit.WriteJsonl("few.jsonl", few.Select(t => new { text = t }));
        (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", "lexical", "--dim", "16", "--input", smallInput, "--out", _kit.File("s.npy"));
        Assert.True(code == 0, stderr);
        var small = EmbeddingTestKit.ReadNpy(_kit.File("s.npy"));
        Assert.Equal((61, 16), (small.Rows, small.Columns));
        Assert.Equal(LexicalEncoder.Fit(few, new LexicalEncoderOptions(16)).Encode(few).Data, small.Data);
        Assert.All(small.RowReadOnly(60).ToArray(), v => Assert.Equal(0f, v)); // documented: an empty text is the zero vector
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        var input = _kit.WriteJsonl("t.jsonl", [new { text = "alpha beta" }, new { text = "alpha gamma" }]);

        CliConventions.AssertUsageError(await CliRunner.RunAsync("encode", "--input", input, "--out", _kit.File("o.npy")), "topickit encode", "--model");
        CliConventions.AssertUsageError(
            await CliRunner.RunAsync("encode", "--model", "lexical", "--input", input, "--out", _kit.File("o.npy"), "--dim", "0"), "topickit encode", "--dim must be a whole number >= 1");
        CliConventions.AssertError(
            await CliRunner.RunAsync("encode", "--model", "lexical", "--input", _kit.File("none.jsonl"), "--out", _kit.File("o.npy")), ExitCodes.BadInput, "none.jsonl");
        Assert.False(File.Exists(_kit.File("o.npy")));
    }
}
