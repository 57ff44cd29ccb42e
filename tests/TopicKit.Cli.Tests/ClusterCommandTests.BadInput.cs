using System.Text.Json;
using TopicKit.Numerics;
using TopicKit.Tests.Storage;
using static TopicKit.Tests.Clustering.ClusterTestKit;

namespace TopicKit.Cli.Tests;

// Bad or degenerate input: one-line errors with exit code 1 (2 for values outside an option's range), or well-defined results.
public sealed partial class ClusterCommandTests
{
    [Theory]
    [InlineData("kmeans", "--k", "41", "--k 41 is larger than the 40 points")]
    [InlineData("kmeans", "--k-range", "2..40", "--k-range 2..40 goes beyond N - 1 = 39")]
    [InlineData("kmeans", "--k-range", "1..5", "starts below 2")]
    [InlineData("hdbscan", "--min-cluster-size", "41", "--min-cluster-size 41 is larger than the 40 points")]
    [InlineData("hdbscan", "--min-samples", "50", "--min-samples must be between 1 and the 40 points")]
    public async Task OptionsThatDoNotFitTheDataFailWithOneLine(string algorithm, string option, string value, string message)
    {
        var input = Write("ok.npy", Blobs(2, 20, 3, seed: 1).Data);

        string[] args = ["cluster", "--embeddings", input, "-a", algorithm, option, value];
        var run = await CliRunner.RunAsync(option == "--reduce" ? args : [.. args, "--reduce", "none"]);

        AssertOneLineError(run, message);
    }

    [Theory]
    [InlineData("kmeans", "--k-range", "five", "--k-range 'five' is not a range")]
    [InlineData("hdbscan", "--min-cluster-size", "1", "--min-cluster-size must be a whole number >= 2, got '1'")]
    [InlineData("hdbscan", "--min-cluster-size", "0", "--min-cluster-size must be a whole number >= 2, got '0'")]
    [InlineData("kmeans", "--k", "0", "--k must be a whole number >= 1, got '0'")]
    [InlineData("kmeans", "--k", "two", "--k must be a whole number >= 1, got 'two'")]
    [InlineData("kmeans", "--n-init", "0", "--n-init must be a whole number >= 1, got '0'")]
    [InlineData("hdbscan", "--min-samples", "0", "--min-samples must be a whole number >= 1, got '0'")]
    [InlineData("hdbscan", "--k", "3", "--k, --k-range and --n-init apply to --algorithm kmeans only")]
    [InlineData("kmeans", "--min-cluster-size", "5", "apply to --algorithm hdbscan only")]
    [InlineData("hdbscan", "--reduce", "tsne:2", "--reduce 'tsne:2' is not understood")]
    [InlineData("hdbscan", "--reduce", "umap:0", "must be a whole number >= 1")]
    [InlineData("hdbscan", "--wait", "NaN", "--wait must be a number from 0 to 86400, got 'NaN'")]
    [InlineData("hdbscan", "--wait", "1e308", "--wait must be a number from 0 to 86400, got '1e308'")]
    [InlineData("hdbscan", "--min-dist", "-1", "--min-dist must be a number from 0 to 100, got '-1'")]
    public async Task OptionsOutsideTheirRangeAreUsageErrors(string algorithm, string option, string value, string message)
    {
        var input = Write("ok.npy", Blobs(2, 20, 3, seed: 1).Data);

        var run = await CliRunner.RunAsync("cluster", "--embeddings", input, "-a", algorithm, option, value);

        CliConventions.AssertUsageError(run, "topickit cluster", message);
    }

