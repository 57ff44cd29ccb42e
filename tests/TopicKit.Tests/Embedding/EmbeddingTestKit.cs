using System.Security.Cryptography;
using System.Text.Json;
using TopicKit.Corpus;
using TopicKit.Numerics;

namespace TopicKit.Tests.Embedding;

/// <summary>A scratch folder plus helpers to build model folders, texts and workspaces for the embedding tests.</summary>
internal sealed class EmbeddingTestKit : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("topickit-embedcli-").FullName;

    public string File(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A native library may still map a model file for a moment; the temp folder is cleaned by the OS eventually.
        }
    }

    public static string Model(string name) => SharedData.Path("models", name);

    /// <summary>The oracle texts in file order, as (id, text).</summary>
    public static List<(string Id, string Text)> OracleTexts() =>
        [.. System.IO.File.ReadLines(SharedData.Path("oracles", "embedding", "texts.jsonl")).Select(line =>
        {
            using var d = JsonDocument.Parse(line);
            return (d.RootElement.GetProperty("id").GetString()!, d.RootElement.GetProperty("text").GetString()!);
        })];

    /// <summary>Oracle embeddings by id from <paramref name="file"/>.</summary>
    public static Dictionary<string, float[]> OracleEmbeddings(string file) =>
        System.IO.File.ReadLines(SharedData.Path("oracles", "embedding", file)).Select(line =>
        {
            using var d = JsonDocument.Parse(line);
            var e = d.RootElement.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            return (Id: d.RootElement.GetProperty("id").GetString()!, Embedding: e);
        }).ToDictionary(p => p.Id, p => p.Embedding);

    public string WriteJsonl(string name, IEnumerable<object> rows)
    {
        var path = File(name);
        System.IO.File.WriteAllLines(path, rows.Select(r => JsonSerializer.Serialize(r)));
        return path;
    }

    /// <summary>Copies the named files of a shared model folder into a new folder under the scratch root.</summary>
    public string CopyModel(string source, string target, params string[] skip)
    {
        var from = Model(source);
        var to = File(target);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (skip.Contains(relative))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            System.IO.File.Copy(file, Path.Combine(to, relative));
        }

        return to;
    }

    /// <summary>
    /// "Installs" the tiny-bert files as registry model <paramref name="name"/> in a models folder: the files plus the install
    /// record a pull writes last (path, size and sha256 of each file as installed).
    /// </summary>
    public string InstallAsRegistryModel(string modelsDir, string name)
    {
        var folder = CopyModel("tiny-bert", Path.Combine(Path.GetRelativePath(Root, modelsDir), name));
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => new
        {
            path = Path.GetRelativePath(folder, f).Replace('\\', '/'),
            size = new FileInfo(f).Length,
            sha256 = Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(f))),
            generated = false,
        }).ToList();
        System.IO.File.WriteAllText(Path.Combine(folder, "topickit-model.json"), JsonSerializer.Serialize(new { name, installedUtc = DateTimeOffset.UtcNow, files }));
        return folder;
    }

    public static Document Doc(string id, string? title, string abstractText, int position) =>
        new(id, title, abstractText, ["A. Author"], null, ["cs.LG"], "test.jsonl", position);

    /// <summary>Creates (or extends) the workspace at <paramref name="directory"/> with <paramref name="documents"/>.</summary>
    public static async Task IngestAsync(string directory, IEnumerable<Document> documents)
    {
        using var workspace = TopicKit.Storage.Workspace.Open(directory);
        await workspace.IngestAsync(Storage.WorkspaceTestKit.Stream(documents));
    }

    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    public static Matrix ReadNpy(string path) => NpyFile.Read(path);
}
