using System.Text.Json;

namespace TopicKit.Cli.Tests;

public sealed class SearchCommandTests
{
    [Fact]
    public async Task SearchAndSimilarRankTheWorkspaceAndReportBadInput()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        var seeds = Directory.GetFiles(SharedData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(0, (await CliRunner.RunAsync(["ingest", .. seeds, "--workspace", ws])).ExitCode);

        // No vectors yet: search falls back to BM25 with a notice; similar and semantic dupes need vectors.
        var lexical = await CliRunner.RunAsync("search", "speech recognition", "--workspace", ws, "-k", "3", "--json");
        Assert.Equal(0, lexical.ExitCode);
        Assert.Contains("notice", lexical.Stderr, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(lexical.Stdout))
        {
            var hits = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(3, hits.Count);
            Assert.Contains("Speech Recognition", hits[0].GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.True(hits[0].GetProperty("score").GetDouble() >= hits[1].GetProperty("score").GetDouble());
        }

        Assert.Equal(1, (await CliRunner.RunAsync("dupes", "--workspace", ws, "--method", "semantic")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("embed", "--workspace", ws, "--model", "lexical")).ExitCode);

        // A query equal to a document's embedded text finds that document (or its exact duplicate) at cosine 1.
        var docs = await CliRunner.RunAsync("docs", "list", "--workspace", ws, "--json");
        using var list = JsonDocument.Parse(docs.Stdout);
        var first = list.RootElement[10];
        var text = first.GetProperty("title").GetString() + ". " + first.GetProperty("abstract").GetString();
        var semantic = await CliRunner.RunAsync("search", text, "--workspace", ws, "-k", "2", "--mode", "semantic", "--json");
        Assert.Equal(0, semantic.ExitCode);
        using (var json = JsonDocument.Parse(semantic.Stdout))
        {
            Assert.Equal(1.0, json.RootElement[0].GetProperty("score").GetDouble(), 4);
        }

        var id = first.GetProperty("id").GetString()!;
        var similar = await CliRunner.RunAsync("similar", id, "--workspace", ws, "-k", "5", "--json");
        Assert.Equal(0, similar.ExitCode);
        using (var json = JsonDocument.Parse(similar.Stdout))
        {
            Assert.Equal(5, json.RootElement.GetArrayLength());
            Assert.DoesNotContain(json.RootElement.EnumerateArray(), h => h.GetProperty("id").GetString() == id);
        }

        var hybrid = await CliRunner.RunAsync("search", "neural network", "--workspace", ws, "--mode", "hybrid", "--json");
        Assert.Equal(0, hybrid.ExitCode);

        var unknown = await CliRunner.RunAsync("similar", "no-such-id", "--workspace", ws);
        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("topickit: error: no document 'no-such-id'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAsync("search", "x", "--workspace", ws, "-k", "0")).ExitCode);
    }
}
