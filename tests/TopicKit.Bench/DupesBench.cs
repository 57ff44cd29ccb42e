using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Duplicates;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// Near-duplicate search speed: clustered unit vectors with planted pairs, the whole <c>topickit dupes</c> process
/// against FAISS <c>IndexFlatIP</c> search alone, interleaved; the approximate path at large N; lexical MinHash LSH.
/// </summary>
internal static class DupesBench
{
    public const string Help = "[--n 50000] [--dim 384] [--pairs 1000] [--threshold 0.95] [--rounds 2] [--threads 2] [--no-peer] | --approx [--n 1000000] | --lexical [--n 100000]";

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        Console.WriteLine($"uptime: {Uptime()}");
        if (args.Has("lexical"))
        {
            return Lexical(args.Int("n", 100_000));
        }

        var n = args.Int("n", 50_000);
        var dim = args.Int("dim", 384);
        var planted = args.Int("pairs", 1000);
        var threshold = args.Double("threshold", 0.95);
        var sw = Stopwatch.StartNew();
        var x = Generate(n, dim, planted, seed: 7);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data: {n:N0} x {dim} clustered unit vectors (within-cluster cosine ~0.5), {planted} planted pairs at cosine ~0.99; generated in {sw.Elapsed.TotalSeconds:F1} s"));
        if (args.Has("approx"))
        {
            return Approximate(x, planted, threshold);
        }

        if (args.Get("kernel") is not null)
        {
            // In-process kernel throughput: CPU seconds are less distorted by other processes than wall time.
            var variant = Enum.Parse<PanelDotKernel.Variant>(args.Get("kernel") ?? "Auto", ignoreCase: true);
            Console.WriteLine($"kernel: {PanelDotKernel.Resolve(variant)} (Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated})");
            var search = new ExactPairSearch(new PairSearchOptions { Threshold = threshold, MaxDegreeOfParallelism = args.Int("threads", 1) }) { Kernel = variant };
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            sw.Restart();
            var found = search.FindPairs(x);
            var wall = sw.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var flops = (double)n * n * dim;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact search in process: {wall:F2} s wall, {cpuSeconds:F2} s CPU, {found.Count} pairs; {flops / cpuSeconds / 1e9:F1} GFLOP/s per CPU second (upper triangle, n^2 d flops); load {Uptime()}"));
            return 0;
        }

