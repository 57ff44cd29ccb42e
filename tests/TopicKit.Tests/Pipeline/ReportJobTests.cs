using System.Globalization;
using TopicKit.Pipeline;
using TopicKit.Storage;

namespace TopicKit.Tests.Pipeline;

/// <summary>
/// <see cref="ReportJob"/> against independent expectations: the run job's own report (same topics and coordinates per
/// document), a cluster run's labels, a topics run's CSV labels, the stored map, errors, and untouched output on failure.
/// </summary>
public sealed class ReportJobTests(RunWorkspaceFixture fixture) : IClassFixture<RunWorkspaceFixture>
{
    [Fact]
    public void TheRunIsRecordedWithItsTopicsAndMapInTheWorkspace()
    {
        var run = fixture.Result.Run;
        Assert.Equal("run", run.Kind);
        using var ws = Workspace.Open(fixture.Workspace, new WorkspaceOptions(CreateIfMissing: false));
        var results = ws.Runs.GetResults(run.Id);
        Assert.Equal(fixture.Documents, results.Count);
        var model = fixture.Result.Model;
        for (var i = 0; i < results.Count; i++)
        {
            Assert.Equal(model.Ids![i], results[i].DocumentId);
            Assert.Equal(model.DocumentTopics[i], results[i].Label);
            Assert.Equal(model.Probabilities[i], results[i].Probability);
            Assert.Equal(model.OutlierScores[i], results[i].OutlierScore);
        }

        var map = TopicRuns.LoadMap(ws, run.Id)!;
        Assert.Equal(model.Map!.Data, map.Data);
        var stored = TopicRuns.Load(ws, null);
        Assert.Equal(run.Id, stored.Run.Id);
        Assert.Equal(model.Topics.Select(t => (t.Id, t.Size, t.Label)), stored.Representation.Topics.Select(t => (t.Id, t.Size, t.Label)));
        Assert.Equal(fixture.Result.Embed.ModelId, TopicRuns.VectorsOf(run).Model);
    }

    [Fact]
    public void TheReportOfTheRunEqualsTheRunsOwnReport()
    {
        var output = fixture.Combine("report-of-run");
        var result = ReportJob.Run(new ReportRequest(fixture.Workspace, output) { Run = fixture.Result.Run.Id });
        Assert.False(result.MapComputed);
        Assert.False(result.TopicsComputed);
        Assert.Equal(fixture.Documents, result.Documents);
        Assert.Equal(fixture.Result.Report.Files.Order(), result.Report.Files.Order());
        // Same topic, probability, outlier score and coordinates per document; same topics and duplicate pairs.
        foreach (var file in new[] { "documents.csv", "topics.csv", "duplicates.csv" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(fixture.Out, file)), File.ReadAllText(Path.Combine(output, file)));
        }

