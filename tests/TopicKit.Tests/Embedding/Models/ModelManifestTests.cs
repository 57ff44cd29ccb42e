using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TopicKit.Embedding;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Embedding.Models;

public sealed partial class ModelManifestTests
{
    private static readonly string ModelsFolder = Path.Combine(SharedData.RepoRoot, "models");

    // From the issue: the ONNX files every manifest must pin (repo, remote path, bytes, sha256).
    public static TheoryData<string, string, string, long, string> OnnxTable => new()
    {
        { "all-minilm-l6-v2", "Xenova/all-MiniLM-L6-v2", "onnx/model.onnx", 90387606, "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e" },
        { "all-minilm-l6-v2-int8", "Xenova/all-MiniLM-L6-v2", "onnx/model_quantized.onnx", 22972370, "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1" },
        { "gte-small-int8", "Xenova/gte-small", "onnx/model_quantized.onnx", 34014427, "34440558460f3d0d05fda102ade2d2a0672d112dd8c05b540c8fc3bc2051db90" },
        { "bge-small-en-v1.5", "BAAI/bge-small-en-v1.5", "onnx/model.onnx", 133093490, "828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35" },
    };

    [GeneratedRegex("^https://huggingface\\.co/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+/resolve/main/[A-Za-z0-9._/-]+$")]
    private static partial Regex HuggingFaceUrl();

    [Fact]
    public void EveryManifestFileParsesAndTheEmbeddedCopiesAreTheSame()
    {
        var fromFiles = ModelRegistry.LoadDirectory(ModelsFolder);
        Assert.Equal(["all-minilm-l6-v2", "all-minilm-l6-v2-int8", "bge-small-en-v1.5", "gte-small-int8"], fromFiles.Names);
        Assert.Equal(fromFiles.Names, ModelRegistry.Default.Names);
        foreach (var m in fromFiles.Models)
        {
            var e = ModelRegistry.Default.Get(m.Name);
            Assert.Equal(m with { Files = [] }, e with { Files = [] });
            Assert.Equal(m.Files, e.Files);
        }
    }

