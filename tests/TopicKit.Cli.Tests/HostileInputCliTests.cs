using System.Diagnostics;
using System.Text.Json;
using TopicKit.Numerics;
using static TopicKit.Cli.Tests.CliRunner;

namespace TopicKit.Cli.Tests;

/// <summary>The hostile-input cases of issue 9 through the <c>topickit</c> command line.</summary>
public sealed class HostileInputCliTests
{
    private const string Good = "{\"id\": \"g1\", \"abstract\": \"a good record\"}\n{\"id\": \"g2\", \"abstract\": \"another good one\"}\n";
    private const string LoneSurrogate = "{\"id\": \"s1\", \"abstract\": \"fine\"}\n{\"id\": \"s2\", \"abstract\": \"x \\ud800 y\"}\n";

    [Theory]
    [InlineData("ingest")]
    [InlineData("run")]
    public async Task ALoneSurrogateFailsItsFileOnlyWithExitOneNamingTheLine(string command)
    {
        using var folder = new TempFolder();
        var bad = Write(folder, "bad.jsonl", LoneSurrogate);
        var good = Write(folder, "good.jsonl", Good);
        var ws = folder.Combine("ws");

        var run = await RunAsync(command, bad, good, "-w", ws, "--json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var report = command == "run" ? json.RootElement.GetProperty("ingest") : json.RootElement;
        var files = report.GetProperty("files").EnumerateArray().ToArray();
        Assert.Equal("failed", files[0].GetProperty("status").GetString());
        Assert.Contains("bad.jsonl, line 2", files[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("ingested", files[1].GetProperty("status").GetString());
        Assert.Equal(2, report.GetProperty("documents").GetInt32());
        Assert.Contains("topickit: error: ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIdRepeatedInOneFileIsListedInRenamed()
    {
        using var folder = new TempFolder();
        var file = Write(folder, "repeat.jsonl", "{\"id\": \"p1\", \"abstract\": \"one\"}\n{\"id\": \"p1\", \"abstract\": \"two\"}\n");

        var run = await RunAsync("ingest", file, "-w", folder.Combine("ws"), "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var renamed = Assert.Single(json.RootElement.GetProperty("files")[0].GetProperty("renamed").EnumerateArray());
        Assert.Equal(("p1", "p1~2", 1), (renamed.GetProperty("from").GetString(), renamed.GetProperty("to").GetString(), renamed.GetProperty("position").GetInt32()));
    }

    [Fact]
    public async Task StandardInputIsReadWithDashAndFormat()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "TopicKit.Cli.dll"), "ingest", "-", "--format", "jsonl", "-w", ws, "--json" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(File.ReadAllText(SampleCorpus));
        process.StandardInput.Close();
        var run = await WaitAsync(process);

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var expected = File.ReadLines(SampleCorpus).Count(l => l.Trim().Length > 0);
        Assert.Equal(expected, json.RootElement.GetProperty("added").GetInt32());

        var noFormat = await RunAsync("ingest", "-", "-w", ws);
        Assert.Equal(2, noFormat.ExitCode);
        Assert.Contains("--format", noFormat.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFifoFailsAtOnceAndReleasesTheWriterLock()
    {
        using var folder = new TempFolder();
        var fifo = folder.Combine("pipe.jsonl");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var good = Write(folder, "good.jsonl", Good);
        var ws = folder.Combine("ws");

        var run = await RunAsync("ingest", fifo, good, "-w", ws, "--json", "--format", "jsonl").WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a regular file", run.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("documents").GetInt32());
        // The lock is free: a second writer with no patience succeeds.
        Assert.Equal(0, (await RunAsync("ingest", good, "-w", ws, "--wait", "0")).ExitCode);
    }

    [Fact]
    public async Task ExportRefusesIdsOnTheMatrixAndWritesNothingWhenTheIdsPathIsBad()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        Assert.Equal(0, (await RunAsync("ingest", SampleCorpus, "-w", ws)).ExitCode);
        Assert.Equal(0, (await RunAsync("embed", "--model", "lexical", "--dim", "8", "-w", ws)).ExitCode);
        var matrix = folder.Combine("x.npy");

        var same = await RunAsync("embeddings", "export", "-w", ws, "--format", "npy", "--out", matrix, "--ids", matrix);
        Assert.Equal(2, same.ExitCode);
        Assert.StartsWith("topickit: error: --ids and --out", same.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(matrix));

        var badIds = await RunAsync("embeddings", "export", "-w", ws, "--format", "npy", "--out", matrix, "--ids", folder.Combine("missing/ids.txt"));
        Assert.Equal(1, badIds.ExitCode);
        Assert.Equal([Path.Combine(folder.Path, "ws")], Directory.GetFileSystemEntries(folder.Path));

        var ok = await RunAsync("embeddings", "export", "-w", ws, "--format", "npy", "--out", matrix);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(77, NpyFile.Read(matrix).Rows);
    }

    [Fact]
    public async Task ALexicalDimensionAboveWhatTheCorpusSupportsIsCappedWithANotice()
    {
        using var folder = new TempFolder();
        var input = Write(folder, "texts.jsonl", string.Join('\n',
            "{\"text\": \"graph neural networks for molecules\"}",
            "{\"text\": \"graph networks for proteins and molecules\"}",
            "{\"text\": \"speech recognition with neural networks\"}",
            "{\"text\": \"speech synthesis for proteins\"}") + "\n");
        var output = folder.Combine("v.npy");

        var run = await RunAsync("encode", "--model", "lexical", "--input", input, "--out", output, "--dim", "3000");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var vectors = NpyFile.Read(output);
        Assert.Equal(4, vectors.Rows);
        Assert.InRange(vectors.Columns, 1, 4);
        Assert.Contains($"the lexical encoder has {vectors.Columns} dimensions, not the 3000 asked for", run.Stderr, StringComparison.Ordinal);
    }

    private static string Write(TempFolder folder, string name, string content)
    {
        var path = folder.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
