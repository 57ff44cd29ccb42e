using System.Diagnostics;
using System.Globalization;
using TopicKit.Clustering;
using TopicKit.Clustering.Metrics;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using TopicKit.Reduction;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// The default clustering on the 2,000 arXiv papers, per encoder and seed: V-measure against the archives, cluster
/// count, largest cluster's share and noise share, for the pipeline's defaults and for HDBSCAN variants on the same UMAP
/// layouts; optionally beside the peer chain (umap-learn 5-D cosine, then R dbscan::hdbscan) on the same vectors.
/// </summary>
internal static class DefaultsBench
{
    public const string Help = "[--encoders lexical,use-lite,VECTORS.npy] [--seeds 0,1,2,3,4,42] [--cache DIR] [--variants \"name:mcs=10,ms=5,method=leaf,cap=0.5;...\"] [--save-layouts DIR] [--peer] [--python P]";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        var encoders = (args.Get("encoders") ?? "lexical,use-lite").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var seeds = (args.Get("seeds") ?? "0,1,2,3,4,42").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var cache = args.Get("cache") ?? Path.Combine(Path.GetTempPath(), "topickit-defaults-bench");
        var layouts = args.Get("save-layouts");
        Directory.CreateDirectory(cache);
        var variants = ParseVariants(args.Get("variants"));
        var truth = ArxivSet.ArchiveLabels;
        Console.WriteLine(Invariant($"load average {MachineLoad.LoadAverage():F2}; {truth.Length} papers, {truth.Distinct().Count()} archives"));
        foreach (var encoder in encoders)
        {
            var vectors = Vectors(encoder, cache);
            Console.WriteLine(Invariant($"\n## {encoder}: {vectors.Rows} x {vectors.Columns}"));
            Console.WriteLine("| variant | seed | clusters | largest share | noise share | V-measure | seconds |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            var summary = new Dictionary<string, List<(double V, double Largest)>>(StringComparer.Ordinal);
            foreach (var seed in seeds)
            {
                var watch = Stopwatch.StartNew();
                var pipeline = ClusteringPipeline.Run(vectors, new ClusteringPipelineOptions { Seed = seed });
                Print("defaults", seed, pipeline.Assignment.Labels, truth, watch.Elapsed.TotalSeconds, summary);
                if (variants.Count == 0 && layouts is null)
                {
                    continue;
                }

                watch.Restart();
                var layout = new Umap(new UmapOptions
                {
                    NComponents = ReductionSpec.DefaultUmapComponents,
                    NNeighbors = 15,
                    MinDist = 0,
                    Metric = DistanceMetric.Cosine,
                    Seed = seed,
                }).Fit(vectors).Embedding;
                var umapSeconds = watch.Elapsed.TotalSeconds;
                if (layouts is not null)
                {
                    Directory.CreateDirectory(layouts);
                    NpyFile.Write(Path.Combine(layouts, Invariant($"{encoder}-seed{seed}.npy")), layout);
                }

                foreach (var (name, options) in variants)
                {
                    watch.Restart();
                    var labels = new Hdbscan(options).FitDetailed(layout).Labels;
                    Print(name, seed, labels, truth, umapSeconds + watch.Elapsed.TotalSeconds, summary);
                }
            }

            Console.WriteLine("\n| variant | mean V | min V | worst largest share |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, rows) in summary)
            {
                Console.WriteLine(Invariant($"| {name} | {rows.Average(r => r.V):F3} | {rows.Min(r => r.V):F3} | {rows.Max(r => r.Largest):P1} |"));
            }

            if (args.Has("peer"))
            {
                RunPeer(args.Get("python") ?? "/usr/bin/python3", encoder.EndsWith(".npy", StringComparison.Ordinal) ? encoder : Path.Combine(cache, encoder + ".npy"), seeds);
            }
        }

        return 0;
    }

    private static Matrix Vectors(string encoder, string cache)
    {
        var path = encoder.EndsWith(".npy", StringComparison.Ordinal) ? encoder : Path.Combine(cache, encoder + ".npy");
        if (File.Exists(path))
        {
            return NpyFile.Read(path);
        }

        var watch = Stopwatch.StartNew();
        var vectors = encoder switch
        {
            "lexical" => ArxivSet.Lexical(),
            "use-lite" => ArxivSet.UseLite(),
            _ => throw new ArgumentException($"unknown encoder '{encoder}'; use lexical or use-lite"),
        };
        Console.WriteLine(Invariant($"encoded with {encoder} in {watch.Elapsed.TotalSeconds:F1} s (load {MachineLoad.LoadAverage():F2}), cached at {path}"));
        NpyFile.Write(path, vectors);
        return vectors;
    }

    private static void Print(string name, int seed, IReadOnlyList<int> labels, int[] truth, double seconds, Dictionary<string, List<(double V, double Largest)>> summary)
    {
        var predicted = labels.ToArray();
        var v = ExternalMetrics.VMeasure(truth, predicted).VMeasure;
        var sizes = predicted.Where(l => l >= 0).GroupBy(l => l).Select(g => g.Count()).ToArray();
        var largest = sizes.Length == 0 ? 0 : sizes.Max() / (double)predicted.Length;
        var noise = predicted.Count(l => l < 0) / (double)predicted.Length;
        Console.WriteLine(Invariant($"| {name} | {seed} | {sizes.Length} | {largest:P1} | {noise:P1} | {v:F3} | {seconds:F1} |"));
        if (!summary.TryGetValue(name, out var list))
        {
            summary[name] = list = [];
        }

        list.Add((v, largest));
    }

    /// <summary>Parses <c>name:key=value,...;name:...</c> into HDBSCAN options (keys mcs, ms, method, cap, eps).</summary>
    private static List<(string Name, HdbscanOptions Options)> ParseVariants(string? spec)
    {
        var result = new List<(string, HdbscanOptions)>();
        foreach (var part in (spec ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? part : part[..colon];
            var options = new HdbscanOptions { MinClusterSize = 10, MaxClusterShare = 1 };
            foreach (var setting in colon < 0 ? [] : part[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = (setting.Split('=')[0], setting.Split('=')[1]);
                options = key switch
                {
                    "mcs" => options with { MinClusterSize = int.Parse(value, CultureInfo.InvariantCulture) },
                    "ms" => options with { MinSamples = int.Parse(value, CultureInfo.InvariantCulture) },
                    "method" => options with { ClusterSelectionMethod = Enum.Parse<HdbscanSelectionMethod>(value, ignoreCase: true) },
                    "cap" => options with { MaxClusterShare = double.Parse(value, CultureInfo.InvariantCulture) },
                    "eps" => options with { ClusterSelectionEpsilon = double.Parse(value, CultureInfo.InvariantCulture) },
                    _ => throw new ArgumentException($"unknown variant key '{key}'"),
                };
            }

            result.Add((name, options));
        }

        return result;
    }

    private static void RunPeer(string python, string vectors, int[] seeds)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "peers", "peer_defaults.py");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, vectors, ArxivSetLabelsPath(), string.Join(',', seeds) })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {python}");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Console.WriteLine(stdout);
        if (process.ExitCode != 0)
        {
            Console.WriteLine("peer failed: " + stderr.Trim());
        }
    }

    private static string ArxivSetLabelsPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "topickit-defaults-bench-truth.txt");
        File.WriteAllLines(path, ArxivSet.ArchiveLabels.Select(l => l.ToString(CultureInfo.InvariantCulture)));
        return path;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