        var rows = File.ReadAllLines(Path.Combine(output, "documents.csv"));
        Assert.Equal("id,title,topic,probability,outlier_score,x,y", rows[0]);
        Assert.Equal(fixture.Documents, rows.Length - 1);
    }

    [Fact]
    public void AClusterRunGetsTopicsFromItsLabelsAndAMapLaidOutOnceAndStored()
    {
        var ws = fixture.CopyWorkspace("cluster-ws");
        var cluster = ClusterJob.Run(new ClusterRequest(new ClusteringPipelineOptions { Algorithm = ClusterAlgorithm.KMeans, K = 4, Seed = 3 }) { Workspace = ws });
        var output = fixture.Combine("report-of-cluster");
        var first = ReportJob.Run(new ReportRequest(ws, output) { Run = cluster.Run!.Id });
        Assert.True(first.TopicsComputed);
        Assert.True(first.MapComputed);
        Assert.Equal(cluster.Run.Id, first.Run.Id);

        var csv = ReadDocuments(output);
        Assert.Equal(cluster.Input.DocumentIds!.Count, csv.Count);
        for (var i = 0; i < csv.Count; i++)
        {
            Assert.Equal(cluster.Input.DocumentIds[i], csv[i].Id);
            Assert.Equal(cluster.Result.Assignment.Labels[i], csv[i].Topic);
        }

        // The layout is the run job's 2-D UMAP with the cluster run's seed over the vectors it clustered.
        var expected = RunDefaults.MapReducer(3).Fit(cluster.Input.Vectors).Embedding;
        for (var i = 0; i < csv.Count; i++)
        {
            Assert.Equal(expected[i, 0], csv[i].X);
            Assert.Equal(expected[i, 1], csv[i].Y);
        }

        using (var opened = Workspace.Open(ws, new WorkspaceOptions(CreateIfMissing: false)))
        {
            Assert.Equal(expected.Data, TopicRuns.LoadMap(opened, cluster.Run.Id)!.Data);
        }

        var again = ReportJob.Run(new ReportRequest(ws, fixture.Combine("report-of-cluster-2")) { Run = cluster.Run.Id });
        Assert.False(again.MapComputed);
        Assert.Equal(File.ReadAllText(Path.Combine(output, "documents.csv")), File.ReadAllText(fixture.Combine("report-of-cluster-2/documents.csv")));
    }

    [Fact]
    public void ATopicsRunFromALabelsCsvIsTheLatestAndKeepsItsLabels()
    {
        var ws = fixture.CopyWorkspace("topics-ws");
        var ids = fixture.Result.Model.Ids!;
        var labels = fixture.Combine("labels.csv");
        // String labels are numbered in ordinal order: "alpha" is topic 0, "beta" topic 1; only the listed documents count.
        File.WriteAllLines(labels, ids.Take(60).Select((id, i) => $"{Csv(id)},{(i % 3 == 0 ? "beta" : "alpha")}").Prepend("doc_id,label"));
        var topics = TopicsJob.Run(new TopicsRequest(ws) { Labels = labels });
        Assert.Equal("topics", topics.Run.Kind);
        Assert.Equal(60, topics.Documents.Count);
        Assert.Equal(["alpha", "beta"], topics.Representation.Topics.Select(t => t.Label));

        var output = fixture.Combine("report-of-topics");
        var report = ReportJob.Run(new ReportRequest(ws, output) { Title = "Labelled <i>subset</i>" });
        Assert.Equal(topics.Run.Id, report.Run.Id);
        Assert.False(report.TopicsComputed);
        Assert.True(report.MapComputed);
        Assert.Equal(2, report.Topics);
        var csv = ReadDocuments(output);
        Assert.Equal(ids.Take(60), csv.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? 1 : 0), csv.Select(r => r.Topic));
        Assert.Contains("Labelled &lt;i&gt;subset&lt;/i&gt;", File.ReadAllText(Path.Combine(output, "index.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorsSayWhatIsMissing()
    {
        Assert.Throws<KeyNotFoundException>(() => ReportJob.Run(new ReportRequest(fixture.Workspace, fixture.Combine("e1")) { Run = 999 }));
        Assert.ThrowsAny<WorkspaceException>(() => ReportJob.Run(new ReportRequest(fixture.Combine("no-such-ws"), fixture.Combine("e2"))));

        // Documents and a topics run, but no embeddings: the message says to embed first.
        var bare = fixture.Combine("bare-ws");
        var ingest = await IngestJob.RunAsync(new IngestRequest(bare, [new IngestInput(Directory.GetFiles(SharedData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal).First())]));
        Assert.Null(ingest.Fatal);
        var e = Assert.Throws<InvalidDataException>(() => ReportJob.Run(new ReportRequest(bare, fixture.Combine("e3"))));
        Assert.Contains("no run with topics", e.Message, StringComparison.Ordinal);
        using (var opened = Workspace.Open(bare, new WorkspaceOptions(CreateIfMissing: false)))
        {
            var labels = fixture.Combine("bare-labels.csv");
            File.WriteAllLines(labels, opened.Documents.List().Select((d, i) => $"{Csv(d.Id)},{i % 2}").Prepend("doc_id,label"));
            TopicsJob.Run(new TopicsRequest(bare) { Labels = labels });
        }

        var noVectors = Assert.Throws<InvalidDataException>(() => ReportJob.Run(new ReportRequest(bare, fixture.Combine("e4"))));
        Assert.Contains("no embeddings; run `topickit embed` first", noVectors.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.Combine("e4")));
    }

    [Fact]
    public void ACancelledOrFailedReportLeavesThePreviousFilesIntact()
    {
        var output = fixture.Combine("kept");
        ReportJob.Run(new ReportRequest(fixture.Workspace, output) { Run = fixture.Result.Run.Id, Title = "first" });
        var before = Snapshot(output);

        using var cts = new CancellationTokenSource();
        var progress = new InlineProgress<PipelineProgress>(p =>
        {
            if (p.Stage == "report")
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ReportJob.Run(new ReportRequest(fixture.Workspace, output) { Run = fixture.Result.Run.Id, Title = "second" }, progress, cts.Token));
        Assert.Equal(before, Snapshot(output));
        Assert.Throws<KeyNotFoundException>(() => ReportJob.Run(new ReportRequest(fixture.Workspace, output) { Run = 12345 }));
        Assert.Equal(before, Snapshot(output));
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f)!, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    private static string Csv(string field) => field.Contains(',', StringComparison.Ordinal) || field.Contains('"', StringComparison.Ordinal)
        ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : field;

    /// <summary>documents.csv rows: id, topic, x, y.</summary>
    internal static List<(string Id, int Topic, float X, float Y)> ReadDocuments(string folder)
    {
        var rows = new List<(string, int, float, float)>();
        foreach (var line in File.ReadLines(Path.Combine(folder, "documents.csv")).Skip(1))
        {
            var f = CsvLine.Split(line);
            rows.Add((f[0], int.Parse(f[2], CultureInfo.InvariantCulture), float.Parse(f[5], CultureInfo.InvariantCulture), float.Parse(f[6], CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
