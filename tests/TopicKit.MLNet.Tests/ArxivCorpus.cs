using System.Text.Json;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.MLNet.Tests;

/// <summary>One arXiv paper: "title. abstract" and its primary category's archive.</summary>
public sealed class ArxivPaper
{
    public string Id { get; set; } = string.Empty;

    public string Text { get; set; } = string.Empty;

    public string Archive { get; set; } = string.Empty;
}

/// <summary>The 2,000 arXiv texts joined with the 18-archive oracle labels, read once per test run.</summary>
internal static class ArxivCorpus
{
    private static readonly Lazy<IReadOnlyList<ArxivPaper>> PapersLazy = new(Read);

    public static IReadOnlyList<ArxivPaper> Papers => PapersLazy.Value;

    private static List<ArxivPaper> Read()
    {
        var labels = File.ReadLines(SharedData.Path("oracles", "topics", "arxiv-2000-archive-labels.csv"))
            .Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        var papers = new List<ArxivPaper>();
        foreach (var line in File.ReadLines(SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var id = json.RootElement.GetProperty("id").GetString()!;
            papers.Add(new ArxivPaper { Id = id, Text = json.RootElement.GetProperty("text").GetString()!, Archive = labels[id] });
        }

        return papers;
    }
}
