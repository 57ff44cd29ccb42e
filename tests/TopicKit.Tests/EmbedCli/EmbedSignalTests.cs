using System.Text.Json;
using TopicKit.Tests.Storage;

namespace TopicKit.Tests.EmbedCli;

/// <summary>Ctrl+C on a real <c>topickit embed</c> process: committed chunks stay, the store is consistent, a re-run resumes.</summary>
public sealed class EmbedSignalTests : IDisposable
{
    private const int Chunk = 16;
    private readonly EmbedCliKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task SigintKeepsWholeCommittedChunksAndTheRerunComputesOnlyTheRest()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals only; Windows Ctrl+C reaches the same cancellation token.
        }

        const int Count = 1500;
        var workspace = _kit.File("ws");
        await EmbedCliKit.IngestAsync(workspace, Enumerable.Range(0, Count).Select(i =>
            EmbedCliKit.Doc($"d{i}", $"Paper {i}", $"Abstract {i} about surface codes, qubits and decoders, variant {i * 7919 % 1000}.", i)));

        using var child = CliTestKit.Start("embed", "-w", workspace, "--model", EmbedCliKit.Model("tiny-bert"), "--commit-every", Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1", "--json");
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

        var run = await CliTestKit.WaitAsync(child);
        Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains("re-run", run.Stderr, StringComparison.Ordinal);
        var committed = Stored(workspace);
        Assert.InRange(committed, Chunk, Count - 1);
        Assert.Equal(0, committed % Chunk);

        var (code, stdout, stderr) = await EmbedCliKit.RunAsync("embed", "-w", workspace, "--model", EmbedCliKit.Model("tiny-bert"), "--json");
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
