using System.Text.Json;
using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>The 2,000 arXiv texts with their archive labels, and the BERTopic c-TF-IDF oracle made from them.</summary>
internal static class TopicsTestData
{
    private static readonly Lazy<ArxivArchives> Archives = new(LoadArchives);
    private static readonly Lazy<JsonDocument> OracleDocument = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(SharedData.Path("oracles", "topics", "ctfidf-arxiv-2000-archives.json"))));

    public static ArxivArchives Arxiv => Archives.Value;

    public static JsonElement Oracle => OracleDocument.Value.RootElement;

    public static string TextsPath => SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl");

    public static string LabelsPath => SharedData.Path("oracles", "topics", "arxiv-2000-archive-labels.csv");

    /// <summary>The oracle's stop list (scikit-learn's English list).</summary>
    public static StopWordList OracleStopWords =>
        StopWordList.FromWords(Oracle.GetProperty("stop_words").EnumerateArray().Select(e => e.GetString()!), "sklearn-english");

    private static ArxivArchives LoadArchives()
    {
        var ids = new List<string>();
        var texts = new List<string>();
        foreach (var line in File.ReadLines(TextsPath))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            ids.Add(doc.RootElement.GetProperty("id").GetString()!);
            texts.Add(doc.RootElement.GetProperty("text").GetString()!);
        }

        var labelOf = File.ReadLines(LabelsPath).Skip(1).Select(l => l.Split(',')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var names = labelOf.Values.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var labels = ids.Select(id => index[labelOf[id]]).ToArray();
        return new ArxivArchives(ids, texts, labels, names);
    }
}

/// <summary>The arXiv set: label i is archive <see cref="Names"/>[i] (ordinal order).</summary>
internal sealed record ArxivArchives(IReadOnlyList<string> Ids, IReadOnlyList<string> Texts, IReadOnlyList<int> Labels, IReadOnlyList<string> Names)
{
    public TopicDocuments Documents => new(Texts, Labels) { Ids = Ids };
}
