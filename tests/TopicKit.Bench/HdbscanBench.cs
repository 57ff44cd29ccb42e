using System.Diagnostics;
using System.Globalization;
using TopicKit.Clustering;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// Times HDBSCAN on a shared clustering dataset (minPts from manifest.json, labels checked against R's) or on
/// generated Gaussian blobs (<c>gen:N:D</c>, 50 centres in a 100-wide cube, sd 2, seed 42).
/// </summary>
internal static class HdbscanBench
{
    public const string Help = "[DATASET=blobs10d | gen:N:D] [--min-pts M] [--threads T] [--repeat R] [--algorithm auto|kdtreeboruvka|primdense]";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        var name = args.Positional(0) ?? "blobs10d";
        var threads = args.Int("threads", -1);
        var generated = name.StartsWith("gen:", StringComparison.Ordinal);
        var x = generated ? Generate(name) : NpyFile.Read(SharedData.Path("oracles", "clustering", name + ".npy"));
        var minPts = args.Get("min-pts") is not null ? args.Int("min-pts", 5) : generated ? 5 : ManifestMinPts(name);
        var algorithm = Enum.Parse<HdbscanAlgorithm>(args.Get("algorithm") ?? "auto", ignoreCase: true);
        var options = new HdbscanOptions { MinClusterSize = minPts, MinSamples = minPts, MaxClusterShare = 1, MaxDegreeOfParallelism = threads, Algorithm = algorithm };
        Console.WriteLine($"{name}: {x.Rows} x {x.Columns}; HDBSCAN minPts={minPts} algorithm={algorithm} threads={threads}");
        for (var r = 0; r < args.Int("repeat", 2); r++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var result = new Hdbscan(options).FitDetailed(x);
            sw.Stop();
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var noise = result.Labels.Count(l => l < 0);
            var agreement = generated || !File.Exists(SharedData.Path("oracles", "clustering", name + ".hdbscan-r.csv")) ? "" : " " + CompareWithR(name, result);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  run {r}: {sw.Elapsed.TotalSeconds:F3} s (cpu {cpuSeconds:F3} s)  {result.ClusterCount} clusters, {noise} noise, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MiB{agreement}"));
        }

        return 0;
    }

    private static Matrix Generate(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length != 3)
        {
            throw new ArgumentException($"Generated dataset '{spec}' must look like gen:N:D.");
        }

        var n = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var d = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var rng = new Random(42);
        var centres = new double[50 * d];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = rng.NextDouble() * 100;
        }

        var x = new Matrix(n, d);
        for (var i = 0; i < n; i++)
        {
            var c = rng.Next(50);
            for (var j = 0; j < d; j++)
            {
                var u1 = 1 - rng.NextDouble();
                var u2 = rng.NextDouble();
                x[i, j] = (float)(centres[(c * d) + j] + (2 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
            }
        }

        return x;
    }

    private static int ManifestMinPts(string name)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SharedData.Path("oracles", "clustering", "manifest.json")));
        return doc.RootElement.GetProperty(name).GetProperty("hdbscan").GetProperty("min_samples").GetInt32();
    }

    /// <summary>Counts points whose label disagrees with R's under the best one-to-one renumbering.</summary>
    private static string CompareWithR(string name, HdbscanResult result)
    {
        var lines = File.ReadAllLines(SharedData.Path("oracles", "clustering", name + ".hdbscan-r.csv"));
        var votes = new Dictionary<(int R, int Ours), int>();
        for (var i = 1; i < lines.Length; i++)
        {
            var r = int.Parse(lines[i].Split(',')[0], CultureInfo.InvariantCulture) - 1;
            var key = (r, result.Labels[i - 1]);
            votes[key] = votes.GetValueOrDefault(key) + 1;
        }

        var agree = votes.GroupBy(v => v.Key.R).Sum(g => g.Max(v => v.Value));
        return $"labels agreeing with R: {agree}/{lines.Length - 1}";
    }
}
