using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using TopicKit.Clustering;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// TopicKit k-means beside ML.NET's <see cref="KMeansTrainer"/> (same process, same data) and scikit-learn on OpenBLAS
/// (child process, its own fit time), interleaved round by round, on <c>sphere384</c> (k = 50) and on the 2,000 arXiv
/// lexical embeddings (k = 18). Inertia is recomputed by one function for every side; a determinism pass then checks
/// whether each in-process implementation gives bit-identical labels and centres for one seed across runs and threads.
/// </summary>
internal static class KMeansPeersBench
{
    public const string Help = "[--datasets sphere384,arxiv] [--rounds 3] [--seed S] [--no-sklearn] [--install-peers] [--python /usr/bin/python3] [--threads-list 1,2,4]";

    private sealed record Dataset(string Name, Matrix X, int K, string NpyPath);

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        var wanted = (args.Get("datasets") ?? "sphere384,arxiv").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var rounds = args.Int("rounds", 3);
        var seed = args.Int("seed", 0);
        var python = args.Get("python") ?? "/usr/bin/python3";
        var sklearn = !args.Has("no-sklearn") && PythonPeer.Ensure(args.Has("install-peers"));
        var threadsList = (args.Get("threads-list") ?? "1,2,4").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine($"{Environment.ProcessorCount} cores, Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}, OPENBLAS_CORETYPE={PythonPeer.CoreType() ?? "-"}");

        foreach (var data in wanted.Select(Load))
        {
            Console.WriteLine();
            Console.WriteLine($"## {data.Name}: {data.X.Rows} x {data.X.Columns}, k={data.K}");
            Warmup(data, seed);
            Console.WriteLine("| round | implementation | fit s | inertia (shared) | own inertia | iterations | BLAS | load (1, 5, 15 min) |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---|---|");
            var times = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            var inertias = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            for (var round = 0; round < rounds; round++)
            {
                foreach (var nInit in new[] { 1, 3 })
                {
                    // A new seed per round (the same for every side) so the inertia columns average over seeds, not one draw.
                    var roundSeed = seed + round;
                    var options = new KMeansOptions { K = data.K, NInit = nInit, Seed = roundSeed };
                    var watch = Stopwatch.StartNew();
                    var ours = new KMeans(options).FitModel(data.X);
                    Report(times, inertias, round, $"TopicKit n_init={nInit}", watch.Elapsed.TotalSeconds, SharedInertia(data.X, ours.Labels), ours.Inertia, ours.Iterations, "managed (TensorPrimitives)");
                    var labelsFile = Path.Combine(Path.GetTempPath(), $"topickit-bench-sklearn-{Environment.ProcessId}.csv");
                    if (sklearn && PythonPeer.Cluster(python, data.NpyPath, roundSeed, "kmeans", Text(data.K), Text(nInit), "--out", labelsFile) is { } peer)
                    {
                        var labels = File.ReadLines(labelsFile).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
                        Report(times, inertias, round, $"scikit-learn n_init={nInit}", peer.GetProperty("seconds").GetDouble(), SharedInertia(data.X, labels),
                            peer.GetProperty("inertia").GetDouble(), peer.GetProperty("iterations").GetInt32(), PythonPeer.Blas(peer));
                    }
                }

                var (mlSeconds, mlLabels, _) = FitMlNet(data, seed + round, threads: null);
                Report(times, inertias, round, "ML.NET KMeansTrainer", mlSeconds, SharedInertia(data.X, mlLabels), double.NaN, 0, "managed (CpuMath)");
            }

            Console.WriteLine();
            foreach (var (name, list) in times)
            {
                list.Sort();
                Console.WriteLine(Invariant($"{name,-28} median {list[list.Count / 2]:F3} s  best {list[0]:F3} s  mean shared inertia {inertias[name].Average():F2}  ({list.Count} runs, seeds {seed}..{seed + rounds - 1})"));
            }

            Determinism(data, seed, threadsList);
        }

