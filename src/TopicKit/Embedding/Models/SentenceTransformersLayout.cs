using System.Text;
using System.Text.Json.Nodes;

namespace TopicKit.Embedding;

/// <summary>
/// Writes the sentence-transformers metadata files (modules.json, sentence_bert_config.json, 1_Pooling/config.json)
/// from a manifest when the upstream repository does not ship them, so every pulled model has the same layout.
/// </summary>
internal static class SentenceTransformersLayout
{
    public const string ModulesFile = "modules.json";
    public const string SentenceBertConfigFile = "sentence_bert_config.json";
    public const string PoolingConfigFile = "1_Pooling/config.json";

    /// <summary>The generated files for a manifest, keyed by relative path, excluding any the manifest downloads.</summary>
    public static IReadOnlyList<(string Path, string Content)> Build(ModelManifest manifest)
    {
        var downloaded = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var files = new List<(string, string)>();
        if (!downloaded.Contains(ModulesFile))
        {
            files.Add((ModulesFile, Modules(manifest)));
        }

        if (!downloaded.Contains(SentenceBertConfigFile))
        {
            var cfg = new JsonObject { ["max_seq_length"] = manifest.MaxLength, ["do_lower_case"] = false };
            files.Add((SentenceBertConfigFile, Serialize(cfg)));
        }

        if (!downloaded.Contains(PoolingConfigFile))
        {
            files.Add((PoolingConfigFile, PoolingConfig(manifest)));
        }

        return files;
    }

    public static string Modules(ModelManifest manifest)
    {
        var modules = new JsonArray
        {
            Module(0, string.Empty, "sentence_transformers.models.Transformer"),
            Module(1, "1_Pooling", "sentence_transformers.models.Pooling"),
        };
        if (manifest.Normalize)
        {
            modules.Add(Module(2, "2_Normalize", "sentence_transformers.models.Normalize"));
        }

        return Serialize(modules);
    }

    public static string PoolingConfig(ModelManifest manifest) => Serialize(new JsonObject
    {
        ["word_embedding_dimension"] = manifest.Dimension,
        ["pooling_mode_cls_token"] = manifest.Pooling == ModelPooling.Cls,
        ["pooling_mode_mean_tokens"] = manifest.Pooling == ModelPooling.Mean,
        ["pooling_mode_max_tokens"] = false,
        ["pooling_mode_mean_sqrt_len_tokens"] = false,
    });

    /// <summary>Writes the generated files under <paramref name="directory"/> and returns what was written.</summary>
    public static List<InstalledModelFile> Write(ModelManifest manifest, string directory)
    {
        var written = new List<InstalledModelFile>();
        foreach (var (path, content) in Build(manifest))
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var bytes = Encoding.UTF8.GetBytes(content);
            File.WriteAllBytes(full, bytes);
            written.Add(new InstalledModelFile(path, bytes.Length, ModelFileHash.ToHex(System.Security.Cryptography.SHA256.HashData(bytes)), Generated: true));
        }

        return written;
    }

    private static JsonObject Module(int idx, string path, string type) =>
        new() { ["idx"] = idx, ["name"] = idx.ToString(System.Globalization.CultureInfo.InvariantCulture), ["path"] = path, ["type"] = type };

    private static string Serialize(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
}
