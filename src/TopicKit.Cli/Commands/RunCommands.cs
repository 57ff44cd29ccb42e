using System.CommandLine;
using Spectre.Console;
using TopicKit.Clustering;
using TopicKit.Neighbors;
using TopicKit.Pipeline;
using TopicKit.Reduction;
using TopicKit.Topics;

namespace TopicKit.Cli.Commands;

/// <summary>
/// <c>topickit run [FILES...]</c>: the whole job (the library's <see cref="RunJob"/>): ingest, embed, reduce, cluster,
/// topics with outlier reduction, near-duplicates, the 2-D map, the report and the saved model.
/// </summary>
internal static class RunCommands
{
    /// <summary>The corpus <c>run</c> uses when it gets no files and the workspace is empty (copied beside the executable).</summary>
    public static string SampleCorpus => Path.Combine(AppContext.BaseDirectory, "sample", "sample-abstracts.jsonl");

    public static Command Create()
    {
        var command = new Command(
            "run",
            "The whole job: ingest FILES (none: the workspace, or the bundled sample), embed, cluster, describe topics, find duplicates, write the report and model to --out.");
        var inputs = new IngestCommands.IngestInputs(filesRequired: false);
        inputs.AddTo(command);
        var options = new RunOptions();
        options.AddTo(command);
        command.SetHandler(
            async (parseResult, cancellationToken) =>
            {
                var workspace = SharedOptions.ResolveWorkspace(parseResult, inputs.Workspace);
                var request = options.ToRequest(parseResult, workspace, SharedOptions.WaitTime(parseResult, inputs.Wait));
                var files = parseResult.GetValue(inputs.Files) ?? [];
                IngestReport? ingest = null;
                if (files.Length > 0)
                {
                    ingest = await inputs.RunAsync(parseResult, cancellationToken).ConfigureAwait(false);
                    if (IngestCommands.ExitCode(ingest) is var code and not ExitCodes.Ok)
                    {
                        // A failed file stops the run before any model work, so the report never silently lacks it.
                        if (parseResult.GetValue(inputs.Json))
                        {
                            CliJson.Write(parseResult.InvocationConfiguration.Output, RunJson.IngestOnly(Path.GetFullPath(workspace), IngestCommands.ToJson(ingest)), c => c.RunJson);
                        }

                        return code;
                    }
                }
                else if (!HasDocuments(workspace))
                {
                    CliSupport.Note(parseResult, $"no files given and the workspace is empty: running on the bundled sample ({SampleCorpus})");
                    ingest = await IngestJob.RunAsync(new IngestRequest(workspace, [new IngestInput(SampleCorpus)]), null, cancellationToken).ConfigureAwait(false);
                    if (IngestCommands.ExitCode(ingest) is var code and not ExitCodes.Ok)
                    {
                        IngestCommands.ReportProblems(parseResult, ingest);
                        return code;
                    }
                }

                var json = parseResult.GetValue(inputs.Json);
                var result = await Execute(parseResult, request, showProgress: !json && CliSupport.StderrIsTerminal(parseResult), cancellationToken).ConfigureAwait(false);
                result = result with { Ingest = ingest ?? result.Ingest };
                CliSupport.Note(parseResult, result.Embed.Model.Describe() + (result.Embed.Model.IsLexical
                    ? "; for a sentence model, `topickit models pull all-minilm-l6-v2` (or --model FOLDER) and run again"
                    : string.Empty));
                if (json)
                {
                    CliJson.Write(parseResult.InvocationConfiguration.Output, ToJson(workspace, result), c => c.RunJson);
                }
                else
                {
                    Render(CliSupport.Stdout(parseResult), result);
                }

                return ExitCodes.Ok;
            },
            cancelled: "documents ingested and vectors embedded so far are kept; run the same command again to resume");
        return command;
    }

    private static bool HasDocuments(string workspace)
    {
        if (!File.Exists(Path.Combine(workspace, Storage.Workspace.DatabaseFileName)))
        {
            return false;
        }

        using var opened = CliSupport.OpenExisting(workspace);
        return opened.Documents.Count() > 0;
    }

