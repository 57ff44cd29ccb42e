using System.Globalization;
using System.Text.Json;
using TopicKit.Storage;
using static TopicKit.Cli.Tests.CliRunner;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit report</c>: the report of a stored <c>run</c>, <c>topics</c> or <c>cluster</c> run, its JSON, and its failures.</summary>
public sealed class ReportCommandTests
{
    private static readonly string[] Seeds = [.. Directory.GetFiles(SharedData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task ReportOfARunHasTheRunsTopicsAndCoordinatesPerDocument()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var run = await RunAsync([.. new[] { "run" }.Concat(Seeds), "-w", ws, "--model", "lexical", "--out", folder.Combine("a"), "--json"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var runJson = JsonDocument.Parse(run.Stdout);
        var runId = runJson.RootElement.GetProperty("run").GetInt64();

        var report = await RunAsync("report", "-w", ws, "--run", runId.ToString(CultureInfo.InvariantCulture), "--out", folder.Combine("b"), "--title", "Seeds", "--json");
        Assert.True(report.ExitCode == 0, report.Stderr);
        using var json = JsonDocument.Parse(report.Stdout);
        var root = json.RootElement;
        Assert.Equal(["out", "run", "files", "documents", "topics"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Path.GetFullPath(folder.Combine("b")), root.GetProperty("out").GetString());
        Assert.Equal(runId, root.GetProperty("run").GetInt64());
        Assert.Equal(140, root.GetProperty("documents").GetInt32());
        Assert.Equal(runJson.RootElement.GetProperty("topics").GetInt32(), root.GetProperty("topics").GetInt32());
        var files = root.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Subset(files.ToHashSet(), new HashSet<string> { "index.html", "topic-map.svg", "topic-map.png", "topic-sizes.svg", "topic-sizes.png", "topics.csv", "documents.csv", "duplicates.csv" });
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(folder.Combine("b"), f)), f));
        var rows = File.ReadAllLines(folder.Combine("b/documents.csv"));
        Assert.Equal("id,title,topic,probability,outlier_score,x,y", rows[0]);
        Assert.Equal(140, rows.Length - 1);
        Assert.Equal(File.ReadAllText(folder.Combine("a/documents.csv")), File.ReadAllText(folder.Combine("b/documents.csv")));
        Assert.Equal(File.ReadAllText(folder.Combine("a/topics.csv")), File.ReadAllText(folder.Combine("b/topics.csv")));

        // Without --run: the latest run that has topics, i.e. the same one; the table names the page.
        var latest = await RunAsync("report", "-w", ws, "--out", folder.Combine("c"));
        Assert.True(latest.ExitCode == 0, latest.Stderr);
        Assert.Contains($"report of run {runId} (run): 140 documents", latest.Stdout, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Path.GetFullPath(folder.Combine("c")), "index.html"), latest.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportOfATopicsRunAndOfAClusterRun()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        Assert.Equal(0, (await RunAsync([.. new[] { "ingest" }.Concat(Seeds), "-w", ws])).ExitCode);
        Assert.Equal(0, (await RunAsync("embed", "-w", ws, "--model", "lexical")).ExitCode);
        var cluster = await RunAsync("cluster", "-w", ws, "--algorithm", "kmeans", "--k", "3", "--out", folder.Combine("labels.csv"));
        Assert.True(cluster.ExitCode == 0, cluster.Stderr);
        long clusterRun;
        string[] ids;
        using (var opened = Workspace.Open(ws, new WorkspaceOptions(CreateIfMissing: false)))
        {
            clusterRun = opened.Runs.List().Single(r => r.Kind == "cluster").Id;
            ids = [.. opened.Documents.List().Select(d => d.Id)];
        }

        // A labels CSV naming a third of the documents: a topics run, the default for report.
        var labels = folder.Combine("archive.csv");
        File.WriteAllLines(labels, ids.Where((_, i) => i % 3 == 0).Select((id, i) => $"{id},{(i % 2 == 0 ? "even" : "odd")}").Prepend("doc_id,label"));
        var topics = await RunAsync("topics", "-w", ws, "--labels", labels, "--json");
        Assert.True(topics.ExitCode == 0, topics.Stderr);
        var report = await RunAsync("report", "-w", ws, "--out", folder.Combine("t"), "--json");
        Assert.True(report.ExitCode == 0, report.Stderr);
        using (var json = JsonDocument.Parse(report.Stdout))
        {
            Assert.Equal(clusterRun + 1, json.RootElement.GetProperty("run").GetInt64());
            Assert.Equal(2, json.RootElement.GetProperty("topics").GetInt32());
        }

        var expected = ids.Where((_, i) => i % 3 == 0).Select((id, i) => (id, i % 2 == 0 ? 0 : 1)).ToArray();
        Assert.Equal(expected, Documents(folder.Combine("t")).Select(r => (r.Id, r.Topic)));

        // --run of the cluster run: its k-means labels, described with c-TF-IDF defaults.
        var byCluster = await RunAsync("report", "-w", ws, "--run", clusterRun.ToString(CultureInfo.InvariantCulture), "--out", folder.Combine("k"), "--json");
        Assert.True(byCluster.ExitCode == 0, byCluster.Stderr);
        var clusterLabels = File.ReadLines(folder.Combine("labels.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[4], f => int.Parse(f[1], CultureInfo.InvariantCulture));
        var rows = Documents(folder.Combine("k"));
        Assert.Equal(ids.Length, rows.Count);
        Assert.All(rows, r => Assert.Equal(clusterLabels[r.Id], r.Topic));
    }

    [Fact]
    public async Task FailuresFollowTheErrorConventionAndLeaveThePreviousReport()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        CliConventions.AssertUsageError(await RunAsync("report", "-w", ws), "topickit report", "--out");
        CliConventions.AssertUsageError(await RunAsync("report", "-w", ws, "--out", folder.Combine("o"), "--run", "0"), "topickit report", "--run must be a run id");
        CliConventions.AssertError(await RunAsync("report", "-w", ws, "--out", folder.Combine("o")), 4, ws);

        Assert.Equal(0, (await RunAsync("ingest", Seeds[0], "-w", ws)).ExitCode);
        CliConventions.AssertError(await RunAsync("report", "-w", ws, "--out", folder.Combine("o")), 1, "has no run with topics; run `topickit run`");
        CliConventions.AssertError(await RunAsync("report", "-w", ws, "--out", folder.Combine("o"), "--run", "99"), 1, "no run 99 in workspace");

        // A topics run without embeddings: the report needs vectors for its map, and says how to get them.
        string[] ids;
        using (var opened = Workspace.Open(ws, new WorkspaceOptions(CreateIfMissing: false)))
        {
            ids = [.. opened.Documents.List().Select(d => d.Id)];
        }

        var labels = folder.Combine("labels.csv");
        File.WriteAllLines(labels, ids.Select((id, i) => $"{id},{i % 2}").Prepend("doc_id,label"));
        Assert.Equal(0, (await RunAsync("topics", "-w", ws, "--labels", labels)).ExitCode);
        CliConventions.AssertError(await RunAsync("report", "-w", ws, "--out", folder.Combine("o")), 1, "no embeddings; run `topickit embed` first");
        Assert.False(Directory.Exists(folder.Combine("o")), "a failed report writes nothing");

        // After embedding it works; a later failure leaves that report's files as they were.
        Assert.Equal(0, (await RunAsync("embed", "-w", ws, "--model", "lexical")).ExitCode);
        Assert.Equal(0, (await RunAsync("report", "-w", ws, "--out", folder.Combine("o"))).ExitCode);
        var before = Directory.GetFiles(folder.Combine("o")).ToDictionary(f => f, File.ReadAllBytes);
        CliConventions.AssertError(await RunAsync("report", "-w", ws, "--out", folder.Combine("o"), "--run", "42"), 1, "no run 42");
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(folder.Combine("o")).Order());
        Assert.All(before, p => Assert.Equal(p.Value, File.ReadAllBytes(p.Key)));
    }

    private static List<(string Id, int Topic)> Documents(string folder) =>
        [.. File.ReadLines(Path.Combine(folder, "documents.csv")).Skip(1).Select(CsvLine.Split)
            .Select(f => (f[0], int.Parse(f[2], CultureInfo.InvariantCulture)))];
}
