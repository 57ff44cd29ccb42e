using System.Globalization;
using System.Text.Json;
using TopicKit.Corpus;
using TopicKit.Storage;

using TopicKit.Tests.Topics;

namespace TopicKit.Cli.Tests;

/// <summary>A workspace holding the 2,000 arXiv texts exactly as in the oracle's input (no LaTeX conversion), built once.</summary>
public sealed class ArxivWorkspaceFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public ArxivWorkspaceFixture()
    {
        Workspace = _temp.Combine("ws");
        using (var ws = TopicKit.Storage.Workspace.Open(Workspace))
        {
            ws.IngestAsync(CorpusReader.ReadAsync(TopicsTestData.TextsPath, new CorpusReadOptions { ConvertLatex = false })).GetAwaiter().GetResult();
        }

        LabelsCsv = _temp.Combine("archives.csv");
        File.WriteAllLines(LabelsCsv, File.ReadLines(TopicsTestData.LabelsPath).Skip(1).Prepend("doc_id,label"));
        StopWords = _temp.Combine("stop.txt");
        File.WriteAllLines(StopWords, TopicsTestData.OracleStopWords.Set.Order(StringComparer.Ordinal));
    }

    public string Workspace { get; }

    public string LabelsCsv { get; }

    public string StopWords { get; }

    public string Combine(string name) => _temp.Combine(name);

    public void Dispose() => _temp.Dispose();
}

/// <summary><c>topickit topics</c> end to end: the BERTopic oracle through the CLI, the JSON contract, stored runs, bad input.</summary>
public sealed class TopicsCommandTests(ArxivWorkspaceFixture fixture) : IClassFixture<ArxivWorkspaceFixture>
{
    [Theory]
    [InlineData("default")]
    [InlineData("bm25_reduce_frequent")]
    public async Task KeywordsThroughTheCliEqualBertopic(string variant)
    {
        var spec = TopicsTestData.Oracle.GetProperty("variants").GetProperty(variant);
        string[] args = ["topics", "--workspace", fixture.Workspace, "--labels", fixture.LabelsCsv, "--representation", "ctfidf", "--ngram", "1..1", "--stop-words", fixture.StopWords, "--top-n", "10", "--json"];
        if (spec.GetProperty("bm25_weighting").GetBoolean())
        {
            args = [.. args, "--bm25", "--reduce-frequent-words"];
        }

        var run = await CliRunner.RunAsync(args);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var topics = json.RootElement.EnumerateArray().ToArray();
        var classes = spec.GetProperty("classes");
        Assert.Equal(classes.EnumerateObject().Count(), topics.Length);
        var names = TopicsTestData.Arxiv.Names;
        foreach (var topic in topics)
        {
            // String labels are numbered in ordinal order and name their topic.
            var name = topic.GetProperty("label").GetString()!;
            Assert.Equal(names.ToList().IndexOf(name), topic.GetProperty("id").GetInt32());
            Assert.Equal(classes.GetProperty(name).GetProperty("size").GetInt32(), topic.GetProperty("size").GetInt32());
            var keywords = topic.GetProperty("keywords").EnumerateArray()
                .Select(k => new TopicKit.Topics.TopicKeyword(k.GetProperty("term").GetString()!, k.GetProperty("score").GetDouble())).ToArray();
            ClassTfidfOracleTests.AssertKeywords(name, classes.GetProperty(name).GetProperty("keywords"), keywords);
        }
    }

