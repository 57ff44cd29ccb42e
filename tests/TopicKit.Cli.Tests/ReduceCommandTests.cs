using TopicKit.Cli.Commands;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Reduction;
using TopicKit.Tests.Reduction;

namespace TopicKit.Cli.Tests;

public sealed class ReduceCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("topickit-reduce-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task UmapWritesTheSameMatrixAsTheLibrary()
    {
        var data = UmapTests.Dataset("blobs10d", 30);
        var input = Path.Combine(_folder, "x.npy");
        var output = Path.Combine(_folder, "y.npy");
        NpyFile.Write(input, data);
        var code = (await CliRunner.RunAsync(["reduce", "--embeddings", input, "--method", "umap", "--components", "3", "--neighbors", "10",
            "--metric", "euclidean", "--min-dist", "0.2", "--seed", "4", "--out", output, "--json"])).ExitCode;
        Assert.Equal(0, code);
        var written = NpyFile.Read(output);
        var expected = new Umap(new UmapOptions { NComponents = 3, NNeighbors = 10, Metric = DistanceMetric.Euclidean, MinDist = 0.2, Seed = 4 }).Fit(data).Embedding;
        Assert.Equal((data.Rows, 3), (written.Rows, written.Columns));
        Assert.Equal(expected.Data, written.Data);
    }

    [Fact]
    public async Task PcaWritesTheProjection()
    {
        // The 2-D hand case of PcaTests: the first coordinate of (2, 2) is 2 sqrt 2.
        var input = Path.Combine(_folder, "x.npy");
        var output = Path.Combine(_folder, "y.npy");
        NpyFile.Write(input, new Matrix([2, 2, -2, -2, 1, -1, -1, 1], 4, 2));
        Assert.Equal(0, (await CliRunner.RunAsync(["reduce", "--embeddings", input, "--method", "pca", "--components", "1", "--out", output])).ExitCode);
        var written = NpyFile.Read(output);
        Assert.Equal((4, 1), (written.Rows, written.Columns));
        Assert.Equal(2 * MathF.Sqrt(2), written[0, 0], 5);
    }

    [Fact]
    public async Task CancelledRunWritesNothingAndExits130()
    {
        var input = Path.Combine(_folder, "x.npy");
        var output = Path.Combine(_folder, "y.npy");
        NpyFile.Write(input, UmapTests.Dataset("blobs10d", 30));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var run = await CliRunner.RunAsync(cancelled.Token, ["reduce", "--embeddings", input, "--method", "umap", "--components", "2", "--out", output]);
        Assert.Equal(130, run.ExitCode);
        Assert.Contains("cancelled; no output was written", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task FailsCleanlyOnMissingInputOrBadMethod()
    {
        var output = Path.Combine(_folder, "y.npy");
        Assert.NotEqual(0, (await CliRunner.RunAsync(["reduce", "--embeddings", Path.Combine(_folder, "missing.npy"), "--out", output])).ExitCode);
        Assert.NotEqual(0, (await CliRunner.RunAsync(["reduce", "--embeddings", output, "--method", "tsne", "--out", output])).ExitCode);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task FailuresFollowTheErrorConventionAndLeaveNoPartialFile()
    {
        var input = Path.Combine(_folder, "x.npy");
        NpyFile.Write(input, new Matrix([2, 2, -2, -2, 1, -1, -1, 1], 4, 2));
        var folderAsOut = Directory.CreateDirectory(Path.Combine(_folder, "out")).FullName;

        CliConventions.AssertUsageError(
            await CliRunner.RunAsync("reduce", "--embeddings", input, "--components", "0", "--out", Path.Combine(_folder, "y.npy")), "topickit reduce", "--components must be a whole number >= 1");
        CliConventions.AssertError(
            await CliRunner.RunAsync("reduce", "--embeddings", input, "--method", "pca", "--components", "1", "--out", folderAsOut), ExitCodes.BadInput, "is a folder");
        CliConventions.AssertError(
            await CliRunner.RunAsync("reduce", "--embeddings", input, "--method", "pca", "--components", "3", "--out", Path.Combine(_folder, "y.npy")), ExitCodes.BadInput, "at most 2 components");

        Assert.Empty(Directory.EnumerateFiles(_folder, "*.partial", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(_folder, "y.npy")));
    }
}
