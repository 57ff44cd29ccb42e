using System.Text.Json;
using TopicKit.Cli.Commands;
using TopicKit.Storage;
using TopicKit.Tests.Storage;
using static TopicKit.Cli.Tests.CliRunner;
using static TopicKit.Tests.Storage.WorkspaceTestKit;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit ingest</c>: the transaction policy, the JSON report, locking, cancellation and signals.</summary>
public sealed partial class IngestCommandTests
{
    private static readonly string[] SampleExactDuplicates = ["syn-qec-07", "syn-qec-07-repost"];

    [Fact]
    public async Task IngestJsonReportsAddedAndTheSampleCorpusExactDuplicate()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var expectedCount = System.IO.File.ReadLines(SampleCorpus).Count(l => l.Trim().Length > 0);

        var first = await RunAsync("ingest", SampleCorpus, "--workspace", ws, "--json");
        var second = await RunAsync("ingest", SampleCorpus, "--workspace", ws, "--json", "--format", "jsonl");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(string.Empty, first.Stderr);
        using var json = JsonDocument.Parse(first.Stdout);
        var root = json.RootElement;
        Assert.Equal(expectedCount, root.GetProperty("added").GetInt32());
        Assert.Equal(expectedCount, root.GetProperty("documents").GetInt32());
        var groups = root.GetProperty("duplicates").EnumerateArray().Select(g => g.EnumerateArray().Select(e => e.GetString()).ToArray()).ToArray();
        Assert.Equal([SampleExactDuplicates], groups);
        var file = Assert.Single(root.GetProperty("files").EnumerateArray());
        Assert.Equal("ingested", file.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, file.GetProperty("error").ValueKind);