    [Fact]
    public async Task ContractWithIntegerLabelsAndStoredRun()
    {
        // Every tenth document is an outlier; the rest keep their archive index as the topic id.
        var arxiv = TopicsTestData.Arxiv;
        var labels = fixture.Combine("ints.csv");
        File.WriteAllLines(labels, arxiv.Ids.Select((id, i) => string.Create(CultureInfo.InvariantCulture, $"{id},{(i % 10 == 0 ? -1 : arxiv.Labels[i])}")).Prepend("doc_id,label"));
        var run = await CliRunner.RunAsync("topics", "--workspace", fixture.Workspace, "--labels", labels, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var topics = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(-1, topics[0].GetProperty("id").GetInt32());
        Assert.Equal(200, topics[0].GetProperty("size").GetInt32());
        var labelOf = arxiv.Ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i % 10 == 0 ? -1 : arxiv.Labels[p.i]);
        foreach (var topic in topics)
        {
            Assert.Equal(["id", "size", "label", "keywords", "representative_ids"], topic.EnumerateObject().Select(p => p.Name));
            var id = topic.GetProperty("id").GetInt32();
            Assert.Equal(labelOf.Values.Count(l => l == id), topic.GetProperty("size").GetInt32());
            var reps = topic.GetProperty("representative_ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.Equal(Math.Min(3, topic.GetProperty("size").GetInt32()), reps.Length);
            Assert.All(reps, r => Assert.Equal(id, labelOf[r]));
            Assert.Equal(reps.Length, reps.Distinct().Count());
            var keywords = topic.GetProperty("keywords").EnumerateArray().Select(k => k.GetProperty("score").GetDouble()).ToArray();
            Assert.Equal(keywords.OrderDescending(), keywords);
        }

        // The run is stored: later commands read it.
        var newick = await CliRunner.RunAsync("topics", "hierarchy", "--workspace", fixture.Workspace, "--format", "newick");
        Assert.True(newick.ExitCode == 0, newick.Stderr);
        Assert.EndsWith(";", newick.Stdout.Trim());
        Assert.Equal(18, newick.Stdout.Count(c => c == ':') / 2 + 1);
        var evaluate = await CliRunner.RunAsync("topics", "evaluate", "--workspace", fixture.Workspace, "--reference", labels, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        using var metrics = JsonDocument.Parse(evaluate.Stdout);
        Assert.Equal(1.0, metrics.RootElement.GetProperty("v_measure").GetDouble(), 9);
        Assert.Equal(0.1, metrics.RootElement.GetProperty("outlier_share").GetDouble(), 9);
        using (var ws = Workspace.Open(fixture.Workspace, new WorkspaceOptions(CreateIfMissing: false)))
        {
            var last = ws.Runs.List().Last();
            Assert.Equal("topics", last.Kind);
            Assert.Equal(2000, ws.Runs.GetResults(last.Id).Count);
        }

        // The texts carry no dates.
        var overTime = await CliRunner.RunAsync("topics", "over-time", "--workspace", fixture.Workspace);
        Assert.Equal(1, overTime.ExitCode);
        Assert.StartsWith("topickit: error: no document", overTime.Stderr);
    }

    [Fact]
    public async Task OutlierReductionReportsTheMovedCount()
    {
        var arxiv = TopicsTestData.Arxiv;
        var labels = fixture.Combine("outliers.csv");
        File.WriteAllLines(labels, arxiv.Ids.Select((id, i) => string.Create(CultureInfo.InvariantCulture, $"{id},{(i % 4 == 0 ? -1 : arxiv.Labels[i])}")).Prepend("doc_id,label"));
        var run = await CliRunner.RunAsync("topics", "--workspace", fixture.Workspace, "--labels", labels, "--reduce-outliers", "ctfidf", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("outliers 500 -> 0 (500 moved, ctfidf", run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2000, json.RootElement.EnumerateArray().Sum(t => t.GetProperty("size").GetInt32()));
        Assert.DoesNotContain(json.RootElement.EnumerateArray(), t => t.GetProperty("id").GetInt32() == -1);
    }

    [Theory]
    [InlineData("missing.csv", "not found")]
    [InlineData("badheader.csv", "line 1 must be a header")]
    [InlineData("unknown.csv", "line 2: no document 'nope'")]
    public async Task BadLabelFilesFailWithOneLine(string file, string message)
    {
        var path = fixture.Combine(file);
        if (file == "badheader.csv")
        {
            File.WriteAllLines(path, ["id,topic", "704.0001,1"]);
        }
        else if (file == "unknown.csv")
        {
            File.WriteAllLines(path, ["doc_id,label", "nope,1"]);
        }

        var run = await CliRunner.RunAsync("topics", "--workspace", fixture.Workspace, "--labels", path);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("topickit: error: ", run.Stderr);
        Assert.Contains(message, run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task BadOptionsFail()
    {
        var merge = await CliRunner.RunAsync("topics", "--workspace", fixture.Workspace, "--labels", fixture.LabelsCsv, "--merge", "1;x,2");
        Assert.Equal(1, merge.ExitCode);
        Assert.Contains("--merge", merge.Stderr);
        var probabilities = await CliRunner.RunAsync("topics", "--workspace", fixture.Workspace, "--labels", fixture.LabelsCsv, "--reduce-outliers", "probabilities");
        Assert.Equal(1, probabilities.ExitCode);
        Assert.Contains("--probabilities", probabilities.Stderr);
        var usage = await CliRunner.RunAsync("topics", "--workspace", fixture.Workspace, "--representation", "lda");
        Assert.Equal(2, usage.ExitCode);
    }
}
