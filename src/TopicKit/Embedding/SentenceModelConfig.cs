using System.Text.Json;

namespace TopicKit.Embedding;

/// <summary>
/// What a model folder says about how to run it: which ONNX file, how to pool, whether to normalise,
/// the maximum sequence length and optional prefixes. Read from the sentence-transformers layout
/// (<c>modules.json</c>, <c>1_Pooling/config.json</c>, <c>sentence_bert_config.json</c>) or from a
/// <c>config.json</c> that declares a pooled <c>sentence_embedding</c> output (e.g. Universal Sentence Encoder Lite).
/// </summary>
/// <param name="Folder">The model folder (absolute).</param>
/// <param name="ModelPath">The ONNX file to load.</param>
/// <param name="Pooling">How token vectors are pooled.</param>
/// <param name="Normalize">Whether output vectors are scaled to unit length by us.</param>
/// <param name="MaxLength">Longest sequence fed to the model, special tokens included.</param>
/// <param name="OutputName">Preferred output tensor (<c>last_hidden_state</c> or <c>sentence_embedding</c>).</param>
/// <param name="QueryPrefix">Text put before queries (e.g. BGE's instruction); empty when none.</param>
/// <param name="PassagePrefix">Text put before documents; empty when none.</param>
public sealed record SentenceModelConfig(
    string Folder,
    string ModelPath,
    PoolingMode Pooling,
    bool Normalize,
    int MaxLength,
    string OutputName,
    string QueryPrefix,
    string PassagePrefix)
{
    /// <summary>Reads the configuration of the model in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">When the folder has no ONNX model; the message lists where it looked.</exception>
    /// <exception cref="InvalidDataException">When a configuration file is not valid JSON.</exception>
    public static SentenceModelConfig Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Model folder '{folder}' does not exist; pass a folder holding model.onnx and its tokenizer files, or a model name from `topickit models list`.");
        }

        var modelPath = FindModelFile(folder);
        var config = ReadJson(folder, "config.json");
        var pooling = PoolingMode.Mean;
        var normalize = true;
        var output = "last_hidden_state";
        int? maxLength = null;

        if (config is { } c && c.TryGetProperty("onnx", out var onnx) && onnx.TryGetProperty("output", out var outputs)
            && outputs.ValueKind == JsonValueKind.Object && outputs.TryGetProperty("sentence_embedding", out _))
        {
            pooling = PoolingMode.ModelOutput;
            output = "sentence_embedding";
            normalize = !(c.TryGetProperty("output_l2_normalized", out var n) && n.ValueKind == JsonValueKind.True);
            if (c.TryGetProperty("max_sequence_length", out var m) && m.TryGetInt32(out var ml))
            {
                maxLength = ml;
            }
        }
        else
        {
            var modules = ReadJson(folder, "modules.json");
            var poolingDir = "1_Pooling";
            if (modules is { ValueKind: JsonValueKind.Array } list)
            {
                normalize = false;
                foreach (var module in list.EnumerateArray())
                {
                    var type = module.TryGetProperty("type", out var t) ? t.GetString() ?? string.Empty : string.Empty;
                    if (type.EndsWith(".Normalize", StringComparison.Ordinal))
                    {
                        normalize = true;
                    }
                    else if (type.EndsWith(".Pooling", StringComparison.Ordinal) && module.TryGetProperty("path", out var p))
                    {
                        poolingDir = p.GetString() ?? poolingDir;
                    }
                }
            }

            var poolingConfig = ReadJson(Path.Combine(folder, poolingDir), "config.json") ?? ReadJson(folder, "pooling_config.json");
            if (poolingConfig is { } pc)
            {
                pooling = IsTrue(pc, "pooling_mode_cls_token") ? PoolingMode.Cls
                    : IsTrue(pc, "pooling_mode_max_tokens") ? PoolingMode.Max
                    : PoolingMode.Mean;
            }

            if (ReadJson(folder, "sentence_bert_config.json") is { } sb && sb.TryGetProperty("max_seq_length", out var msl) && msl.TryGetInt32(out var v))
            {
                maxLength = v;
            }
            else if (ReadJson(folder, "tokenizer_config.json") is { } tc && tc.TryGetProperty("model_max_length", out var mml)
                && mml.TryGetDouble(out var d) && d is > 0 and < 100_000)
            {
                maxLength = (int)d;
            }
            else if (config is { } cc && cc.TryGetProperty("max_position_embeddings", out var mpe) && mpe.TryGetInt32(out var mp))
            {
                maxLength = mp;
            }
        }

        var query = string.Empty;
        var passage = string.Empty;
        // A folder installed by `topickit models pull` records its registry name; the registry manifest
        // carries the prefixes (e.g. BGE's query instruction) that upstream folders do not.
        if (ReadJson(folder, ModelStore.InstallRecordFileName) is { } record
            && record.TryGetProperty("name", out var name) && name.GetString() is { } registryName
            && ModelRegistry.Default.TryGet(registryName, out var manifest))
        {
            query = manifest.QueryPrefix;
            passage = manifest.PassagePrefix;
        }

        return new SentenceModelConfig(folder, modelPath, pooling, normalize, maxLength ?? 512, output, query, passage);
    }

    /// <summary>SHA-256 of the ONNX file, lower-case hex.</summary>
    public string ComputeModelSha256() => ModelFileHash.Compute(ModelPath);

    private static string FindModelFile(string folder)
    {
        string[] candidates = ["model.onnx", Path.Combine("onnx", "model.onnx"), Path.Combine("onnx", "model_quantized.onnx"), "model_quantized.onnx"];
        foreach (var candidate in candidates)
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(
            $"Model folder '{folder}' has no ONNX model (looked for {string.Join(", ", candidates)}); run `topickit models pull NAME` or point --model at a folder with model.onnx.");
    }

    private static bool IsTrue(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static JsonElement? ReadJson(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}); restore the file from the model's source.", e);
        }
    }
}