    private static async Task<RunJobResult> Execute(ParseResult parseResult, RunRequest request, bool showProgress, CancellationToken cancellationToken)
    {
        if (!showProgress)
        {
            return await RunJob.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        }

        var console = CliSupport.Console(parseResult.InvocationConfiguration.Error, isTerminal: true);
        return await console.Status().StartAsync("starting", async context =>
            await RunJob.RunAsync(request, new InlineProgress<PipelineProgress>(p => context.Status(Markup.Escape($"{p.Stage}: {p.Message}"))), cancellationToken)
                .ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static void Render(IAnsiConsole console, RunJobResult result)
    {
        var model = result.Model;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Run").AddColumn(new TableColumn("Value"));
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("documents", $"{model.DocumentCount:N0}");
        Row("model", result.Embed.ModelId);
        Row("embeddings", $"{result.Embed.Computed:N0} computed, {result.Embed.Cached:N0} cached");
        Row("topics", $"{model.Topics.Count(t => t.Id >= 0)}");
        Row("outliers", $"{Share(model.Outliers.Before, model.DocumentCount)} before reduction, {Share(model.Outliers.After, model.DocumentCount)} after ({model.Outliers.Moved:N0} moved)");
        Row("duplicate groups", $"{result.Duplicates.Groups.Count:N0}");
        Row("topic diversity", $"{result.Evaluation.Diversity:0.000}");
        Row("coherence (NPMI)", $"{result.Evaluation.Coherence:0.000}");
        Row("time", string.Join(", ", result.Stages.Select(s => $"{s.Stage} {s.Elapsed.TotalSeconds:0.0} s")));
        Row("report", Path.Combine(result.Report.OutDirectory, "index.html"));
        Row("model folder", result.ModelDirectory);
        Row("workspace run", $"{result.Run.Id} (topickit report --run {result.Run.Id} redraws this report)");
        console.Write(table);

        var topics = new Table().Border(TableBorder.Rounded).AddColumn("Topic").AddColumn(new TableColumn("Size").RightAligned()).AddColumn("Label");
        foreach (var topic in model.Topics.Where(t => t.Id >= 0).OrderByDescending(t => t.Size).Take(20))
        {
            topics.AddRow($"{topic.Id}", $"{topic.Size:N0}", Markup.Escape(topic.Label));
        }

        console.Write(topics);
    }

    private static string Share(int count, int total) => total == 0 ? "0" : $"{count:N0} ({100.0 * count / total:0.0}%)";

    private static RunJson ToJson(string workspace, RunJobResult r) => new(
        Path.GetFullPath(workspace),
        r.Ingest is null ? null : IngestCommands.ToJson(r.Ingest),
        r.Report.OutDirectory,
        r.ModelDirectory,
        r.Embed.ModelId,
        r.Model.DocumentCount,
        r.Model.Topics.Count(t => t.Id >= 0),
        r.Model.Outliers.Before,
        r.Model.Outliers.After,
        r.Duplicates.Groups.Count,
        r.Evaluation.Diversity,
        r.Evaluation.Coherence,
        r.Stages.ToDictionary(s => s.Stage, s => CliJson.Seconds(s.Elapsed.TotalSeconds)),
        [.. r.Report.Files.Select(Path.GetFileName).OfType<string>()],
        r.Run.Id);

    /// <summary>The stage options of <c>run</c>, mapped onto a <see cref="RunRequest"/>.</summary>
    private sealed class RunOptions
    {
        public Option<string?> Out { get; } = new("--out", "-o") { Description = "Folder for the report files and model/ (default: topickit-report).", HelpName = "DIR" };

        public Option<string?> Model { get; } = SharedOptions.Model("Default: the workspace's model, else an installed one, else 'lexical'.");

        public Option<string?> ModelsDir { get; } = EmbeddingModels.ModelsDirOption();

        public Option<string> Algorithm { get; } = new Option<string>("--algorithm") { Description = "Clusterer: hdbscan (default) or kmeans.", DefaultValueFactory = _ => "hdbscan", HelpName = "NAME" }
            .AcceptOnlyFromAmong("hdbscan", "kmeans");

        public Option<int> K { get; } = SharedOptions.Int("--k", "k-means: number of topics.", 8, 1);

        public Option<int?> MinClusterSize { get; } = SharedOptions.OptionalInt("--min-cluster-size", "HDBSCAN: smallest topic (default 10, or 1 in 500 documents above 5,000).", 2);

        public Option<int?> MinSamples { get; } = SharedOptions.OptionalInt("--min-samples", "HDBSCAN: neighbours for the core distance (default: the min cluster size).", 1);

        public Option<string?> Reduce { get; } = new("--reduce") { Description = "Reduction before clustering: umap:N, pca:N or none (default umap:5 for hdbscan, none for kmeans).", HelpName = "SPEC" };

        public Option<int> Seed { get; } = SharedOptions.Seed();

        public Option<double> Threshold { get; } = SharedOptions.Double("--threshold", "Near-duplicates: embedding cosine at least this.", 0.95, 0, 1, "T");

        public Option<double> Jaccard { get; } = SharedOptions.Double("--jaccard", "Near-duplicates: word-shingle Jaccard at least this.", 0.5, 0, 1, "J");

        public Option<int> TopN { get; } = SharedOptions.Int("--top-n", "Keywords per topic.", 10, 1, 100);

        public Option<bool> KeepOutliers { get; } = new("--keep-outliers") { Description = "Skip outlier reduction (by default outliers join their most similar topic by c-TF-IDF)." };

        public Option<string?> Title { get; } = new("--title") { Description = "Report title.", HelpName = "TEXT" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Out, Model, ModelsDir, Algorithm, K, MinClusterSize, MinSamples, Reduce, Seed, Threshold, Jaccard, TopN, KeepOutliers, Title })
            {
                command.Options.Add(option);
            }
        }

        public RunRequest ToRequest(ParseResult parseResult, string workspace, TimeSpan lockTimeout)
        {
            var seed = parseResult.GetValue(Seed);
            var kmeans = parseResult.GetValue(Algorithm) == "kmeans";
            if (kmeans && (parseResult.GetResult(MinClusterSize) is { Implicit: false } || parseResult.GetResult(MinSamples) is { Implicit: false }))
            {
                throw new UsageException("--min-cluster-size and --min-samples are HDBSCAN options; with --algorithm kmeans use --k.");
            }

            if (!kmeans && parseResult.GetResult(K) is { Implicit: false })
            {
                throw new UsageException("--k is a k-means option; add --algorithm kmeans, or use --min-cluster-size with hdbscan.");
            }

            IClusterer? clusterer = kmeans
                ? new KMeans(new KMeansOptions { K = parseResult.GetValue(K), Seed = seed, Metric = DistanceMetric.Cosine })
                : parseResult.GetValue(MinClusterSize) is { } size || parseResult.GetValue(MinSamples) is not null
                    ? new Hdbscan(new HdbscanOptions { MinClusterSize = parseResult.GetValue(MinClusterSize) ?? 10, MinSamples = parseResult.GetValue(MinSamples) })
                    : null;
            IReducer? reducer = null;
            var noReduction = false;
            if (parseResult.GetValue(Reduce) is { } spec)
            {
                ReductionSpec parsed;
                try
                {
                    parsed = ReductionSpec.Parse(spec);
                }
                catch (ArgumentException e)
                {
                    throw new UsageException(e.Message);
                }

                reducer = parsed.Kind switch
                {
                    ReductionKind.Umap => new Umap(new UmapOptions { NComponents = parsed.Components, MinDist = 0.0, Metric = DistanceMetric.Cosine, Seed = seed }),
                    ReductionKind.Pca => new Pca(new PcaOptions(parsed.Components) { Seed = seed }),
                    _ => null,
                };
                noReduction = parsed.Kind == ReductionKind.None;
            }

            return new RunRequest(workspace, parseResult.GetValue(Out) ?? "topickit-report")
            {
                Model = parseResult.GetValue(Model),
                ModelsDirectory = parseResult.GetValue(ModelsDir),
                Clusterer = clusterer,
                Reducer = reducer,
                NoReduction = noReduction,
                Seed = seed,
                Representation = new ClassTfidfOptions() with { TopN = parseResult.GetValue(TopN) },
                OutlierReduction = parseResult.GetValue(KeepOutliers) ? null : new OutlierReductionOptions(OutlierStrategy.ClassTfidf),
                Duplicates = new RunRequest(workspace, ".").Duplicates is var d
                    ? d with { Semantic = d.Semantic with { Threshold = parseResult.GetValue(Threshold) }, Lexical = d.Lexical with { Threshold = parseResult.GetValue(Jaccard) } }
                    : d,
                Title = parseResult.GetValue(Title) ?? "TopicKit topic map",
                LockTimeout = lockTimeout,
            };
        }
    }
}
