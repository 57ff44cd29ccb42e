using System.Globalization;
using System.Text;
using TopicKit.Numerics;

namespace TopicKit.Tests.Clustering;

/// <summary>Reading the <c>topickit cluster</c> CSV and writing small .npy inputs for the cluster command tests.</summary>
internal static class ClusterTestKit
{
    public sealed record LabelsCsv(string Header, int[] Index, int[] Labels, double[] Probabilities, double[] OutlierScores, string[] DocumentIds);

    public static LabelsCsv ReadLabels(string path)
    {
        var lines = File.ReadAllLines(path);
        var n = lines.Length - 1;
        var result = new LabelsCsv(lines[0], new int[n], new int[n], new double[n], new double[n], new string[n]);
        for (var i = 0; i < n; i++)
        {
            var fields = lines[i + 1].Split(',', 5);
            result.Index[i] = int.Parse(fields[0], CultureInfo.InvariantCulture);
            result.Labels[i] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            result.Probabilities[i] = double.Parse(fields[2], CultureInfo.InvariantCulture);
            result.OutlierScores[i] = double.Parse(fields[3], CultureInfo.InvariantCulture);
            result.DocumentIds[i] = fields.Length > 4 ? fields[4] : string.Empty;
        }

        return result;
    }

    /// <summary>Asserts that two labelings are the same partition up to renumbering, noise (-1 in both) kept apart.</summary>
    public static void AssertSamePartition(IReadOnlyList<int> expected, IReadOnlyList<int> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        var forward = new Dictionary<int, int>();
        var backward = new Dictionary<int, int>();
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True((expected[i] < 0) == (actual[i] < 0), $"row {i}: noise in one labeling only ({expected[i]} vs {actual[i]})");
            if (expected[i] < 0)
            {
                continue;
            }

            Assert.Equal(forward.TryAdd(expected[i], actual[i]) ? actual[i] : forward[expected[i]], actual[i]);
            Assert.Equal(backward.TryAdd(actual[i], expected[i]) ? expected[i] : backward[actual[i]], expected[i]);
        }
    }

    /// <summary>A seeded matrix of <paramref name="groups"/> well-separated Gaussian blobs, rows in group order.</summary>
    public static (Matrix Data, int[] Truth) Blobs(int groups, int perGroup, int dimension, int seed, float spread = 0.3f)
    {
        var random = new Random(seed);
        var data = new Matrix(groups * perGroup, dimension);
        var truth = new int[data.Rows];
        for (var g = 0; g < groups; g++)
        {
            for (var p = 0; p < perGroup; p++)
            {
                var row = data.Row((g * perGroup) + p);
                truth[(g * perGroup) + p] = g;
                for (var j = 0; j < dimension; j++)
                {
                    // Centres on different axes, 10 apart: far beyond the spread, and not collinear for cosine.
                    var centre = j == g % dimension ? 10f : 1f;
                    row[j] = centre + (spread * Gaussian(random));
                }
            }
        }

        return (data, truth);
    }

    /// <summary>Writes a .npy file with an arbitrary header dictionary and raw data bytes (to build damaged files).</summary>
    public static void WriteRawNpy(string path, string header, byte[] data)
    {
        var text = header;
        var total = 10 + text.Length + 1;
        text += new string(' ', (64 - (total % 64)) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        var length = (ushort)text.Length;
        stream.Write([(byte)(length & 0xFF), (byte)(length >> 8)]);
        stream.Write(Encoding.ASCII.GetBytes(text));
        stream.Write(data);
    }

    private static float Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
