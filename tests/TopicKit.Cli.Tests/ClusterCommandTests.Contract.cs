using System.Globalization;
using System.Text.Json;
using TopicKit.Numerics;
using TopicKit.Tests.Storage;
using static TopicKit.Tests.Clustering.ClusterTestKit;

namespace TopicKit.Cli.Tests;

// The script contract (CSV columns, JSON figures) against the shared oracles.
public sealed partial class ClusterCommandTests
{
    public static TheoryData<string> HdbscanDatasets => new() { "moons2d", "blobs3d" };

    [Theory]
    [MemberData(nameof(HdbscanDatasets))]
    public async Task HdbscanCsvMatchesRDbscanPartitionProbabilitiesAndGlosh(string name)
    {
        using var folder = new TempFolder();
        var input = SharedData.Path("oracles", "clustering", name + ".npy");
        var minPts = Manifest(name).GetProperty("hdbscan").GetProperty("min_cluster_size").GetInt32();
        var output = folder.Combine("labels.csv");

        var run = await CliRunner.RunAsync(
            "cluster", "--embeddings", input, "--algorithm", "hdbscan", "--min-cluster-size", Text(minPts), "--min-samples", Text(minPts),
            "--method", "eom", "--reduce", "none", "--out", output);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var csv = ReadLabels(output);
        Assert.Equal("index,label,probability,outlier_score", csv.Header);
        Assert.Equal(Enumerable.Range(0, csv.Index.Length), csv.Index);
        var oracle = File.ReadAllLines(SharedData.Path("oracles", "clustering", name + ".hdbscan-r.csv")).Skip(1)
            .Select(line => line.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(oracle.Length, csv.Labels.Length);
        AssertSamePartition(oracle.Select(r => (int)r[0] - 1).ToArray(), csv.Labels);
        for (var i = 0; i < oracle.Length; i++)
        {
            Assert.True(Math.Abs(oracle[i][1] - csv.Probabilities[i]) <= 1e-4, $"row {i}: probability {csv.Probabilities[i]} vs R {oracle[i][1]}");
            Assert.True(Math.Abs(oracle[i][2] - csv.OutlierScores[i]) <= 1e-4, $"row {i}: GLOSH {csv.OutlierScores[i]} vs R {oracle[i][2]}");
        }

        // The human summary names the clusters and the noise share.
        Assert.Contains("noise (-1)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KMeansJsonInertiaEqualsTheCsvLabelsAndMatchesScikitLearn()
    {
        using var folder = new TempFolder();
        var input = SharedData.Path("oracles", "clustering", "blobs3d.npy");
        var kmeans = Manifest("blobs3d").GetProperty("kmeans");
        var k = kmeans.GetProperty("k").GetInt32();
        var output = folder.Combine("labels.csv");

        var run = await CliRunner.RunAsync(
            "cluster", "--embeddings", input, "--algorithm", "kmeans", "--k", Text(k), "--n-init", Text(kmeans.GetProperty("n_init").GetInt32()),
            "--reduce", "none", "--out", output, "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var inertia = json.RootElement.GetProperty("inertia").GetDouble();
        Assert.True(json.RootElement.GetProperty("iterations").GetInt32() >= 1);
        Assert.Equal(k, json.RootElement.GetProperty("clusters").GetInt32());

        var data = NpyFile.Read(input);
        var csv = ReadLabels(output);
        Assert.Equal("index,label,probability,outlier_score", csv.Header);
        Assert.All(csv.Probabilities, p => Assert.Equal(1.0, p));
        var (recomputed, distances) = InertiaFromLabels(data, csv.Labels, k);
        Assert.True(Math.Abs(recomputed - inertia) <= 1e-5 * inertia, $"JSON inertia {inertia} vs recomputed {recomputed}");
        for (var i = 0; i < data.Rows; i++)
        {
            Assert.True(Math.Abs(distances[i] - csv.OutlierScores[i]) <= 1e-3 * Math.Max(1, distances[i]), $"row {i}: outlier score {csv.OutlierScores[i]} vs distance {distances[i]}");
        }

        var sklearn = kmeans.GetProperty("inertia").GetDouble();
        Assert.True(Math.Abs(inertia - sklearn) <= 0.005 * sklearn, $"inertia {inertia} vs scikit-learn {sklearn}");
        Assert.Equal(csv.Labels.Length, json.RootElement.GetProperty("sizes").EnumerateArray().Sum(s => s.GetInt32()));
    }

    [Fact]
    public async Task KRangeJsonListsEveryCandidateAndChoosesTheBestSilhouette()
    {
        using var folder = new TempFolder();
        var (data, truth) = Blobs(4, 40, 6, seed: 11);
        var input = folder.Combine("blobs.npy");
        NpyFile.Write(input, data);

        var run = await CliRunner.RunAsync("cluster", "--embeddings", input, "-a", "kmeans", "--k-range", "2..7", "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var candidates = json.RootElement.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4, 5, 6, 7], candidates.Select(c => c.GetProperty("k").GetInt32()));
        var best = candidates.MaxBy(c => c.GetProperty("silhouette").GetDouble());
        Assert.True(best.GetProperty("chosen").GetBoolean());
        Assert.Single(candidates, c => c.GetProperty("chosen").GetBoolean());
        // Four separated blobs: the silhouette peaks at the true k.
        Assert.Equal(4, json.RootElement.GetProperty("k").GetInt32());
        Assert.Equal(truth.Length, json.RootElement.GetProperty("sizes").EnumerateArray().Sum(s => s.GetInt32()));
    }

    [Fact]
    public async Task CosineKMeansOutlierScoreIsTheChordToTheNormalisedCentroid()
    {
        using var folder = new TempFolder();
        var (data, truth) = Blobs(3, 30, 5, seed: 12);
        var input = folder.Combine("blobs.npy");
        NpyFile.Write(input, data);
        var output = folder.Combine("labels.csv");

        var run = await CliRunner.RunAsync("cluster", "--embeddings", input, "-a", "kmeans", "--k", "3", "--metric", "cosine", "--out", output, "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("cosine", json.RootElement.GetProperty("metric").GetString());
        var csv = ReadLabels(output);
        AssertSamePartition(truth, csv.Labels);

        // Spherical k-means: rows and centroids on the unit sphere, the score is |x/|x| - c/|c||, c the mean of the unit rows.
        var unit = new double[data.Rows, data.Columns];
        var centroid = new double[3, data.Columns];
        for (var i = 0; i < data.Rows; i++)
        {
            var norm = Math.Sqrt(Enumerable.Range(0, data.Columns).Sum(j => (double)data[i, j] * data[i, j]));
            for (var j = 0; j < data.Columns; j++)
            {
                unit[i, j] = data[i, j] / norm;
                centroid[csv.Labels[i], j] += unit[i, j];
            }
        }

        var inertia = 0.0;
        for (var i = 0; i < data.Rows; i++)
        {
            var c = csv.Labels[i];
            var norm = Math.Sqrt(Enumerable.Range(0, data.Columns).Sum(j => centroid[c, j] * centroid[c, j]));
            var squared = Enumerable.Range(0, data.Columns).Sum(j => Math.Pow(unit[i, j] - (centroid[c, j] / norm), 2));
            inertia += squared;
            Assert.True(Math.Abs(Math.Sqrt(squared) - csv.OutlierScores[i]) <= 1e-4, $"row {i}: {csv.OutlierScores[i]} vs {Math.Sqrt(squared)}");
        }

        Assert.Equal(inertia, json.RootElement.GetProperty("inertia").GetDouble(), 4);
    }

    [Fact]
    public async Task HumanOutputShowsTheAutoKTableAndTheSummary()
    {
        using var folder = new TempFolder();
        var input = folder.Combine("blobs.npy");
        NpyFile.Write(input, Blobs(3, 30, 4, seed: 13).Data);

        var run = await CliRunner.RunAsync("cluster", "--embeddings", input, "-a", "kmeans", "--k-range", "2..5");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Choosing k by silhouette", run.Stdout, StringComparison.Ordinal);
        var chosen = Assert.Single(run.Stdout.Split('\n'), l => l.Contains("<= chosen", StringComparison.Ordinal));
        Assert.Contains("│ 3 ", chosen, StringComparison.Ordinal);
        Assert.Contains("Silhouette", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Inertia", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("noise (-1)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsAsAProcessAndWritesTheSameCsvAsInProcess()
    {
        using var folder = new TempFolder();
        var input = SharedData.Path("oracles", "clustering", "moons2d.npy");
        var inProcess = folder.Combine("a.csv");
        var child = folder.Combine("b.csv");
        string[] common = ["cluster", "--embeddings", input, "--algorithm", "hdbscan", "--min-cluster-size", "10", "--reduce", "none"];

        Assert.Equal(0, (await CliRunner.RunAsync([.. common, "--out", inProcess])).ExitCode);
        using var process = CliRunner.Start([.. common, "--out", child, "--json"]);
        var run = await CliRunner.WaitAsync(process);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(File.ReadAllText(inProcess), File.ReadAllText(child));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("clusters").GetInt32());
        // Progress goes to stderr, never into the JSON on stdout.
        Assert.Contains("hdbscan on 2200 x 2", run.Stderr, StringComparison.Ordinal);
    }

    private static (double Inertia, double[] Distances) InertiaFromLabels(Matrix data, int[] labels, int k)
    {
        var sums = new double[k, data.Columns];
        var counts = new int[k];
        for (var i = 0; i < data.Rows; i++)
        {
            counts[labels[i]]++;
            for (var j = 0; j < data.Columns; j++)
            {
                sums[labels[i], j] += data[i, j];
            }
        }

        var inertia = 0.0;
        var distances = new double[data.Rows];
        for (var i = 0; i < data.Rows; i++)
        {
            var squared = 0.0;
            for (var j = 0; j < data.Columns; j++)
            {
                var diff = data[i, j] - (sums[labels[i], j] / counts[labels[i]]);
                squared += diff * diff;
            }

            inertia += squared;
            distances[i] = Math.Sqrt(squared);
        }

        return (inertia, distances);
    }

    private static JsonElement Manifest(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedData.Path("oracles", "clustering", "manifest.json")));
        return document.RootElement.GetProperty(name).Clone();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
