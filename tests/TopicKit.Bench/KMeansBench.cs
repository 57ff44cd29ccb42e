using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Clustering;
using TopicKit.Clustering.Metrics;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>Times TopicKit k-means on a shared clustering dataset beside the peer figures in its manifest.</summary>
internal static class KMeansBench
{
    public const string Help =
        "[DATASET=sphere384] [--warmup 0|1] [--k K] [--n-init N] [--seed S] [--repeat R] [--threads T] [--algorithm auto|lloyd|hamerly] [--batch B] [--peer-python /usr/bin/python3]";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        var name = args.Positional(0) ?? "sphere384";
        var folder = SharedData.Path("oracles", "clustering");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var peer = manifest.RootElement.GetProperty(name).GetProperty("kmeans");
        var k = args.Int("k", peer.GetProperty("k").GetInt32());
        var nInit = args.Int("n-init", 1);
        var repeat = args.Int("repeat", 3);
        var algorithm = Enum.Parse<KMeansAlgorithm>(args.Get("algorithm") ?? "auto", ignoreCase: true);
        var options = new KMeansOptions
        {
            K = k,
            NInit = nInit,
            Seed = args.Int("seed", 0),
            MaxDegreeOfParallelism = args.Int("threads", -1),
            Algorithm = algorithm,
            MiniBatchSize = args.Int("batch", 0),
        };

        var load = Stopwatch.StartNew();
        var x = NpyFile.Read(Path.Combine(folder, name + ".npy"));
        var truth = MatrixCsv.Read(Path.Combine(folder, name + ".truth.csv")).Data.Select(v => (int)v).ToArray();
        Console.WriteLine($"{name}: {x.Rows} x {x.Columns}, loaded in {load.Elapsed.TotalSeconds:F3} s; k={k} n_init={nInit} algorithm={algorithm} batch={options.MiniBatchSize} threads={options.MaxDegreeOfParallelism}");

        if (args.Int("warmup", 1) > 0)
        {
            // One untimed fit so JIT tiering does not land in the first timed run.
            _ = new KMeans(options with { MaxIter = 2 }).FitModel(x);
        }

        var times = new List<double>();
        KMeansResult? result = null;
        for (var r = 0; r < repeat; r++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            result = new KMeans(options with { Seed = options.Seed + r }).FitModel(x);
            sw.Stop();
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            times.Add(sw.Elapsed.TotalSeconds);
            var ari = ExternalMetrics.AdjustedRandIndex(truth, result.Labels);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  run {r}: {sw.Elapsed.TotalSeconds:F3} s (cpu {cpuSeconds:F3} s)  inertia {result.Inertia:F2}  iterations {result.Iterations}  ARI {ari:F4}"));
        }

        times.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"TopicKit   median {times[times.Count / 2]:F3} s  best {times[0]:F3} s  (n_init={nInit})"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"peer       {peer.GetProperty("peer_seconds").GetDouble():F3} s  inertia {peer.GetProperty("inertia").GetDouble():F2}  ({peer.GetProperty("peer").GetString()}, n_init={peer.GetProperty("n_init").GetInt32()}, manifest)"));
        if (args.Get("peer-python") is { } python)
        {
            // Live peer figure on this machine: shared/bench/peer_cluster.py prints one JSON line.
            var script = SharedData.Path("bench", "peer_cluster.py");
            var info = new ProcessStartInfo(python)
            {
                RedirectStandardOutput = true,
                ArgumentList = { script, Path.Combine(folder, name + ".npy"), "kmeans", k.ToString(CultureInfo.InvariantCulture), nInit.ToString(CultureInfo.InvariantCulture), "--seed", options.Seed.ToString(CultureInfo.InvariantCulture) },
            };
            using var peerProcess = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {python}.");
            var line = peerProcess.StandardOutput.ReadToEnd().Trim();
            peerProcess.WaitForExit();
            Console.WriteLine($"peer live  {line}");
        }

        return result is null ? 1 : 0;
    }
}
