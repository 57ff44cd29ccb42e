using System.Globalization;
using System.Text.Json;
using TopicKit.Clustering;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Clustering;

/// <summary>Agreement with R dbscan::hdbscan 1.1.11 on the shared synthetic datasets.</summary>
public sealed class HdbscanOracleTests
{
    public static TheoryData<string> Datasets => new() { "moons2d", "blobs3d", "blobs10d" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void MatchesRDbscanLabelsProbabilitiesAndGlosh(string name)
    {
        var data = NpyFile.Read(SharedData.Path("oracles", "clustering", name + ".npy"));
        var minPts = ReadMinPts(name);
        var (rLabels, rProb, rOutlier) = ReadROutput(SharedData.Path("oracles", "clustering", name + ".hdbscan-r.csv"));
        Assert.Equal(data.Rows, rLabels.Length);

        var result = new Hdbscan(new HdbscanOptions { MinClusterSize = minPts, MinSamples = minPts, MaxClusterShare = 1 }).FitDetailed(data);

        // Labels equal up to renumbering: a bijection between R's ids (0 = noise) and ours (-1 = noise).
        var map = new Dictionary<int, int>();
        var reverse = new Dictionary<int, int>();
        var mismatches = 0;
        for (var i = 0; i < data.Rows; i++)
        {
            var r = rLabels[i] - 1;
            var ours = result.Labels[i];
            if ((r < 0) != (ours < 0))
            {
                mismatches++;
                continue;
            }

            if (r < 0)
            {
                continue;
            }

            if (!map.TryAdd(r, ours) && map[r] != ours)
            {
                mismatches++;
            }

            if (!reverse.TryAdd(ours, r) && reverse[ours] != r)
            {
                mismatches++;
            }
        }

        Assert.Equal(0, mismatches);
        Assert.Equal(rLabels.Max(), result.ClusterCount);
        Assert.Equal(1.0, AdjustedRandIndex(rLabels, [.. result.Labels]), 12);

        var worstProb = 0.0;
        var worstOutlier = 0.0;
        for (var i = 0; i < data.Rows; i++)
        {
            worstProb = Math.Max(worstProb, Math.Abs(rProb[i] - result.Probabilities[i]));
            worstOutlier = Math.Max(worstOutlier, Math.Abs(rOutlier[i] - result.OutlierScores[i]));
        }

        Assert.True(worstProb <= 1e-4, $"{name}: max |prob - R| = {worstProb}");
        Assert.True(worstOutlier <= 1e-4, $"{name}: max |GLOSH - R| = {worstOutlier}");
    }

    internal static int ReadMinPts(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Path("oracles", "clustering", "manifest.json")));
        var h = doc.RootElement.GetProperty(name).GetProperty("hdbscan");
        var minSamples = h.GetProperty("min_samples").GetInt32();
        Assert.Equal(minSamples, h.GetProperty("min_cluster_size").GetInt32());
        return minSamples;
    }

    internal static (int[] Labels, double[] Prob, double[] Outlier) ReadROutput(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal("\"label\",\"prob\",\"outlier\"", lines[0]);
        var n = lines.Length - 1;
        var labels = new int[n];
        var prob = new double[n];
        var outlier = new double[n];
        for (var i = 0; i < n; i++)
        {
            var parts = lines[i + 1].Split(',');
            labels[i] = int.Parse(parts[0], CultureInfo.InvariantCulture);
            prob[i] = double.Parse(parts[1], CultureInfo.InvariantCulture);
            outlier[i] = double.Parse(parts[2], CultureInfo.InvariantCulture);
        }

        return (labels, prob, outlier);
    }

    /// <summary>Hubert-Arabie adjusted Rand index from the contingency table.</summary>
    internal static double AdjustedRandIndex(int[] a, int[] b)
    {
        var n = a.Length;
        var table = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var cols = new Dictionary<int, long>();
        for (var i = 0; i < n; i++)
        {
            table[(a[i], b[i])] = table.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            cols[b[i]] = cols.GetValueOrDefault(b[i]) + 1;
        }

        static double Pairs(long x) => x * (x - 1) / 2.0;
        var index = table.Values.Sum(Pairs);
        var sumRows = rows.Values.Sum(Pairs);
        var sumCols = cols.Values.Sum(Pairs);
        var expected = sumRows * sumCols / Pairs(n);
        var max = (sumRows + sumCols) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }
}
