using TopicKit.Numerics;
using TopicKit.Tests.Storage;
using static TopicKit.Tests.Clustering.ClusterTestKit;
using static TopicKit.Tests.Storage.WorkspaceTestKit;

namespace TopicKit.Cli.Tests;

// Ctrl+C (SIGINT) to a real topickit cluster process while it works.
public sealed partial class ClusterCommandTests
{
    [Fact]
    public async Task SigintDuringTheReductionExitsWith130AndWritesNothing()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals only; Windows Ctrl+C goes through the same cancellation token.
        }

        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        const int Rows = 3000;
        using (var workspace = TopicKit.Storage.Workspace.Open(ws))
        {
            await workspace.IngestAsync(Stream(Records("papers.jsonl", "p", Rows)));
        }

        var input = folder.Combine("vectors.npy");
        NpyFile.Write(input, Blobs(10, Rows / 10, 64, seed: 7, spread: 3f).Data);
        var output = folder.Combine("labels.csv");
        var before = Snapshot(ws);

        using var child = CliRunner.Start("cluster", "-w", ws, "--embeddings", input, "--out", output);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            // Signal once the child reports that UMAP started: the long stage, well before anything is written.
            string? line;
            while ((line = await child.StandardError.ReadLineAsync(timeout.Token)) is not null && !line.Contains("reducing", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        var run = await CliRunner.WaitAsync(child);

        Assert.Equal(130, run.ExitCode);
        Assert.Contains("cancelled; nothing was written", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(ws));
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
    }
}
