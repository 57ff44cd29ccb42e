using System.Text.Json;
using TopicKit.Cli.Commands;
using static TopicKit.Cli.Tests.CliRunner;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit run</c> end to end, and <c>topickit assign</c> on the model it saves.</summary>
public sealed class RunCommandTests
{
    private static readonly string[] ReportFiles = ["index.html", "topic-map.svg", "topic-map.png", "topics.csv", "documents.csv", "duplicates.csv"];

    [Fact]
    public async Task RunOnTheSampleWritesAConsistentReportAndAModelThatAssignReads()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var output = folder.Combine("out");

        var run = await RunAsync("run", SampleCorpus, "--workspace", ws, "--out", output, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        var count = File.ReadLines(SampleCorpus).Count(l => l.Trim().Length > 0);
        Assert.Equal(count, root.GetProperty("documents").GetInt32());
        Assert.Equal(count, root.GetProperty("ingest").GetProperty("added").GetInt32());
        Assert.True(root.GetProperty("topics").GetInt32() >= 2);
        Assert.True(root.GetProperty("duplicate_groups").GetInt32() >= 1, "the sample holds an exact and four near-duplicates");
        Assert.True(root.GetProperty("outliers_after").GetInt32() <= root.GetProperty("outliers_before").GetInt32());
        foreach (var file in ReportFiles)
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }

        var (topicOf, sizes) = CheckCsvs(output, count);
        Assert.Equal(root.GetProperty("topics").GetInt32(), sizes.Count);

        var assign = await RunAsync("assign", SampleCorpus, "--model-dir", Path.Combine(output, "model"), "--json");
        Assert.True(assign.ExitCode == 0, assign.Stderr);
        using var assigned = JsonDocument.Parse(assign.Stdout);
        var rows = assigned.RootElement.EnumerateArray().ToArray();
        Assert.Equal(count, rows.Length);
        var agree = rows.Count(r => topicOf[r.GetProperty("id").GetString()!] == r.GetProperty("topic").GetInt32());
        Assert.True(agree >= 0.95 * count, $"assign gives {agree} of {count} documents their fitted topic");
        Assert.All(rows, r => Assert.InRange(r.GetProperty("probability").GetDouble(), 0, 1));
    }

    [Fact]
    public async Task RunOnTheSeedPagesFindsTopicsAndReusesTheWorkspace()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var seeds = Directory.GetFiles(SharedData.Path("seeds"), "*.txt").Order().ToArray();

        var first = await RunAsync([.. new[] { "run" }.Concat(seeds), "--workspace", ws, "--out", folder.Combine("a"), "--json"]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        using var a = JsonDocument.Parse(first.Stdout);
        Assert.Equal(140, a.RootElement.GetProperty("documents").GetInt32());
        Assert.True(a.RootElement.GetProperty("topics").GetInt32() >= 2);
        CheckCsvs(folder.Combine("a"), 140);

        // No files: the workspace as it is, with its stored vectors (nothing is ingested or embedded again).
        var again = await RunAsync("run", "--workspace", ws, "--out", folder.Combine("b"), "--algorithm", "kmeans", "--k", "5", "--json");
        Assert.True(again.ExitCode == 0, again.Stderr);
        using var b = JsonDocument.Parse(again.Stdout);
        Assert.Equal(JsonValueKind.Null, b.RootElement.GetProperty("ingest").ValueKind);
        Assert.False(b.RootElement.GetProperty("seconds").TryGetProperty("ingest", out _));
        Assert.Equal(5, b.RootElement.GetProperty("topics").GetInt32());
        CheckCsvs(folder.Combine("b"), 140);
    }

    [Fact]
    public async Task WithoutFilesAnEmptyWorkspaceRunsOnTheBundledSample()
    {
        using var folder = new TempFolder();
        var run = await RunAsync("run", "--workspace", folder.Combine("ws"), "--out", folder.Combine("out"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("bundled sample", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("index.html", run.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(folder.Combine("out/index.html")));
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");

        CliConventions.AssertUsageError(await RunAsync("run", SampleCorpus, "-w", ws, "--wait", "-1"), "topickit run", "--wait must be a number from 0 to 86400");
        CliConventions.AssertUsageError(await RunAsync("run", SampleCorpus, "-w", ws, "--k", "4"), "topickit run", "--k is a k-means option");
        CliConventions.AssertUsageError(await RunAsync("run", SampleCorpus, "-w", ws, "--algorithm", "kmeans", "--min-cluster-size", "5"), "topickit run", "HDBSCAN options");
        Assert.False(Directory.Exists(ws), "a usage error writes nothing");
        var missing = await RunAsync("run", folder.Combine("none.jsonl"), "-w", ws);
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.All(missing.ErrorLines, l => Assert.StartsWith("topickit: error: ", l, StringComparison.Ordinal));

        var noModel = await RunAsync("assign", SampleCorpus, "--model-dir", folder.Combine("nope"));
        Assert.Equal(ExitCodes.BadInput, noModel.ExitCode);
        Assert.StartsWith("topickit: error: the model folder", Assert.Single(noModel.ErrorLines), StringComparison.Ordinal);
        CliConventions.AssertUsageError(await RunAsync("assign", SampleCorpus), "topickit assign", "--model-dir");
    }

    /// <summary>documents.csv has one row per document with a topic of topics.csv or -1, and the sizes add up.</summary>
    private static (Dictionary<string, int> TopicOf, Dictionary<int, int> Sizes) CheckCsvs(string output, int documents)
    {
        var lines = File.ReadAllLines(Path.Combine(output, "documents.csv"));
        Assert.Equal("id,title,topic,probability,outlier_score,x,y", lines[0]);
        var topicOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var fields = Csv(line);
            topicOf[fields[0]] = int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(documents, topicOf.Count);
        var topics = File.ReadAllLines(Path.Combine(output, "topics.csv")).Skip(1).Select(Csv).ToArray();
        var sizes = topics.Where(t => t[0] != "-1").ToDictionary(
            t => int.Parse(t[0], System.Globalization.CultureInfo.InvariantCulture), t => int.Parse(t[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(topicOf.Values, t => Assert.True(t == -1 || sizes.ContainsKey(t), $"topic {t} is not in topics.csv"));
        foreach (var (topic, size) in sizes)
        {
            Assert.Equal(size, topicOf.Values.Count(t => t == topic));
        }

        Assert.Equal(documents, sizes.Values.Sum() + topicOf.Values.Count(t => t == -1));
        return (topicOf, sizes);
    }

    private static string[] Csv(string line) => CsvLine.Split(line);
}