        var path = Path.Combine(Path.GetTempPath(), $"tk-dupes-bench-{n}-{dim}.npy");
        NpyFile.Write(path, x);
        var threads = args.Int("threads", 2);
        var cli = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "TopicKit.Cli", "bin", "Release", "net10.0", "TopicKit.Cli.dll");
        cli = Path.GetFullPath(cli);
        var peer = Path.Combine(SharedData.RepoRoot, "tests", "TopicKit.Bench", "peers", "faiss_dupes.py");
        HashSet<(int, int)>? faissPairs = null;
        for (var round = 0; round < args.Int("rounds", 2); round++)
        {
            var (ours, oursSeconds, oursKb) = RunOurs(cli, path, threshold);
            var min = ours.Count == 0 ? double.NaN : ours.Min(p => p.Score);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: topickit dupes (whole process): {oursSeconds:F2} s, peak RSS {oursKb / 1024.0:F0} MiB, {ours.Count} pairs, lowest score {min:F6}, load {Uptime()}"));
            if (args.Has("no-peer"))
            {
                continue;
            }

            var (peerPairs, peerSeconds, peerKb, blas) = RunFaiss(peer, path, threshold, threads);
            faissPairs = peerPairs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: FAISS IndexFlatIP k=10 search alone: {peerSeconds:F2} s (process peak RSS {peerKb / 1024.0:F0} MiB), {peerPairs.Count} pairs, load {Uptime()}"));
            Console.WriteLine($"  FAISS BLAS: {blas}");
            var oursSet = ours.Select(p => (p.A, p.B)).ToHashSet();
            var found = peerPairs.Count(oursSet.Contains);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ours found {found} of FAISS's {peerPairs.Count} pairs ({100.0 * found / Math.Max(1, peerPairs.Count):F2}%); ours not in FAISS: {oursSet.Count(p => !peerPairs.Contains(p))}; ours / FAISS time {oursSeconds / peerSeconds:F2}"));
        }

        return 0;
    }

    /// <summary>Clusters of unit vectors (centre weight √0.5) and, in the last rows, noisy copies of random earlier rows.</summary>
    internal static Matrix Generate(int n, int dim, int planted, int seed)
    {
        var rng = new SeededRandom((ulong)seed);
        var clusters = Math.Max(1, n / 100);
        var centres = new Matrix(clusters, dim);
        Fill(centres.Data, rng);
        RowOps.NormalizeInPlace(centres);
        var x = new Matrix(n, dim);
        var noise = new float[dim];
        var baseRows = n - planted;
        for (var i = 0; i < baseRows; i++)
        {
            Fill(noise, rng);
            RowOps.NormalizeInPlace(noise);
            var c = centres.RowReadOnly(rng.NextInt(clusters));
            var row = x.Row(i);
            for (var t = 0; t < dim; t++)
            {
                row[t] = (MathF.Sqrt(0.5f) * c[t]) + (MathF.Sqrt(0.5f) * noise[t]);
            }

            RowOps.NormalizeInPlace(row);
        }

        // cos(x, x + e) = 1 / sqrt(1 + |e|^2) for e orthogonal-ish to a unit x: |e| = 0.1425 gives ~0.990.
        for (var p = 0; p < planted; p++)
        {
            var source = x.RowReadOnly(rng.NextInt(baseRows));
            Fill(noise, rng);
            RowOps.NormalizeInPlace(noise);
            var row = x.Row(baseRows + p);
            for (var t = 0; t < dim; t++)
            {
                row[t] = source[t] + (0.1425f * noise[t]);
            }

            RowOps.NormalizeInPlace(row);
        }

        return x;
    }

    private static void Fill(Span<float> values, SeededRandom rng)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)rng.NextGaussian();
        }
    }

    private static (List<ScoredPair> Pairs, double Seconds, long PeakKb) RunOurs(string cli, string path, double threshold)
    {
        var (stdout, seconds, kb) = Timed("dotnet", [cli, "dupes", "--embeddings", path, "--threshold", threshold.ToString(CultureInfo.InvariantCulture), "--method", "semantic", "--json"], null);
        using var json = JsonDocument.Parse(stdout);
        var pairs = new List<ScoredPair>();
        foreach (var g in json.RootElement.GetProperty("groups").EnumerateArray())
        {
            foreach (var p in g.GetProperty("pairs").EnumerateArray())
            {
                pairs.Add(new ScoredPair(p.GetProperty("a").GetInt32(), p.GetProperty("b").GetInt32(), p.GetProperty("semantic").GetDouble()));
            }
        }

        return (pairs, seconds, kb);
    }

    private static (HashSet<(int, int)> Pairs, double Seconds, long PeakKb, string Blas) RunFaiss(string script, string path, double threshold, int threads)
    {
        var output = Path.ChangeExtension(path, ".faiss-pairs.txt");
        var env = new Dictionary<string, string> { ["OPENBLAS_CORETYPE"] = "SkylakeX", ["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture) };
        var (stdout, _, kb) = Timed("/usr/bin/python3", [script, path, threshold.ToString(CultureInfo.InvariantCulture), "10", threads.ToString(CultureInfo.InvariantCulture), output], env);
        using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var pairs = new HashSet<(int, int)>();
        foreach (var line in File.ReadLines(output))
        {
            var parts = line.Split(' ');
            pairs.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture)));
        }

        var blas = string.Join("; ", json.RootElement.GetProperty("blas").EnumerateArray().Select(b => b.GetString()));
        return (pairs, json.RootElement.GetProperty("seconds").GetDouble(), kb, $"faiss {json.RootElement.GetProperty("faiss").GetString()}, {blas}");
    }

    /// <summary>Runs a process under /usr/bin/time: its stdout, wall seconds and peak RSS in KiB.</summary>
    private static (string Stdout, double Seconds, long PeakKb) Timed(string file, string[] arguments, Dictionary<string, string>? env)
    {
        var timeFile = Path.GetTempFileName();
        var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-f", "%e %M", "-o", timeFile, file, .. arguments])
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? [])
        {
            info.Environment[k] = v;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + file);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        watch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {stderr.Result}");
        }

        var fields = File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ');
        File.Delete(timeFile);
        return (stdout, watch.Elapsed.TotalSeconds, long.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    private static int Approximate(Matrix x, int planted, double threshold)
    {
        var n = x.Rows;
        var options = new PairSearchOptions { Threshold = threshold, Method = PairSearchMethod.Approximate };
        var sw = Stopwatch.StartNew();
        var search = new ApproximatePairSearch(options);
        var pairs = search.FindPairs(x);
        var seconds = sw.Elapsed.TotalSeconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        var truth = PlantedTruth(x, planted, threshold);
        var found = pairs.Count(p => truth.Contains((p.A, p.B)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"approximate (IVF {search.CellsFor(n)} cells, {options.Probes} probes, exact search per cell + verification): {seconds:F1} s, peak working set {peak:F0} MiB (data included), {pairs.Count} pairs, lowest {(pairs.Count == 0 ? double.NaN : pairs.Min(p => p.Score)):F6}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  recall against the exact pairs among the planted rows: {found} / {truth.Count} = {(double)found / Math.Max(1, truth.Count):F4}; load {Uptime()}"));
        return 0;
    }

    // The exact answer restricted to what can reach the threshold here: pairs involving a planted copy (the base rows
    // are at most ~0.7 apart), scored exactly against every row.
    private static HashSet<(int, int)> PlantedTruth(Matrix x, int planted, double threshold)
    {
        var n = x.Rows;
        var truth = new HashSet<(int, int)>();
        var norms = PairScoring.Norms(x);
        Parallel.For(n - planted, n, i =>
        {
            for (var j = 0; j < n; j++)
            {
                if (j != i && PairScoring.Cosine(x, norms, i, j) >= threshold)
                {
                    lock (truth)
                    {
                        truth.Add((Math.Min(i, j), Math.Max(i, j)));
                    }
                }
            }
        });
        return truth;
    }

    private static int Lexical(int n)
    {
        var texts = File.ReadLines(SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString() ?? string.Empty).ToArray();
        var vocabulary = texts.SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToArray();
        var rng = new SeededRandom(11);
        var corpus = new string[n];
        for (var i = 0; i < n; i++)
        {
            // Half the words replaced at random: texts sharing a base stay far below the threshold (J ~ 0.07).
            var words = texts[i % texts.Length].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var w = 0; w < words.Length; w++)
            {
                if (rng.NextDouble() < 0.5)
                {
                    words[w] = vocabulary[rng.NextInt(vocabulary.Length)];
                }
            }

            corpus[i] = string.Join(' ', words);
        }

        GC.Collect();
        var before = Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024);
        var sw = Stopwatch.StartNew();
        var search = new LexicalPairSearch();
        var pairs = search.FindPairs(corpus);
        var seconds = sw.Elapsed.TotalSeconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lexical MinHash LSH ({search.Banding.Bands} bands x {search.Banding.Rows} rows, 3-word shingles, 128 permutations) over {n:N0} abstracts ({corpus.Sum(t => (long)t.Length) / 1e6:F0} M chars): {seconds:F2} s, {pairs.Count} pairs; peak working set {peak:F0} MiB (texts alone {before:F0} MiB); load {Uptime()}"));
        return 0;
    }

    private static string Uptime() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
