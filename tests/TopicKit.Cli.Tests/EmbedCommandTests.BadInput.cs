using System.Text;
using TopicKit.Embedding;
using TopicKit.Tests.Embedding;

namespace TopicKit.Cli.Tests;

// Bad models and bad texts: a clear one-line error naming what is wrong and how to fix it, or documented behaviour.
public sealed partial class EmbedCommandTests
{
    [Fact]
    public async Task MissingModelFileIsNamed()
    {
        var folder = _kit.CopyModel("tiny-bert", "no-onnx", "model.onnx");
        var input = _kit.WriteJsonl("t.jsonl", [new { text = "a text" }]);

        var (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", folder, "--input", input, "--out", _kit.File("o.npy"));

        Assert.Equal(1, code);
        Assert.StartsWith("topickit: error: ", stderr, StringComparison.Ordinal);
        Assert.Contains("model.onnx", stderr, StringComparison.Ordinal);
        Assert.Contains(folder, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(File.Exists(_kit.File("o.npy")));
    }

    [Fact]
    public async Task ModelWhoseInputsDifferFromItsConfigGivesTheEncodersMessage()
    {
        // The USE-lite graph (no token_type_ids, a 512-d sentence output) beside BERT tokenizer and config files.
        var folder = _kit.CopyModel("tiny-bert", "mismatch", "model.onnx");
        File.Copy(Path.Combine(EmbeddingTestKit.Model("use-lite"), "model.onnx"), Path.Combine(folder, "model.onnx"));
        var expected = Assert.Throws<InvalidDataException>(() => OnnxSentenceEncoder.Load(folder)).Message;
        var input = _kit.WriteJsonl("t.jsonl", [new { text = "a text" }]);

        var (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", folder, "--input", input, "--out", _kit.File("o.npy"));

        Assert.Equal(1, code);
        Assert.Contains(expected.Split('\n')[0].Trim(), stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_kit.File("o.npy")));
    }

    [Fact]
    public async Task AlteredRegistryModelIsRejectedWithTheRepairCommands()
    {
        var modelsDir = _kit.File("models");
        var folder = _kit.InstallAsRegistryModel(modelsDir, "all-minilm-l6-v2");
        var input = _kit.WriteJsonl("t.jsonl", [new { text = "a text" }, new { text = "another text" }]);

        // Intact: the name resolves to the installed copy.
        var (code, stdout, stderr) = await CliRunner.RunAsync("encode", "--model", "all-minilm-l6-v2", "--models-dir", modelsDir, "--input", input, "--out", _kit.File("ok.npy"), "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("\"model_id\":\"all-minilm-l6-v2@sha256:", stdout, StringComparison.Ordinal);

        // Same size, one byte changed: caught by the sha256 the loader computes anyway.
        var model = Path.Combine(folder, "model.onnx");
        var bytes = File.ReadAllBytes(model);
        bytes[^3] ^= 0x5A;
        File.WriteAllBytes(model, bytes);
        (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", "all-minilm-l6-v2", "--models-dir", modelsDir, "--input", input, "--out", _kit.File("bad.npy"));
        Assert.Equal(1, code);
        Assert.Contains("model.onnx", stderr, StringComparison.Ordinal);
        Assert.Contains("topickit models verify all-minilm-l6-v2", stderr, StringComparison.Ordinal);
        Assert.Contains("topickit models pull all-minilm-l6-v2 --force", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_kit.File("bad.npy")));

        // Grown file: caught by the size check before loading; the same through `embed`.
        File.AppendAllText(model, "junk");
        var workspace = _kit.File("ws");
        await EmbeddingTestKit.IngestAsync(workspace, [EmbeddingTestKit.Doc("d1", "T", "An abstract.", 0)]);
        (code, _, stderr) = await CliRunner.RunAsync("embed", "-w", workspace, "--model", "all-minilm-l6-v2", "--models-dir", modelsDir);
        Assert.Equal(1, code);
        Assert.Contains("bytes but", stderr, StringComparison.Ordinal);
        Assert.Contains("--force", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoneSurrogateEscapeIsReportedByLine()
    {
        var input = _kit.File("t.jsonl");
        File.WriteAllText(input, "{\"text\": \"fine\"}\n{\"text\": \"broken \\ud800 here\"}\n", new UTF8Encoding(false));

        var (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", EmbeddingTestKit.Model("tiny-bert"), "--input", input, "--out", _kit.File("o.npy"));

        Assert.Equal(1, code);
        Assert.Contains("line 2", stderr, StringComparison.Ordinal);
        Assert.Contains("surrogate", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_kit.File("o.npy")));
    }

    [Fact]
    public async Task EmptyAndOneMegabyteTextsAreEncoded()
    {
        // Empty text is [CLS] [SEP]: a valid unit vector. A 1 MB text is truncated to the model's 256 tokens, so it equals
        // the encoding of its first words.
        var word = "entropy ";
        var huge = new StringBuilder(1 << 20);
        while (huge.Length < 1 << 20)
        {
            huge.Append(word);
        }

        var head = string.Concat(Enumerable.Repeat(word, 400));
        var input = _kit.WriteJsonl("t.jsonl", [new { text = "" }, new { text = huge.ToString() }, new { text = head }]);

        var (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", EmbeddingTestKit.Model("tiny-bert"), "--input", input, "--out", _kit.File("o.npy"));

        Assert.True(code == 0, stderr);
        var vectors = EmbeddingTestKit.ReadNpy(_kit.File("o.npy"));
        Assert.Equal(3, vectors.Rows);
        Assert.Equal(1.0, Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(vectors.RowReadOnly(0))), 1e-5);
        Assert.True(EmbeddingTestKit.Cosine(vectors.RowReadOnly(1), vectors.RowReadOnly(2)) >= 0.99999f);
    }

    [Fact]
    public async Task LexicalOnTextsWithNoSharedVocabularyIsAClearError()
    {
        var input = _kit.WriteJsonl("t.jsonl", [new { text = "alpha beta" }, new { text = "gamma delta" }]);
        var (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", "lexical", "--input", input, "--out", _kit.File("o.npy"));
        Assert.Equal(1, code);
        Assert.Contains("topickit: error:", stderr, StringComparison.Ordinal);
        // The library's advice names TfidfOptions.MinDocumentFrequency, which the CLI does not offer: it is dropped.
        Assert.Contains("add more texts", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("MinDocumentFrequency", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_kit.File("o.npy")));
    }

    [Fact]
    public async Task UnknownModelNameListsTheKnownOnes()
    {
        var input = _kit.WriteJsonl("t.jsonl", [new { text = "x" }]);
        var (code, _, stderr) = await CliRunner.RunAsync("encode", "--model", "no-such-model", "--models-dir", _kit.File("models"), "--input", input, "--out", _kit.File("o.npy"));
        Assert.Equal(1, code);
        Assert.Contains("all-minilm-l6-v2", stderr, StringComparison.Ordinal);
    }
}
