using System.CommandLine;
using System.Globalization;
using TopicKit.Neighbors;
using TopicKit.Pipeline;
using TopicKit.Reduction;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit reduce</c>: UMAP or PCA of an embeddings matrix to .npy (the library's <see cref="ReduceJob"/>).</summary>
internal static class ReduceCommands
{
    /// <summary>Builds the <c>reduce</c> command.</summary>
    public static Command Create()
    {
        var embeddings = new Option<string>("--embeddings") { Description = "Input matrix (.npy float32/float64 N x d, or numeric .csv).", Required = true, HelpName = "FILE" };
        var method = new Option<string>("--method") { Description = "umap or pca.", DefaultValueFactory = _ => "umap" };
        method.AcceptOnlyFromAmong("umap", "pca");
        var components = SharedOptions.Int("--components", "Output dimensions.", 2, 1);
        var neighbors = UmapNeighbors();
        var metric = new Option<string>("--metric") { Description = "UMAP input distance: cosine or euclidean.", DefaultValueFactory = _ => "cosine" };
        metric.AcceptOnlyFromAmong("cosine", "euclidean");
        var minDist = UmapMinDist();
        var seed = SharedOptions.Seed();
        var output = SharedOptions.Out("Output matrix (.npy, float32, N x components).", required: true);
        var json = SharedOptions.Json();

        var command = new Command("reduce", "Reduce an embeddings matrix to a few dimensions with UMAP or PCA.")
        {
            embeddings, method, components, neighbors, metric, minDist, seed, output, json,
        };
        command.SetHandler((parse, cancellationToken) =>
        {
            var pca = parse.GetValue(method) == "pca";
            IReducer reducer = pca
                ? new Pca(new PcaOptions(parse.GetValue(components)) { Seed = parse.GetValue(seed) })
                : new Umap(new UmapOptions
                {
                    NComponents = parse.GetValue(components),
                    NNeighbors = parse.GetValue(neighbors),
                    Metric = parse.GetValue(metric) == "euclidean" ? DistanceMetric.Euclidean : DistanceMetric.Cosine,
                    MinDist = parse.GetValue(minDist),
                    Seed = parse.GetValue(seed),
                });
            var result = ReduceJob.Run(new ReduceRequest(parse.GetRequiredValue(embeddings), reducer, parse.GetRequiredValue(output)!), cancellationToken);
            var name = pca ? "pca" : "umap";
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                CliJson.Write(stdout, new ReduceJson(name, result.Rows, result.InputColumns, result.Components, CliJson.Seconds(result.Elapsed.TotalSeconds), result.Output), c => c.ReduceJson);
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Reduced {result.Rows} x {result.InputColumns} to {result.Rows} x {result.Components} with {name} in {result.Elapsed.TotalSeconds:F2} s -> {result.Output}"));
            }

            return ExitCodes.Ok;
        }, cancelled: "no output was written");
        return command;
    }

    /// <summary><c>--neighbors</c>, UMAP's neighbourhood size: the same default (15) in <c>reduce</c> and <c>cluster</c>.</summary>
    internal static Option<int> UmapNeighbors() => SharedOptions.Int("--neighbors", "UMAP neighbourhood size (the point included).", new UmapOptions().NNeighbors, 2);

    /// <summary><c>--min-dist</c>, UMAP's minimum distance: 0.0 (BERTopic's) in <c>reduce</c> and <c>cluster</c>.</summary>
    internal static Option<double> UmapMinDist() => SharedOptions.Double("--min-dist", "UMAP minimum distance between embedded points (BERTopic: 0.0).", 0.0, 0, 100);
}

/// <summary><c>reduce --json</c>.</summary>
internal sealed record ReduceJson(string Method, int Rows, int InputColumns, int Components, double Seconds, string Out);
