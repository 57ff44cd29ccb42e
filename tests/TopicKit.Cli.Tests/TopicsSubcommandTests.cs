using System.Globalization;
using System.Text.Json;
using TopicKit.Tests.Topics;
using static TopicKit.Cli.Tests.CliRunner;

namespace TopicKit.Cli.Tests;

/// <summary>
/// <c>topickit topics over-time|hierarchy|evaluate</c> on a tiny dated workspace: over-time against the hand-computed
/// bins of <see cref="TopicsOverTimeTests"/>, the JSON keys, and every failure following the error convention.
/// </summary>
public sealed class TopicsSubcommandTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task OverTimeGivesTheHandComputedBins(bool global, bool evolution)
    {
        using var folder = new TempFolder();
        var ws = await DatedWorkspace(folder);
        string[] args = ["topics", "over-time", "-w", ws, "--json"];
        args = [.. args, .. global ? Array.Empty<string>() : ["--no-global-tuning"], .. evolution ? Array.Empty<string>() : ["--no-evolution-tuning"]];
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var slices = json.RootElement.EnumerateArray().ToArray();
        var expected = TopicsOverTimeTests.Expected(global, evolution);
        Assert.Equal(expected.Count, slices.Length);
        for (var i = 0; i < slices.Length; i++)
        {
            var s = slices[i];
            Assert.Equal(["topic", "bin", "start", "end", "frequency", "keywords"], s.EnumerateObject().Select(p => p.Name));
            Assert.Equal(new DateTime(2024, 1, 1).AddDays(expected[i].Bin).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.GetProperty("start").GetString());
            TopicsOverTimeTests.AssertSlice(
                expected[i], s.GetProperty("bin").GetString()!, s.GetProperty("topic").GetInt32(), s.GetProperty("frequency").GetInt32(),
                s.GetProperty("keywords").EnumerateArray().Select(k => (k.GetProperty("term").GetString()!, k.GetProperty("score").GetDouble())));
        }

        // --bins 1: one bin holding both documents of each topic.
        var one = await RunAsync("topics", "over-time", "-w", ws, "--bins", "1", "--json");
        Assert.True(one.ExitCode == 0, one.Stderr);
        using var oneJson = JsonDocument.Parse(one.Stdout);
        Assert.Equal([(0, 2), (1, 2)], oneJson.RootElement.EnumerateArray().Select(s => (s.GetProperty("topic").GetInt32(), s.GetProperty("frequency").GetInt32())));
    }

    [Fact]
    public async Task EvaluateAndHierarchyReadTheStoredRun()
    {
        using var folder = new TempFolder();
        var ws = await DatedWorkspace(folder);
        var evaluate = await RunAsync("topics", "evaluate", "-w", ws, "--reference", folder.Combine("labels.csv"), "--compare-run", "1", "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        using var json = JsonDocument.Parse(evaluate.Stdout);
        Assert.Equal(
            ["run_id", "topics", "outlier_share", "diversity", "coherence", "v_measure", "ari", "stability_ari"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, json.RootElement.GetProperty("run_id").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("topics").GetInt32());
        Assert.Equal(1.0, json.RootElement.GetProperty("v_measure").GetDouble(), 12);
        Assert.Equal(1.0, json.RootElement.GetProperty("stability_ari").GetDouble(), 12);
        // Diversity: the top words are apple, banana, cherry | date, egg: all unique.
        Assert.Equal(1.0, json.RootElement.GetProperty("diversity").GetDouble(), 12);

        var newick = await RunAsync("topics", "hierarchy", "-w", ws, "--format", "newick");
        Assert.True(newick.ExitCode == 0, newick.Stderr);
        Assert.EndsWith(";", newick.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        using var folder = new TempFolder();
        var missing = folder.Combine("none");
        foreach (var sub in new[] { "hierarchy", "over-time", "evaluate" })
        {
            CliConventions.AssertError(await RunAsync("topics", sub, "-w", missing), 4, missing);
            CliConventions.AssertUsageError(await RunAsync("topics", sub, "-w", missing, "--run", "x"), $"topickit topics {sub}", "--run must be a run id");
        }

        CliConventions.AssertError(await RunAsync("topics", "-w", missing), 4, missing);
        CliConventions.AssertUsageError(await RunAsync("topics", "over-time", "-w", missing, "--bins", "0"), "topickit topics over-time", "--bins must be a whole number >= 1");
        CliConventions.AssertUsageError(await RunAsync("topics", "hierarchy", "-w", missing, "--format", "dot"), "topickit topics hierarchy", "dot");

        var ws = await DatedWorkspace(folder);
        CliConventions.AssertUsageError(await RunAsync("topics", "-w", ws, "--run", "1", "--labels", folder.Combine("labels.csv")), "topickit topics", "either --run or --labels");
        CliConventions.AssertError(await RunAsync("topics", "-w", ws, "--labels", folder.Combine("labels.csv"), "--model", "lexical"), 1, "--model is the word encoder");
        CliConventions.AssertError(await RunAsync("topics", "-w", ws, "--run", "7"), 1, "no run 7");
        foreach (var sub in new[] { "hierarchy", "over-time", "evaluate" })
        {
            CliConventions.AssertError(await RunAsync("topics", sub, "-w", ws, "--run", "9"), 1, "no run 9");
        }

        CliConventions.AssertError(await RunAsync("topics", "evaluate", "-w", ws, "--compare-run", "5"), 1, "--compare-run 5: no run 5");
        CliConventions.AssertError(await RunAsync("topics", "evaluate", "-w", ws, "--reference", folder.Combine("nope.csv")), 1, "labels file not found");

        // The only documents without dates: over-time has nothing to bin.
        var undated = folder.Combine("undated");
        File.WriteAllLines(folder.Combine("undated.jsonl"), ["{\"id\":\"u1\",\"abstract\":\"apple banana\"}", "{\"id\":\"u2\",\"abstract\":\"date egg\"}"]);
        Assert.Equal(0, (await RunAsync("ingest", folder.Combine("undated.jsonl"), "-w", undated)).ExitCode);
        File.WriteAllLines(folder.Combine("undated.csv"), ["doc_id,label", "u1,0", "u2,1"]);
        Assert.Equal(0, (await RunAsync("topics", "-w", undated, "--labels", folder.Combine("undated.csv"), "--stop-words", "none")).ExitCode);
        CliConventions.AssertError(await RunAsync("topics", "over-time", "-w", undated), 1, "has a date; topics over time need dates");
    }

    /// <summary>The four documents of <see cref="TopicsOverTimeTests"/>, dated, with one topics run (id 1) from labels.csv.</summary>
    private static async Task<string> DatedWorkspace(TempFolder folder)
    {
        var ws = folder.Combine("ws");
        var corpus = folder.Combine("dated.jsonl");
        File.WriteAllLines(corpus, TopicsOverTimeTests.Texts.Select((t, i) => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = $"d{i}",
            ["abstract"] = t,
            ["date"] = TopicsOverTimeTests.Days[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        })));
        var ingest = await RunAsync("ingest", corpus, "-w", ws);
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        File.WriteAllLines(folder.Combine("labels.csv"), TopicsOverTimeTests.Labels.Select((l, i) => $"d{i},{l}").Prepend("doc_id,label"));
        var topics = await RunAsync("topics", "-w", ws, "--labels", folder.Combine("labels.csv"), "--stop-words", "none", "--json");
        Assert.True(topics.ExitCode == 0, topics.Stderr);
        return ws;
    }
}