        Assert.Equal(0, second.ExitCode);
        using var again = JsonDocument.Parse(second.Stdout);
        Assert.Equal(0, again.RootElement.GetProperty("added").GetInt32());
        Assert.Equal(expectedCount, again.RootElement.GetProperty("skipped").GetInt32());
        Assert.Equal(1, again.RootElement.GetProperty("duplicates").GetArrayLength());
    }

    [Fact]
    public async Task AFailingFileWritesNothingWhileTheGoodFileIsCommitted()
    {
        using var folder = new TempFolder();
        var (good, bad) = WriteGoodAndBad(folder);
        var ws = folder.Combine("ws");

        var run = await RunAsync("ingest", good, bad, "--workspace", ws, "--json");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var files = json.RootElement.GetProperty("files").EnumerateArray().ToArray();
        Assert.Equal(["ingested", "failed"], files.Select(f => f.GetProperty("status").GetString()));
        Assert.Contains("bad.jsonl", files[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, json.RootElement.GetProperty("added").GetInt32());
        var errorLines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errorLines.Length);
        Assert.StartsWith("topickit: error: ", errorLines[0], StringComparison.Ordinal);
        Assert.Contains("bad.jsonl", errorLines[0], StringComparison.Ordinal);
        Assert.Contains("1 file(s) were committed", errorLines[1], StringComparison.Ordinal);
        using var workspace = Workspace.Open(ws);
        Assert.Equal(["g1", "g2"], workspace.Documents.List().Select(d => d.Id));
    }

    [Fact]
    public async Task AtomicIngestionWritesNothingWhenAnyFileFails()
    {
        using var folder = new TempFolder();
        var (good, bad) = WriteGoodAndBad(folder);
        var ws = folder.Combine("ws");

        var run = await RunAsync("ingest", good, bad, "--workspace", ws, "--json", "--atomic");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["rolled-back", "failed"], json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("status").GetString()));
        Assert.Equal(0, json.RootElement.GetProperty("added").GetInt32());
        Assert.Contains("nothing was written (--atomic)", run.Stderr, StringComparison.Ordinal);
        using var workspace = Workspace.Open(ws);
        Assert.Equal(0, workspace.Documents.Count());
    }

    [Fact]
    public async Task ALockedWorkspaceExitsWithThreeAndNamesTheHolder()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        using var holder = Workspace.Open(ws);
        var held = await HeldWriterLock.StartAsync(holder, Doc("h0", "h.jsonl", 0, "Held."));
        try
        {
            var inProcess = await RunAsync("ingest", SampleCorpus, "-w", ws, "--wait", "0.2");
            Assert.Equal(ExitCodes.WorkspaceLocked, inProcess.ExitCode);
            Assert.StartsWith($"topickit: error: workspace {ws} is in use by another", inProcess.Stderr, StringComparison.Ordinal);

            using var child = Start("ingest", SampleCorpus, "-w", ws, "--wait", "0.5", "--json");
            var other = await WaitAsync(child);
            Assert.Equal(ExitCodes.WorkspaceLocked, other.ExitCode);
            Assert.StartsWith(
                $"topickit: error: workspace {ws} is in use by another topickit process (pid {Environment.ProcessId})",
                other.Stderr, StringComparison.Ordinal);
            Assert.Single(other.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            await held.ReleaseAsync();
            await held.DisposeAsync();
        }

        Assert.Equal(1, holder.Documents.Count());
    }

    [Fact]
    public async Task TwoProcessesIngestingConcurrentlyBothCommitAndTheStoreStaysIntact()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var (good, _) = WriteGoodAndBad(folder);

        using var first = Start("ingest", SampleCorpus, "-w", ws, "--wait", "60", "--json");
        using var second = Start("ingest", good, "-w", ws, "--wait", "60", "--json");
        var runs = await Task.WhenAll(WaitAsync(first), WaitAsync(second));

        Assert.All(runs, r => Assert.Equal(0, r.ExitCode));
        using var workspace = Workspace.Open(ws);
        var expected = System.IO.File.ReadLines(SampleCorpus).Count(l => l.Trim().Length > 0) + 2;
        Assert.Equal(expected, workspace.Documents.Count());
        using var command = workspace.Connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", command.ExecuteScalar());
    }

    [Fact]
    public async Task CancellationExitsWith130AndWritesNothingFromTheInterruptedFile()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var run = await RunAsync(cts.Token, "ingest", SampleCorpus, "-w", ws, "--json");

        Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.True(json.RootElement.GetProperty("cancelled").GetBoolean());
        using var workspace = Workspace.Open(ws);
        Assert.Equal(0, workspace.Documents.Count());
    }

    private static (string Good, string Bad) WriteGoodAndBad(TempFolder folder)
    {
        var good = folder.Combine("good.jsonl");
        System.IO.File.WriteAllLines(good,
        [
            """{"id": "g1", "title": "Good one", "abstract": "A first good abstract."}""",
            """{"id": "g2", "title": "Good two", "abstract": "A second good abstract."}""",
        ]);
        var bad = folder.Combine("bad.jsonl");
        System.IO.File.WriteAllLines(bad,
        [
            """{"id": "b1", "title": "Fine", "abstract": "Would be fine alone."}""",
            """{"id": "b2", "title": "Broken", "abstract": """,
        ]);
        return (good, bad);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("ingest", "x.jsonl", "--format", "word")]
    [InlineData("ingest", "x.jsonl", "--bogus")]
    public async Task UsageErrorsExitWithTwo(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.NotEqual(string.Empty, run.Stderr);
    }

    [Fact]
    public async Task SigintDuringAnIngestRollsBackThatFileAndExitsWith130()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals only; Windows Ctrl+C goes through the same cancellation token.
        }

        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var small = folder.Combine("small.jsonl");
        System.IO.File.WriteAllText(small, """{"id": "s1", "title": "Small", "abstract": "Committed before the big file."}""" + "\n");
        var big = folder.Combine("big.jsonl");
        using (var writer = new StreamWriter(big))
        {
            for (var i = 0; i < 400_000; i++)
            {
                writer.WriteLine($$"""{"id": "b{{i}}", "title": "Title {{i}}", "abstract": "Abstract {{i}} about a topic."}""");
            }
        }

        using (TopicKit.Storage.Workspace.Open(ws))
        {
        }

        using var child = Start("ingest", small, big, "-w", ws, "--json");
        var owner = Path.Combine(ws, "writer.owner");
        var childPid = child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var wait = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            // The child writes its pid when it takes the writer lock; the second acquisition is the big file.
            while (!(System.IO.File.Exists(owner) && System.IO.File.ReadAllText(owner).Trim() == childPid && ChildCommittedSmall(ws)))
            {
                await Task.Delay(20, wait.Token);
            }
        }

        await Task.Delay(300);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", childPid]))
        {
            await kill.WaitForExitAsync();
        }

        var run = await WaitAsync(child);

        Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.True(json.RootElement.GetProperty("cancelled").GetBoolean());
        Assert.Equal(["ingested", "cancelled"], json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("status").GetString()));
        using var workspace = TopicKit.Storage.Workspace.Open(ws);
        Assert.Equal(["s1"], workspace.Documents.List().Select(d => d.Id));
    }

    private static bool ChildCommittedSmall(string ws)
    {
        using var workspace = TopicKit.Storage.Workspace.Open(ws, new WorkspaceOptions(CreateIfMissing: false));
        return workspace.Documents.Count() == 1;
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");

        CliConventions.AssertUsageError(await RunAsync("ingest"), "topickit ingest", "Required argument missing");
        CliConventions.AssertUsageError(await RunAsync("ingest", SampleCorpus, "-w", ws, "--wait", "NaN"), "topickit ingest", "--wait must be a number from 0 to 86400");
        CliConventions.AssertUsageError(await RunAsync("ingest", SampleCorpus, "-w", ws, "--bogus"), "topickit ingest", "unknown option --bogus");
        var missing = await RunAsync("ingest", folder.Combine("none.jsonl"), "-w", ws);
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.All(missing.ErrorLines, l => Assert.StartsWith("topickit: error: ", l, StringComparison.Ordinal));
        System.IO.File.WriteAllText(folder.Combine("db-is-a-file"), "not a workspace");
        var unusable = await RunAsync("ingest", SampleCorpus, "-w", folder.Combine("db-is-a-file"));
        Assert.True(unusable.ExitCode is ExitCodes.WorkspaceUnusable or ExitCodes.BadInput, unusable.Stderr);
        Assert.All(unusable.ErrorLines, l => Assert.StartsWith("topickit: error: ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CsvColumnOptionsNameTheColumnsAndErrorsGiveAdviceTheCliCanFollow()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var csv = folder.Combine("papers.csv");
        System.IO.File.WriteAllText(csv, "key,heading,body\nk1,First paper,The first abstract.\nk2,Second paper,The second abstract.\n");

        var unmapped = await RunAsync("ingest", csv, "-w", ws);
        var mapped = await RunAsync("ingest", csv, "-w", ws, "--abstract-column", "body", "--title-column", "heading", "--id-column", "key", "--json");
        var crOnly = folder.Combine("mac.csv");
        System.IO.File.WriteAllText(crOnly, "title,abstract\rT1,A first abstract\rT2,A second abstract\r");
        var cr = await RunAsync("ingest", crOnly, "-w", ws);
        var huge = folder.Combine("huge.jsonl");
        System.IO.File.WriteAllText(huge, "{\"abstract\": \"" + string.Concat(Enumerable.Repeat("word ", 1000)) + "\"}\n");
        var small = await RunAsync("ingest", huge, "-w", ws, "--max-record-chars", "1024");

        Assert.Equal(ExitCodes.BadInput, unmapped.ExitCode);
        Assert.Contains("--abstract-column", unmapped.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("CsvColumnMap", unmapped.Stderr, StringComparison.Ordinal);
        Assert.True(mapped.ExitCode == 0, mapped.Stderr);
        using (var workspace = Workspace.Open(ws))
        {
            var documents = workspace.Documents.List();
            Assert.Equal(["k1", "k2"], documents.Select(d => d.Id));
            Assert.Equal(["First paper", "Second paper"], documents.Select(d => d.Title));
            Assert.Equal("The second abstract.", documents[1].Abstract);
        }

        Assert.Equal(ExitCodes.BadInput, cr.ExitCode);
        Assert.Contains("carriage return alone", cr.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("header:", cr.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, small.ExitCode);
        Assert.Contains("--max-record-chars", small.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("CorpusReadOptions", small.Stderr, StringComparison.Ordinal);
    }
}
