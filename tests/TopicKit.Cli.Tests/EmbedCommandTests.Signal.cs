using System.Text.Json;
using TopicKit.Tests.Storage;
using TopicKit.Tests.Embedding;

namespace TopicKit.Cli.Tests;

// Ctrl+C on a real <c>topickit embed</c> process: committed chunks stay, the store is consistent, a re-run resumes.
public sealed partial class EmbedCommandTests
{
    private const int Chunk = 16;
    [Fact]
    public async Task SigintKeepsWholeCommittedChunksAndTheRerunComputesOnlyTheRest()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals only; Windows Ctrl+C reaches the same cancellation token.
        }

        const int Count = 1500;
        var workspace = _kit.File("ws");
        await EmbeddingTestKit.IngestAsync(workspace, Enumerable.Range(0, Count).Select(i =>
            EmbeddingTestKit.Doc($"d{i}", $"Paper {i}", $"Abstract {i} about surface codes, qubits and decoders, variant {i * 7919 % 1000}.", i)));

        using var child = CliRunner.Start("embed", "-w", workspace, "--model", EmbeddingTestKit.Model("tiny-bert"), "--commit-every", Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1", "--json");
        using (var wait = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (Stored(workspace) < Chunk)
            {
                await Task.Delay(20, wait.Token);
            }
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var run = await CliRunner.WaitAsync(child);
        Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains("re-run", run.Stderr, StringComparison.Ordinal);
        var committed = Stored(workspace);
        Assert.InRange(committed, Chunk, Count - 1);
        Assert.Equal(0, committed % Chunk);

        var (code, stdout, stderr) = await CliRunner.RunAsync("embed", "-w", workspace, "--model", EmbeddingTestKit.Model("tiny-bert"), "--json");
        Assert.True(code == 0, stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal(committed, summary.RootElement.GetProperty("cached").GetInt32());
        Assert.Equal(Count - committed, summary.RootElement.GetProperty("computed").GetInt32());
    }

    private static long Stored(string workspace)
    {
        using var w = TopicKit.Storage.Workspace.Open(workspace, new TopicKit.Storage.WorkspaceOptions(CreateIfMissing: false));
        return w.Embeddings.ListModels().SingleOrDefault()?.Count ?? 0;
    }
}
