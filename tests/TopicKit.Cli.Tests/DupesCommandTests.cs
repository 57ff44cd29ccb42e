using System.Text.Json;
using TopicKit.Numerics;

namespace TopicKit.Cli.Tests;

public sealed class DupesCommandTests
{
    [Fact]
    public async Task SeedsGiveExactlyTheFourCrossPagePairs()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var seeds = Directory.GetFiles(SharedData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal).ToArray();
        var ingest = await CliRunner.RunAsync(["ingest", .. seeds, "--workspace", ws, "--json"]);
        Assert.Equal(0, ingest.ExitCode);
        var run = await CliRunner.RunAsync("dupes", "--workspace", ws, "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(4, groups.Count);
        foreach (var g in groups)
        {
            var pair = Assert.Single(g.GetProperty("pairs").EnumerateArray());
            Assert.Equal(2, g.GetProperty("ids").GetArrayLength());
            Assert.Contains("source", g.GetProperty("differing").EnumerateArray().Select(e => e.GetString()));
            Assert.True(pair.GetProperty("lexical").GetDouble() >= 0.5);
            Assert.Equal(JsonValueKind.Null, pair.GetProperty("semantic").ValueKind);
        }
    }

    [Fact]
    public async Task EmbeddingsFileReportsRowNumbersAndBadInputGetsClearErrors()
    {
        using var folder = new TempFolder();
        var x = new Matrix(5, 3);
        float[] rows = [1, 0, 0, 0.99f, 0.1f, 0, 0, 1, 0, 0, 0, 1, 0, 0.05f, 1];
        rows.CopyTo(x.Data, 0);
        var path = folder.Combine("x.npy");
        NpyFile.Write(path, x);
        var run = await CliRunner.RunAsync("dupes", "--embeddings", path, "--threshold", "0.95", "--json");
        Assert.Equal(0, run.ExitCode);
        using (var json = JsonDocument.Parse(run.Stdout))
        {
            var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToList();
            Assert.Equal(2, groups.Count);
            var p = groups[0].GetProperty("pairs")[0];
            Assert.Equal((0, 1), (p.GetProperty("a").GetInt32(), p.GetProperty("b").GetInt32()));
            Assert.Equal(JsonValueKind.Null, p.GetProperty("lexical").ValueKind);
        }

        var bad = await CliRunner.RunAsync("dupes", "--embeddings", path, "--threshold", "1.5");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("topickit: error: --threshold must be between 0 and 1", bad.Stderr, StringComparison.Ordinal);

        x[3, 1] = float.NaN;
        NpyFile.Write(path, x);
        var nan = await CliRunner.RunAsync("dupes", "--embeddings", path);
        Assert.Equal(1, nan.ExitCode);
        Assert.Contains("row 3 holds NaN", nan.Stderr, StringComparison.Ordinal);

        var lexicalOnMatrix = await CliRunner.RunAsync("dupes", "--embeddings", path, "--method", "lexical");
        Assert.Equal(1, lexicalOnMatrix.ExitCode);

        var missing = await CliRunner.RunAsync("dupes", "--workspace", folder.Combine("none"));
        Assert.Equal(4, missing.ExitCode);
    }

    [Fact]
    public async Task BothDropsSemanticOnlyPairsBelowTheContainmentFloorAndSaysSo()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var seeds = Directory.GetFiles(SharedData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(0, (await CliRunner.RunAsync(["ingest", .. seeds, "--workspace", ws])).ExitCode);
        var count = JsonDocument.Parse((await CliRunner.RunAsync("docs", "stats", "--workspace", ws, "--json")).Stdout).RootElement.GetProperty("documents").GetInt32();
        // Every row the same vector: every pair is semantic, and only the four cross-page reposts share their words.
        var x = new Matrix(count, 2);
        x.Data.AsSpan().Fill(1);
        var path = folder.Combine("same.npy");
        NpyFile.Write(path, x);

        var both = await CliRunner.RunAsync("dupes", "--workspace", ws, "--embeddings", path, "--method", "both", "--json");
        Assert.Equal(0, both.ExitCode);
        using (var json = JsonDocument.Parse(both.Stdout))
        {
            var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToList();
            Assert.Equal(4, groups.Count);
            Assert.All(groups, g => Assert.Single(g.GetProperty("pairs").EnumerateArray()));
        }

        var human = await CliRunner.RunAsync("dupes", "--workspace", ws, "--embeddings", path, "--method", "both");
        Assert.Contains($"{(count * (count - 1) / 2) - 4:N0} semantic-only pairs dropped (word containment < 0.85)", human.Stdout, StringComparison.Ordinal);

        var off = await CliRunner.RunAsync("dupes", "--workspace", ws, "--embeddings", path, "--method", "both", "--containment", "0", "--json");
        using (var json = JsonDocument.Parse(off.Stdout))
        {
            var group = Assert.Single(json.RootElement.GetProperty("groups").EnumerateArray());
            Assert.Equal(count, group.GetProperty("ids").GetArrayLength());
        }

        CliConventions.AssertUsageError(
            await CliRunner.RunAsync("dupes", "--workspace", ws, "--containment", "1.5"), "topickit dupes", "--containment must be between 0 and 1");
    }
}