    [Fact]
    public void EveryFileHasAHuggingFaceHttpsUrlAndOnnxGraphsArePinned()
    {
        foreach (var m in ModelRegistry.Default.Models)
        {
            Assert.Contains(m.Files, f => f.Path == "model.onnx");
            foreach (var f in m.Files)
            {
                Assert.Equal("https", f.Url.Scheme);
                Assert.Matches(HuggingFaceUrl(), f.Url.ToString());
                Assert.EndsWith("/" + f.Path.Split('/')[^1], f.Url.AbsolutePath.Replace("model_quantized", "model", StringComparison.Ordinal), StringComparison.Ordinal);
                if (f.Path.EndsWith(".onnx", StringComparison.Ordinal))
                {
                    Assert.True(f.IsPinned, $"{m.Name}/{f.Path} must be pinned");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(OnnxTable))]
    public void OnnxFilesCarryTheSizesAndHashesOfTheTable(string name, string repo, string remote, long size, string sha)
    {
        var onnx = ModelRegistry.Default.Get(name).Files.Single(f => f.Path == "model.onnx");
        Assert.Equal($"https://huggingface.co/{repo}/resolve/main/{remote}", onnx.Url.ToString());
        Assert.Equal(size, onnx.Size);
        Assert.Equal(sha, onnx.Sha256);
    }

    [Theory]
    [InlineData("all-minilm-l6-v2")]
    [InlineData("all-minilm-l6-v2-int8")]
    public void MiniLmTokenizerFilesArePinnedToTheUpstreamCopies(string name)
    {
        var files = ModelRegistry.Default.Get(name).Files.ToDictionary(f => f.Path);
        var vocab = files["vocab.txt"];
        Assert.Equal(231508, vocab.Size);
        Assert.Equal("07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3", vocab.Sha256);
        var local = new Dictionary<string, string>
        {
            ["vocab.txt"] = "vocab.txt",
            ["tokenizer.json"] = "tokenizer.json",
            ["tokenizer_config.json"] = "tokenizer_config.json",
            ["special_tokens_map.json"] = "special_tokens_map.json",
            ["config.json"] = "config.json",
            ["modules.json"] = "modules.json",
            ["sentence_bert_config.json"] = "sentence_bert_config.json",
            ["1_Pooling/config.json"] = "pooling_config.json",
        };
        foreach (var (path, localName) in local)
        {
            var bytes = File.ReadAllBytes(SharedData.Path("models", "all-MiniLM-L6-v2-tokenizer", localName));
            Assert.Equal(bytes.Length, files[path].Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), files[path].Sha256);
            Assert.StartsWith("https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/", files[path].Url.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EncoderContractsMatchTheUpstreamModels()
    {
        var r = ModelRegistry.Default;
        foreach (var m in r.Models)
        {
            Assert.Equal(384, m.Dimension);
            Assert.True(m.Normalize);
            Assert.Equal(string.Empty, m.PassagePrefix);
        }

        Assert.Equal((ModelPooling.Mean, 256, "apache-2.0"), (r.Get("all-minilm-l6-v2").Pooling, r.Get("all-minilm-l6-v2").MaxLength, r.Get("all-minilm-l6-v2").License));
        Assert.Equal((ModelPooling.Mean, 256, "apache-2.0"), (r.Get("all-minilm-l6-v2-int8").Pooling, r.Get("all-minilm-l6-v2-int8").MaxLength, r.Get("all-minilm-l6-v2-int8").License));
        Assert.Equal((ModelPooling.Mean, 512, "mit"), (r.Get("gte-small-int8").Pooling, r.Get("gte-small-int8").MaxLength, r.Get("gte-small-int8").License));
        var bge = r.Get("BGE-small-en-v1.5");
        Assert.Equal((ModelPooling.Cls, 512, "mit"), (bge.Pooling, bge.MaxLength, bge.License));
        Assert.Equal("Represent this sentence for searching relevant passages: ", bge.QueryPrefix);
        Assert.Equal(string.Empty, r.Get("gte-small-int8").QueryPrefix);
    }

    [Fact]
    public void GeneratedSentenceTransformersFilesEqualTheUpstreamOnesForMiniLm()
    {
        // Drop the downloaded metadata so the generator has to write it from the manifest alone.
        var m = ModelRegistry.Default.Get("all-minilm-l6-v2");
        var bare = m with { Files = [.. m.Files.Where(f => f.Path is "model.onnx" or "vocab.txt")] };
        var generated = SentenceTransformersLayout.Build(bare).ToDictionary(g => g.Path, g => JsonNode.Parse(g.Content));
        var upstream = SharedData.Path("models", "all-MiniLM-L6-v2-tokenizer");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Path.Combine(upstream, "modules.json"))), generated["modules.json"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Path.Combine(upstream, "pooling_config.json"))), generated["1_Pooling/config.json"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Path.Combine(upstream, "sentence_bert_config.json"))), generated["sentence_bert_config.json"]));
        Assert.Empty(SentenceTransformersLayout.Build(m));
        var cls = JsonNode.Parse(SentenceTransformersLayout.PoolingConfig(ModelRegistry.Default.Get("bge-small-en-v1.5")))!;
        Assert.True(cls["pooling_mode_cls_token"]!.GetValue<bool>());
        Assert.False(cls["pooling_mode_mean_tokens"]!.GetValue<bool>());
    }

    public static TheoryData<string, string> BrokenManifests => new()
    {
        { Valid.Replace("https://huggingface.co/a/b/resolve/main/onnx/model.onnx", "http://huggingface.co/a/b/resolve/main/onnx/model.onnx", StringComparison.Ordinal), "absolute https URL" },
        { Valid.Replace("\"size\": 10, \"sha256\": \"" + Zeros + "\"", "\"size\": null, \"sha256\": null", StringComparison.Ordinal), "must pin its size and sha256" },
        { Valid.Replace(Zeros, "ABC", StringComparison.Ordinal), "64 lower-case hex" },
        { Valid.Replace("\"path\": \"model.onnx\"", "\"path\": \"other.onnx\"", StringComparison.Ordinal), "\"model.onnx\"" },
        { Valid.Replace("\"path\": \"vocab.txt\"", "\"path\": \"../vocab.txt\"", StringComparison.Ordinal), "no '..' segments" },
        { Valid.Replace("\"mean\"", "\"max\"", StringComparison.Ordinal), "'pooling'" },
        { Valid.Replace("\"dimension\": 384", "\"dimension\": 0", StringComparison.Ordinal), "'dimension'" },
        { Valid.Replace("\"size\": null, \"sha256\": null", "\"size\": 5, \"sha256\": null", StringComparison.Ordinal), "both size and sha256" },
        { Valid.Replace("\"name\": \"ok\"", "\"name\": \"Bad Name\"", StringComparison.Ordinal), "'name'" },
        { "{ \"name\": ", "not valid JSON" },
    };

    private const string Zeros = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string Valid = """
        {
          "name": "ok", "description": "d", "license": "mit", "dimension": 384, "pooling": "mean", "normalize": true, "maxLength": 256,
          "files": [
            { "path": "model.onnx", "url": "https://huggingface.co/a/b/resolve/main/onnx/model.onnx", "size": 10, "sha256": "0000000000000000000000000000000000000000000000000000000000000000" },
            { "path": "vocab.txt", "url": "https://huggingface.co/a/b/resolve/main/vocab.txt", "size": null, "sha256": null }
          ]
        }
        """;

    [Fact]
    public void TheValidTemplateParses()
    {
        var m = ModelManifestReader.Parse(Valid, "ok.json");
        Assert.Equal("ok", m.Name);
        Assert.Equal(10, m.KnownBytes);
        Assert.False(m.Files[1].IsPinned);
    }

    [Theory]
    [MemberData(nameof(BrokenManifests))]
    public void BrokenManifestsAreRejectedNamingTheProblem(string json, string expectedFragment)
    {
        var ex = Assert.Throws<InvalidDataException>(() => ModelManifestReader.Parse(json, "broken.json"));
        Assert.Contains("broken.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedFragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestNameMustMatchItsFileName()
    {
        using var temp = new TempFolder("topickit-models-");
        var path = Path.Combine(temp.Path, "different.json");
        File.WriteAllText(path, Valid);
        var ex = Assert.Throws<InvalidDataException>(() => ModelRegistry.LoadManifestFile(path));
        Assert.Contains("different.json", ex.Message, StringComparison.Ordinal);
    }
}
