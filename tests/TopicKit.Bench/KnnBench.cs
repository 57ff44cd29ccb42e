using System.Diagnostics;
using System.Globalization;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>Times exact all-pairs kNN (self excluded) on a shared clustering dataset.</summary>
internal static class KnnBench
{
    public const string Help = "[DATASET=blobs10d] [--k 25] [--metric euclidean|cosine] [--threads T] [--repeat R]";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        var name = args.Positional(0) ?? "blobs10d";
        var k = args.Int("k", 25);
        var threads = args.Int("threads", -1);
        var metric = Enum.Parse<DistanceMetric>(args.Get("metric") ?? "euclidean", ignoreCase: true);
        var x = NpyFile.Read(SharedData.Path("oracles", "clustering", name + ".npy"));
        Console.WriteLine($"{name}: {x.Rows} x {x.Columns}; exact self-kNN k={k} metric={metric} threads={threads}");
        for (var r = 0; r < args.Int("repeat", 2); r++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var result = ExactKnn.SearchSelf(x, k, metric, threads);
            sw.Stop();
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  run {r}: {sw.Elapsed.TotalSeconds:F3} s (cpu {cpuSeconds:F3} s)  mean k-th distance {Enumerable.Range(0, result.Rows).Average(i => result.DistancesOf(i)[k - 1]):F4}"));
        }

        return 0;
    }
}