        return 0;
    }

    /// <summary>Sum of squared distances of every row to the mean of its label's rows, in double: the same number for every implementation.</summary>
    public static double SharedInertia(Matrix x, int[] labels)
    {
        var k = labels.Max() + 1;
        var d = x.Columns;
        var sums = new double[k * d];
        var counts = new long[k];
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.RowReadOnly(i);
            var c = labels[i];
            counts[c]++;
            for (var t = 0; t < d; t++)
            {
                sums[(c * d) + t] += row[t];
            }
        }

        var total = 0.0;
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.RowReadOnly(i);
            var c = labels[i];
            for (var t = 0; t < d; t++)
            {
                var diff = row[t] - (sums[(c * d) + t] / counts[c]);
                total += diff * diff;
            }
        }

        return total;
    }

    private static Dataset Load(string name)
    {
        if (name == "arxiv")
        {
            var texts = EmbedTexts.Read(SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl")).Select(t => t.Text).ToList();
            var x = LexicalEncoder.Fit(texts).Encode(texts);
            var path = Path.Combine(Path.GetTempPath(), $"topickit-bench-arxiv-lexical-{Environment.ProcessId}.npy");
            NpyFile.Write(path, x);
            return new Dataset(name, x, 18, path);
        }

        var npy = SharedData.Path("oracles", "clustering", name + ".npy");
        return new Dataset(name, NpyFile.Read(npy), name == "sphere384" ? 50 : 8, npy);
    }

    private static void Warmup(Dataset data, int seed)
    {
        _ = new KMeans(new KMeansOptions { K = data.K, Seed = seed, MaxIter = 2 }).FitModel(data.X);
        _ = FitMlNet(data with { X = data.X.SelectRows(Enumerable.Range(0, Math.Min(2000, data.X.Rows)).ToArray()) }, seed, null);
    }

    private static (double Seconds, int[] Labels, float[] Centers) FitMlNet(Dataset data, int seed, int? threads)
    {
        var ml = new MLContext(seed);
        var view = ml.Data.LoadFromEnumerable(Rows(data.X), Schema(data.X.Columns));
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options { NumberOfClusters = data.K, NumberOfThreads = threads, FeatureColumnName = "Features" });
        var watch = Stopwatch.StartNew();
        var model = trainer.Fit(view);
        var seconds = watch.Elapsed.TotalSeconds;
        var labels = ml.Data.CreateEnumerable<Predicted>(model.Transform(view), reuseRowObject: false).Select(p => (int)p.PredictedLabel - 1).ToArray();
        VBuffer<float>[] centroids = [];
        model.Model.GetClusterCentroids(ref centroids, out var k);
        return (seconds, labels, centroids.Take(k).SelectMany(c => c.DenseValues()).ToArray());
    }

    private static void Determinism(Dataset data, int seed, int[] threadsList)
    {
        Console.WriteLine();
        Console.WriteLine("Bit-identical for one seed (labels and centres hashed), two runs per thread count:");
        var ours = new List<string>();
        var theirs = new List<string>();
        foreach (var threads in threadsList)
        {
            for (var run = 0; run < 2; run++)
            {
                var fit = new KMeans(new KMeansOptions { K = data.K, Seed = seed, MaxDegreeOfParallelism = threads }).FitModel(data.X);
                ours.Add(Hash(fit.Labels, fit.Centroids.Data));
                var (_, labels, centers) = FitMlNet(data, seed, threads);
                theirs.Add(Hash(labels, centers));
            }
        }

        Console.WriteLine($"  TopicKit  threads {string.Join(',', threadsList)}: {string.Join(' ', ours)} -> {(ours.Distinct().Count() == 1 ? "bit-identical" : "DIFFERENT")}");
        Console.WriteLine($"  ML.NET    threads {string.Join(',', threadsList)}: {string.Join(' ', theirs)} -> {(theirs.Distinct().Count() == 1 ? "bit-identical" : "DIFFERENT")}");
    }

    private static string Hash(int[] labels, float[] centers)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(labels.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(centers.AsSpan()));
        return Convert.ToHexStringLower(hash.GetCurrentHash())[..8];
    }

    private static void Report(
        Dictionary<string, List<double>> times, Dictionary<string, List<double>> inertias, int round, string name, double seconds, double shared, double own, int iterations, string blas)
    {
        if (!times.TryGetValue(name, out var list))
        {
            times[name] = list = [];
            inertias[name] = [];
        }

        list.Add(seconds);
        inertias[name].Add(shared);
        Console.WriteLine(Invariant($"| {round} | {name} | {seconds:F3} | {shared:F2} | {(double.IsNaN(own) ? "-" : own.ToString("F2", CultureInfo.InvariantCulture))} | {(iterations > 0 ? iterations.ToString(CultureInfo.InvariantCulture) : "-")} | {blas} | {PythonPeer.Load()} |"));
    }

    private static IEnumerable<FeatureRow> Rows(Matrix x)
    {
        for (var i = 0; i < x.Rows; i++)
        {
            yield return new FeatureRow { Features = x.RowReadOnly(i).ToArray() };
        }
    }

    private static SchemaDefinition Schema(int dim)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        return schema;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class Predicted
    {
        public uint PredictedLabel { get; set; }
    }
}
