using System.Text.Json;
using TopicKit.Cli.Commands;
using static TopicKit.Cli.Tests.CliRunner;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit docs list|show|stats</c> against a workspace filled by <c>ingest</c>.</summary>
public sealed class DocsCommandTests
{
    [Fact]
    public async Task DocsListJsonMatchesTheSourceFileRecordByRecord()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        Assert.Equal(0, (await RunAsync("ingest", SampleCorpus, "-w", ws)).ExitCode);

        var list = await RunAsync("docs", "list", "--workspace", ws, "--json");

        Assert.Equal(0, list.ExitCode);
        using var json = JsonDocument.Parse(list.Stdout);
        var documents = json.RootElement.EnumerateArray().ToArray();
        var lines = System.IO.File.ReadLines(SampleCorpus).Where(l => l.Trim().Length > 0).ToArray();
        Assert.Equal(lines.Length, documents.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var source = JsonDocument.Parse(lines[i]);
            var expected = source.RootElement;
            var actual = documents[i];
            Assert.Equal(expected.GetProperty("id").GetString(), actual.GetProperty("id").GetString());
            Assert.Equal(expected.GetProperty("title").GetString(), actual.GetProperty("title").GetString());
            Assert.Equal(expected.GetProperty("abstract").GetString(), actual.GetProperty("abstract").GetString());
            Assert.Equal(Strings(expected.GetProperty("authors")), Strings(actual.GetProperty("authors")));
            Assert.Equal(Strings(expected.GetProperty("categories")), Strings(actual.GetProperty("categories")));
            Assert.Equal(expected.GetProperty("date").GetString(), actual.GetProperty("date").GetString());
            Assert.Equal("sample-abstracts.jsonl", actual.GetProperty("source").GetString());
            Assert.Equal(i, actual.GetProperty("position").GetInt32());
        }

        var show = await RunAsync("docs", "show", "syn-qec-07-repost", "-w", ws, "--json");
        Assert.Equal(0, show.ExitCode);
        using var shown = JsonDocument.Parse(show.Stdout);
        Assert.Equal(lines.Length - 1, shown.RootElement.GetProperty("position").GetInt32());

        var stats = await RunAsync("docs", "stats", "-w", ws, "--json");
        using var statsJson = JsonDocument.Parse(stats.Stdout);
        Assert.Equal(lines.Length, statsJson.RootElement.GetProperty("documents").GetInt32());
        Assert.Equal(1, statsJson.RootElement.GetProperty("duplicate_groups").GetInt32());
        Assert.Equal(6, statsJson.RootElement.GetProperty("by_primary_category").EnumerateObject().Count());
    }

    [Theory]
    [InlineData("docs")]
    [InlineData("docs", "show")]
    public async Task UsageErrorsExitWithTwo(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.NotEqual(string.Empty, run.Stderr);
    }

    [Fact]
    public async Task MissingInputsMissingWorkspacesAndUnknownIdsAreOneLineErrors()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");

        var missingFile = await RunAsync("ingest", folder.Combine("none.jsonl"), "-w", ws);
        Assert.Equal(ExitCodes.BadInput, missingFile.ExitCode);
        Assert.Contains("none.jsonl: file not found", missingFile.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ws));

        var missingWorkspace = await RunAsync("docs", "list", "-w", ws);
        Assert.Equal(ExitCodes.WorkspaceUnusable, missingWorkspace.ExitCode);
        Assert.Equal($"topickit: error: no workspace at {ws}; ingest some files first (topickit ingest FILE --workspace {ws}).\n", missingWorkspace.Stderr.ReplaceLineEndings("\n"));

        Assert.Equal(0, (await RunAsync("ingest", SampleCorpus, "-w", ws)).ExitCode);
        var unknown = await RunAsync("docs", "show", "nope", "-w", ws);
        Assert.Equal(ExitCodes.BadInput, unknown.ExitCode);
        Assert.StartsWith("topickit: error: no document with id 'nope'", unknown.Stderr, StringComparison.Ordinal);
    }

    private static string?[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");

        CliConventions.AssertUsageError(await RunAsync("docs", "list", "-w", ws, "--limit", "many"), "topickit docs list", "--limit must be a whole number, got 'many'");
        CliConventions.AssertUsageError(await RunAsync("docs", "list", "-w", ws, "--offset", "-1"), "topickit docs list", "--limit and --offset must be >= 0");
        CliConventions.AssertError(await RunAsync("docs", "stats", "-w", ws), ExitCodes.WorkspaceUnusable, $"no workspace at {ws}");
        Assert.Equal(0, (await RunAsync("ingest", SampleCorpus, "-w", ws)).ExitCode);
        CliConventions.AssertError(await RunAsync("docs", "show", "nope", "-w", ws), ExitCodes.BadInput, "no document with id 'nope'");
    }
}
