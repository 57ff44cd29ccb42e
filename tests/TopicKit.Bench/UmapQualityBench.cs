using System.Diagnostics;
using System.Globalization;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Reduction;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// UMAP to 2-D on the held-out blob set (<see cref="HeldOutBlobs"/>) or a shared dataset: per seed our seconds and
/// trustworthiness (k = 15, every point), then umap-learn on the same .npy in the same run (peers/peer_umap.py).
/// </summary>
internal static class UmapQualityBench
{
    public const string Help = "[DATASET=heldout-blobs|moons2d|blobs3d|...] [--seeds 0,1,2] [--threads T] [--epochs N] [--metric euclidean|cosine] [--no-peer] [--python P] [--save DIR]";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        var name = args.Positional(0) ?? "heldout-blobs";
        var seeds = (args.Get("seeds") ?? "0,1,2").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var data = name == "heldout-blobs" ? HeldOutBlobs.Create() : NpyFile.Read(SharedData.Path("oracles", "clustering", name + ".npy"));
        var save = args.Get("save");
        var file = Path.Combine(save ?? Path.GetTempPath(), $"topickit-umap-quality-{name}.npy");
        if (save is not null)
        {
            Directory.CreateDirectory(save);
        }

        NpyFile.Write(file, data);
        Console.WriteLine(Invariant($"{name}: {data.Rows} x {data.Columns} -> 2-D euclidean, 15 neighbours; load average {MachineLoad.LoadAverage():F2}"));
        var options = new UmapOptions
        {
            Metric = Enum.Parse<DistanceMetric>(args.Get("metric") ?? "euclidean", ignoreCase: true),
            MaxDegreeOfParallelism = args.Int("threads", -1),
            NEpochs = args.Get("epochs") is null ? null : args.Int("epochs", 0),
        };
        new Umap(options with { NEpochs = 5 }).Fit(data.SelectRows([.. Enumerable.Range(0, Math.Min(500, data.Rows))]));
        var trusts = new List<double>();
        foreach (var seed in seeds)
        {
            var pass = default(Matrix);
            var timed = MachineLoad.Time(() => pass = new Umap(options with { Seed = seed }).Fit(data).Embedding);
            var trust = Trustworthiness.Compute(data, pass!, 15);
            trusts.Add(trust);
            if (save is not null)
            {
                NpyFile.Write(Path.Combine(save, Invariant($"topickit-seed{seed}.npy")), pass!);
            }

            Console.WriteLine(Invariant($"TopicKit seed {seed}: {timed.Seconds:F2} s (CPU {timed.OwnCpuSeconds:F2} s, other processes {timed.OtherCores:F2} cores)  trustworthiness(k=15) {trust:F5}"));
        }

        Console.WriteLine(Invariant($"TopicKit mean trustworthiness {trusts.Average():F5}"));
        if (!args.Has("no-peer"))
        {
            var start = new ProcessStartInfo(args.Get("python") ?? "/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "peers", "peer_umap.py"), file, string.Join(',', seeds) }.Concat(save is null ? [] : ["--save", save]).Concat(["--metric", options.Metric.ToString().ToLowerInvariant()]))
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the peer");
            Console.Write(process.StandardOutput.ReadToEnd());
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.WriteLine("peer failed: " + stderr.Trim());
            }
        }

        Console.WriteLine(Invariant($"load average at the end {MachineLoad.LoadAverage():F2}"));
        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
