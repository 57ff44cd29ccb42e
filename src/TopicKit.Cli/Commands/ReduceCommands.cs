using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Reduction;

namespace TopicKit.Cli.Commands;

/// <summary>The <c>reduce</c> command: UMAP or PCA of an embeddings matrix, from .npy to .npy.</summary>
public static class ReduceCommands
{
    /// <summary>Builds the <c>reduce</c> command.</summary>
    public static Command Create()
    {
        var embeddings = new Option<FileInfo>("--embeddings") { Description = "Input matrix (.npy, float32 or float64, N x d).", Required = true };
        var method = new Option<string>("--method") { Description = "umap or pca.", DefaultValueFactory = _ => "umap" };
        method.AcceptOnlyFromAmong("umap", "pca");
        var components = new Option<int>("--components") { Description = "Output dimensions.", DefaultValueFactory = _ => 2 };
        var neighbors = new Option<int>("--neighbors") { Description = "UMAP neighbourhood size (the point included).", DefaultValueFactory = _ => 15 };
        var metric = new Option<string>("--metric") { Description = "UMAP input distance: cosine or euclidean.", DefaultValueFactory = _ => "cosine" };
        metric.AcceptOnlyFromAmong("cosine", "euclidean");
        var minDist = new Option<double>("--min-dist") { Description = "UMAP minimum distance between embedded points.", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the output is identical at any thread count.", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = "Output matrix (.npy, float32, N x components).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print a JSON summary instead of text." };

        var command = new Command("reduce", "Reduce an embeddings matrix to a few dimensions with UMAP or PCA.");
        foreach (var option in new Option[] { embeddings, method, components, neighbors, metric, minDist, seed, output, json })
        {
            command.Options.Add(option);
        }

        // Off the invoking thread: System.CommandLine only delivers Ctrl+C to the token while the action's task is pending.
        command.SetAction((parse, cancellationToken) => Task.Run(() => Run(
            parse.GetValue(embeddings)!,
            parse.GetValue(method)!,
            parse.GetValue(components),
            parse.GetValue(neighbors),
            parse.GetValue(metric)!,
            parse.GetValue(minDist),
            parse.GetValue(seed),
            parse.GetValue(output)!,
            parse.GetValue(json),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken), CancellationToken.None));
        return command;
    }

    private static int Run(
        FileInfo input, string method, int components, int neighbors, string metric, double minDist, int seed, FileInfo output, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var data = NpyFile.Read(input.FullName);
            var watch = Stopwatch.StartNew();
            IReducer reducer = method == "pca"
                ? new Pca(new PcaOptions(components) { Seed = seed })
                : new Umap(new UmapOptions
                {
                    NComponents = components,
                    NNeighbors = neighbors,
                    Metric = metric == "euclidean" ? DistanceMetric.Euclidean : DistanceMetric.Cosine,
                    MinDist = minDist,
                    Seed = seed,
                });
            var reduced = reducer.Fit(data, cancellationToken).Embedding;
            watch.Stop();
            // Written beside the target and moved into place, so an interrupted run never leaves a truncated file.
            var partial = output.FullName + ".partial";
            NpyFile.Write(partial, reduced);
            File.Move(partial, output.FullName, overwrite: true);
            if (json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["method"] = method,
                    ["rows"] = reduced.Rows,
                    ["input_columns"] = data.Columns,
                    ["components"] = reduced.Columns,
                    ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3),
                    ["out"] = output.FullName,
                }));
            }
            else
            {
                stdout.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Reduced {data.Rows} x {data.Columns} to {reduced.Rows} x {reduced.Columns} with {method} in {watch.Elapsed.TotalSeconds:F2} s -> {output.FullName}"));
            }

            return 0;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("reduce: cancelled; no output was written.");
            return 130;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"reduce: {e.Message}");
            return 1;
        }
    }
}
