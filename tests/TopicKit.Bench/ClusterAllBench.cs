using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Clustering;
using TopicKit.Numerics;
using TopicKit.Reduction;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Bench;

/// <summary>
/// k-means, HDBSCAN and UMAP on the shared datasets, each timed in TopicKit and in its peer (peers/peer_cluster.py:
/// scikit-learn KMeans, R dbscan::hdbscan, umap-learn; the Python peers on OpenBLAS, see <see cref="PythonPeer"/>) one
/// after the other on this machine, printed as one Markdown table with the load average and the peer's BLAS per row.
/// </summary>
internal static class ClusterAllBench
{
    public const string Help = "[--only kmeans|hdbscan|umap] [--datasets a,b] [--no-peer] [--install-peers] [--python /usr/bin/python3] [--threads T] [--seed S]";

    private sealed record Row(string Dataset, string Algorithm, string Parameters, double Seconds, string Quality, double? PeerSeconds, string PeerQuality, string Peer)
    {
        public string Load { get; } = PythonPeer.Load();

        public string Blas { get; init; } = "-";
    }

    public static int Run(string[] raw)
    {
        var args = new BenchArgs(raw);
        var only = args.Get("only");
        var wanted = args.Get("datasets")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var runPeer = !raw.Contains("--no-peer");
        var python = args.Get("python") ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
        var threads = args.Int("threads", -1);
        var seed = args.Int("seed", 0);
        var folder = SharedData.Path("oracles", "clustering");
        if (runPeer && !PythonPeer.Ensure(args.Has("install-peers"), [.. only is null or "umap" ? ["umap-learn"] : Array.Empty<string>(), .. only is null or "hdbscan" ? ["r-cran-dbscan"] : Array.Empty<string>()]))
        {
            return 1;
        }

        Console.WriteLine($"OPENBLAS_CORETYPE for the peers: {PythonPeer.CoreType() ?? "(unset: CPU has neither AVX-512 nor AVX2)"}");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));

        Warmup(threads);
        var rows = new List<Row>();
        foreach (var dataset in manifest.RootElement.EnumerateObject())
        {
            if (wanted is not null && !wanted.Contains(dataset.Name))
            {
                continue;
            }

            var path = Path.Combine(folder, dataset.Name + ".npy");
            var x = NpyFile.Read(path);
            if (only is null or "kmeans" && dataset.Value.TryGetProperty("kmeans", out var km))
            {
                var k = km.GetProperty("k").GetInt32();
                var nInit = km.GetProperty("n_init").GetInt32();
                var (seconds, result) = Time(() => new KMeans(new KMeansOptions { K = k, NInit = nInit, Seed = seed, MaxDegreeOfParallelism = threads }).FitModel(x));
                var peer = runPeer ? PythonPeer.Cluster(python, path, seed, "kmeans", Text(k), Text(nInit)) : null;
                rows.Add(new Row(
                    dataset.Name, "k-means", $"k={k} n_init={nInit}", seconds, $"inertia {result.Inertia:G6}",
                    peer?.GetProperty("seconds").GetDouble(), peer is { } p ? $"inertia {p.GetProperty("inertia").GetDouble():G6}" : "", PeerName(peer)) { Blas = PythonPeer.Blas(peer) });
                Report(rows[^1]);
            }

            if (only is null or "hdbscan" && dataset.Value.TryGetProperty("hdbscan", out var hd))
            {
                var minPts = hd.GetProperty("min_samples").GetInt32();
                var (seconds, result) = Time(() => new Hdbscan(new HdbscanOptions { MinClusterSize = minPts, MinSamples = minPts, MaxClusterShare = 1, MaxDegreeOfParallelism = threads }).FitDetailed(x));
                var peer = runPeer ? PythonPeer.Cluster(python, path, seed, "hdbscan", Text(minPts)) : null;
                rows.Add(new Row(
                    dataset.Name, "HDBSCAN", $"minPts={minPts}", seconds, $"{result.ClusterCount} clusters, {result.Labels.Count(l => l < 0)} noise",
                    peer?.GetProperty("seconds").GetDouble(),
                    peer is { } p ? $"{p.GetProperty("clusters").GetInt32()} clusters, {p.GetProperty("noise").GetInt32()} noise" : "", PeerName(peer)) { Blas = PythonPeer.Blas(peer) });
                Report(rows[^1]);
            }

            // UMAP to 2-D on the high-dimensional sets, where reduction matters (umap-learn takes about a minute on sphere384).
            if (only is null or "umap" && x.Columns >= 10)
            {
                var options = new UmapOptions { NComponents = 2, NNeighbors = 15, Seed = seed, MaxDegreeOfParallelism = threads };
                var (seconds, model) = Time(() => new Umap(options).Fit(x));
                var sample = Sample(x.Rows, 5000, seed);
                var trust = Trustworthiness.Compute(x.SelectRows(sample), model.Embedding.SelectRows(sample), 15);
                var peer = runPeer ? PythonPeer.Cluster(python, path, seed, "umap", "2", "15") : null;
                rows.Add(new Row(
                    dataset.Name, "UMAP 2-D", "n_neighbors=15 euclidean", seconds, $"trustworthiness {trust:F4}",
                    peer?.GetProperty("seconds").GetDouble(),
                    peer is { } p ? $"trustworthiness {p.GetProperty("trustworthiness_k15").GetDouble():F4}" : "", PeerName(peer)) { Blas = PythonPeer.Blas(peer) });
                Report(rows[^1]);
            }
        }

        PrintTable(rows, threads);
        return rows.Count > 0 ? 0 : 1;
    }

    /// <summary>Untimed small fits of each algorithm, so JIT tiering does not land in the first timed row.</summary>
    private static void Warmup(int threads)
    {
        var x = NpyFile.Read(SharedData.Path("oracles", "clustering", "moons2d.npy"));
        _ = new KMeans(new KMeansOptions { K = 2, MaxDegreeOfParallelism = threads }).FitModel(x);
        _ = new Hdbscan(new HdbscanOptions { MinClusterSize = 10, MaxDegreeOfParallelism = threads }).FitDetailed(x);
        _ = new Umap(new UmapOptions { NEpochs = 20, MaxDegreeOfParallelism = threads }).Fit(x.SelectRows(Enumerable.Range(0, 500).ToArray()));
    }

    private static (double Seconds, T Result) Time<T>(Func<T> work)
    {
        var watch = Stopwatch.StartNew();
        var result = work();
        return (watch.Elapsed.TotalSeconds, result);
    }

    private static int[] Sample(int n, int size, int seed)
    {
        var indices = Enumerable.Range(0, n).ToArray();
        if (n <= size)
        {
            return indices;
        }

        var random = new Random(seed);
        for (var i = 0; i < size; i++)
        {
            var j = random.Next(i, n);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        var chosen = indices[..size];
        Array.Sort(chosen);
        return chosen;
    }

    private static string PeerName(JsonElement? peer) => peer?.GetProperty("peer").GetString() ?? "(not run)";

    private static void Report(Row row) => Console.Error.WriteLine(Invariant(
        $"{row.Dataset} {row.Algorithm}: TopicKit {row.Seconds:F3} s ({row.Quality}); peer {(row.PeerSeconds is { } s ? s.ToString("F3", CultureInfo.InvariantCulture) + " s" : "-")} ({row.PeerQuality}; BLAS {row.Blas}); load {row.Load}"));

    private static void PrintTable(List<Row> rows, int threads)
    {
        Console.WriteLine(Invariant($"TopicKit threads: {(threads < 0 ? Environment.ProcessorCount : threads)} of {Environment.ProcessorCount} cores; peer seconds are the algorithm alone, as peer_cluster.py reports them."));
        Console.WriteLine();
        Console.WriteLine("| dataset | algorithm | parameters | TopicKit s | peer s | speed-up | TopicKit result | peer result | peer | peer BLAS | load (1, 5, 15 min) |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var peer = r.PeerSeconds is { } p ? p.ToString("F3", CultureInfo.InvariantCulture) : "-";
            var ratio = r.PeerSeconds is { } q && r.Seconds > 0 ? (q / r.Seconds).ToString("F1", CultureInfo.InvariantCulture) + "x" : "-";
            Console.WriteLine(Invariant($"| {r.Dataset} | {r.Algorithm} | {r.Parameters} | {r.Seconds:F3} | {peer} | {ratio} | {r.Quality} | {r.PeerQuality} | {r.Peer} | {r.Blas} | {r.Load} |"));
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
