using System.Text.Json;
using TopicKit.Cli.Commands;
using static TopicKit.Cli.Tests.CliRunner;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit run</c>: ingest plus the corpus report.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task RunIngestsAndReportsStatistics()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");

        var run = await RunAsync("run", SampleCorpus, "--workspace", ws, "--json");
        var human = await RunAsync("run", SampleCorpus, "--workspace", ws);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var count = System.IO.File.ReadLines(SampleCorpus).Count(l => l.Trim().Length > 0);
        Assert.Equal(count, json.RootElement.GetProperty("ingest").GetProperty("added").GetInt32());
        Assert.Equal(count, json.RootElement.GetProperty("stats").GetProperty("documents").GetInt32());
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("0 new document(s)", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("syn-qec-07 = syn-qec-07-repost", human.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        using var folder = new TempFolder();

        CliConventions.AssertUsageError(await RunAsync("run"), "topickit run", "Required argument missing");
        CliConventions.AssertUsageError(await RunAsync("run", SampleCorpus, "-w", folder.Combine("ws"), "--wait", "-1"), "topickit run", "--wait must be a number from 0 to 86400");
        var missing = await RunAsync("run", folder.Combine("none.jsonl"), "-w", folder.Combine("ws"));
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.All(missing.ErrorLines, l => Assert.StartsWith("topickit: error: ", l, StringComparison.Ordinal));
    }
}