    [Fact]
    public async Task NonFiniteValuesAreNamedByRowAndColumn()
    {
        var data = Blobs(2, 20, 3, seed: 2).Data;
        data[5, 1] = float.NaN;
        var nan = Write("nan.npy", data);
        data[5, 1] = 0;
        data[7, 2] = float.PositiveInfinity;
        var inf = Write("inf.npy", data);

        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", nan, "-a", "kmeans", "--k", "2"), "nan.npy: row 5, column 1 holds NaN");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", inf, "--reduce", "none"), "inf.npy: row 7, column 2 holds");
    }

    [Fact]
    public async Task DamagedOrMissingFilesFailWithOneLine()
    {
        var good = Write("good.npy", Blobs(2, 20, 3, seed: 3).Data);
        var bytes = File.ReadAllBytes(good);
        var truncated = _folder.Combine("truncated.npy");
        File.WriteAllBytes(truncated, bytes[..^20]);
        var longer = _folder.Combine("longer.npy");
        File.WriteAllBytes(longer, [.. bytes, .. new byte[12]]);
        var cube = _folder.Combine("cube.npy");
        WriteRawNpy(cube, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }", new byte[96]);
        var text = _folder.Combine("garbage.npy");
        File.WriteAllText(text, "index,label\n1,2\n");
        var ragged = _folder.Combine("ragged.csv");
        File.WriteAllText(ragged, "1,2,3\n4,5\n");

        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", truncated, "-a", "kmeans", "--k", "2"), "the file is truncated");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", longer, "-a", "kmeans", "--k", "2"), "not a single C-order array");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", cube, "-a", "kmeans", "--k", "2"), "3 dimensions");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", text, "-a", "kmeans", "--k", "2"), "garbage.npy");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", ragged, "-a", "kmeans", "--k", "2"), "ragged.csv");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", _folder.Combine("missing.npy"), "-a", "kmeans", "--k", "2"), "missing.npy: file not found");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", _folder.Combine("x.txt"), "-a", "kmeans", "--k", "2"), "use a .npy or .csv file");
    }

    [Fact]
    public async Task NoRowsFailsAndOneRowIsWellDefinedForKMeans()
    {
        var empty = Write("empty.npy", new Matrix(0, 4));
        var one = Write("one.npy", new Matrix([1f, 2f, 3f, 4f], 1, 4));
        var output = _folder.Combine("one.csv");

        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", empty, "-a", "kmeans", "--k", "1"), "the input matrix has no rows");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", empty), "the input matrix has no rows");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", one), "--min-cluster-size 10 is larger than the 1 points");

        var run = await CliRunner.RunAsync("cluster", "--embeddings", one, "-a", "kmeans", "--k", "1", "--out", output, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["index,label,probability,outlier_score", "0,0,1,0"], File.ReadAllLines(output));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(0.0, json.RootElement.GetProperty("inertia").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("silhouette").ValueKind);
    }

    [Fact]
    public async Task IdenticalPointsGiveWellDefinedResults()
    {
        var data = new Matrix(30, 4);
        Array.Fill(data.Data, 0.5f);
        var same = Write("same.npy", data);
        var kmeansCsv = _folder.Combine("kmeans.csv");
        var hdbscanCsv = _folder.Combine("hdbscan.csv");

        var kmeans = await CliRunner.RunAsync("cluster", "--embeddings", same, "-a", "kmeans", "--k", "3", "--out", kmeansCsv, "--json");
        var hdbscan = await CliRunner.RunAsync("cluster", "--embeddings", same, "--min-cluster-size", "5", "--reduce", "none", "--out", hdbscanCsv, "--json");

        Assert.True(kmeans.ExitCode == 0, kmeans.Stderr);
        var labels = ReadLabels(kmeansCsv);
        // All points coincide: every one joins the lowest-index centroid at distance 0; the silhouette is undefined.
        Assert.All(labels.Labels, l => Assert.Equal(0, l));
        Assert.All(labels.OutlierScores, d => Assert.Equal(0.0, d));
        using (var json = JsonDocument.Parse(kmeans.Stdout))
        {
            Assert.Equal(0.0, json.RootElement.GetProperty("inertia").GetDouble());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("silhouette").ValueKind);
            // k = 3 was asked for, but only the one non-empty cluster is reported.
            Assert.Equal(3, json.RootElement.GetProperty("k").GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("clusters").GetInt32());
        }

        // The summary counts the non-empty clusters, so the count and the silhouette's reason for n/a agree.
        var human = await CliRunner.RunAsync("cluster", "--embeddings", same, "-a", "kmeans", "--k", "3");
        Assert.Contains("1 non-empty (2 of the 3 requested are empty)", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("n/a (fewer than 2 non-empty clusters)", human.Stdout, StringComparison.Ordinal);

        Assert.True(hdbscan.ExitCode == 0, hdbscan.Stderr);
        var density = ReadLabels(hdbscanCsv);
        Assert.Equal(30, density.Labels.Length);
        // One density level everywhere: nothing splits off the root, which is not selectable as a cluster, so all is noise.
        Assert.All(density.Labels, l => Assert.Equal(-1, l));
    }

    [Fact]
    public async Task WrongDimensionForTheReductionIsSkippedOrRejected()
    {
        var input = Write("few.npy", Blobs(2, 3, 8, seed: 4).Data);

        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", input, "--min-cluster-size", "2"), "--reduce umap:5 needs more than 6 rows");
        AssertOneLineError(await CliRunner.RunAsync("cluster", "--embeddings", input, "-a", "kmeans", "--k", "2", "--reduce", "pca:7"), "--reduce pca:7 needs at least 7 rows");

        // Reducing 8 columns to 8 or more is skipped, and the JSON says so.
        var run = await CliRunner.RunAsync("cluster", "--embeddings", input, "-a", "kmeans", "--k", "2", "--reduce", "umap:12", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("umap:12", json.RootElement.GetProperty("reduce_requested").GetString());
        Assert.Equal("none", json.RootElement.GetProperty("reduce").GetString());
    }

    private string Write(string name, Matrix data)
    {
        var path = _folder.Combine(name);
        NpyFile.Write(path, data);
        return path;
    }

    private static void AssertOneLineError(CliRun run, string message)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        var errors = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("topickit cluster [", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(errors);
        Assert.StartsWith("topickit: error: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }
}
