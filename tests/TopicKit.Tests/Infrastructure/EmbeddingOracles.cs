using System.Text.Json;

namespace TopicKit.Tests.Infrastructure;

/// <summary>Reads the JSONL oracle files in <c>shared/oracles/embedding</c> (one JSON object per line).</summary>
internal static class EmbeddingOracles
{
    /// <summary>Every non-empty line of <paramref name="file"/>, parsed.</summary>
    public static List<JsonElement> Rows(string file) =>
        [.. File.ReadLines(SharedData.Path("oracles", "embedding", file))
            .Where(l => l.Length > 0)
            .Select(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.Clone();
            })];

    /// <summary>The (id, text) rows of <c>texts.jsonl</c>, in file order.</summary>
    public static List<(string Id, string Text)> Texts() =>
        [.. Rows("texts.jsonl").Select(r => (Id(r), r.GetProperty("text").GetString()!))];

    /// <summary>id to <c>embedding</c> of an oracle file.</summary>
    public static Dictionary<string, float[]> Embeddings(string file) =>
        Rows(file).ToDictionary(Id, r => r.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray(), StringComparer.Ordinal);

    /// <summary>The <c>id</c> field of a row.</summary>
    public static string Id(JsonElement row) => row.GetProperty("id").GetString()!;
}
