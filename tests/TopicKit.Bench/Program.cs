namespace TopicKit.Bench;

/// <summary>
/// Benchmark entry point: <c>dotnet run -c Release --project tests/TopicKit.Bench -- SUBCOMMAND [args]</c>.
/// Each subcommand lives in its own file and registers one line in <see cref="Benches"/>.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, (string Help, Func<string[], int> Run)> Benches = new(StringComparer.Ordinal)
    {
        ["kmeans"] = (KMeansBench.Help, KMeansBench.Run),
        ["knn"] = (KnnBench.Help, KnnBench.Run),
        ["hdbscan"] = (HdbscanBench.Help, HdbscanBench.Run),
        ["embed"] = (EmbedBench.Help, EmbedBench.Run),
        ["embed-memory"] = (EmbedMemoryBench.Help, EmbedMemoryBench.Run),
        ["embed-tune"] = (EmbedTuneBench.Help, EmbedTuneBench.Run),
        ["umap"] = (UmapBench.Help, UmapBench.Run),
        ["cluster-all"] = (ClusterAllBench.Help, ClusterAllBench.Run),
        ["ctfidf"] = (TopicsBench.Help, TopicsBench.Run),
        ["defaults"] = (DefaultsBench.Help, DefaultsBench.Run),
        ["umap-quality"] = (UmapQualityBench.Help, UmapQualityBench.Run),
        ["kmeans-peers"] = (KMeansPeersBench.Help, KMeansPeersBench.Run),
        ["report"] = (ReportBench.Help, ReportBench.Run),
        ["dupes"] = (DupesBench.Help, DupesBench.Run),
    };

    private static int Main(string[] args)
    {
        if (args.Length == 0 || !Benches.TryGetValue(args[0], out var bench))
        {
            Console.Error.WriteLine("usage: TopicKit.Bench <subcommand> [options]");
            foreach (var (name, (help, _)) in Benches)
            {
                Console.Error.WriteLine($"  {name,-10} {help}");
            }

            return args.Length == 0 ? 1 : 2;
        }

        try
        {
            return bench.Run(args[1..]);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{args[0]}: {e.Message}");
            return 1;
        }
    }
}
