using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using TopicKit.Embedding;
using TopicKit.Pipeline;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit embed</c>: fills the workspace's embedding cache (the library's <see cref="EmbedJob"/>).</summary>
internal static class EmbedCommands
{
    public static Command Create()
    {
        var workspace = SharedOptions.Workspace();
        var model = SharedOptions.Model("Default: an installed registry model (all-minilm-l6-v2 first), else lexical.");
        var text = EmbeddingModels.TextOption("What to embed:");
        var batchTokens = EmbeddingModels.BatchTokensOption();
        var threads = EmbeddingModels.ThreadsOption();
        var dim = EmbeddingModels.DimOption();
        var refit = new Option<bool>("--refit") { Description = "Fit the lexical encoder again on the current documents (a new model id)." };
        var chunk = SharedOptions.Int("--commit-every", "Texts encoded per committed transaction; an interrupted run loses at most this many.", new EmbedRequest(".").ChunkSize, 1);
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var wait = SharedOptions.Wait();
        var json = SharedOptions.Json();
        var command = new Command("embed", "Embed every document of the workspace, computing only the vectors not cached yet; Ctrl+C keeps committed chunks.")
        {
            workspace, model, text, batchTokens, threads, dim, refit, chunk, modelsDir, wait, json,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            var request = new EmbedRequest(SharedOptions.ResolveWorkspace(parseResult, workspace))
            {
                Model = parseResult.GetValue(model),
                Text = EmbeddingText.Parse(parseResult.GetValue(text) ?? EmbeddingText.Names[0]),
                Encoder = new SentenceEncoderOptions { TokenBudget = parseResult.GetValue(batchTokens), Threads = parseResult.GetValue(threads) },
                Lexical = new LexicalEncoderOptions(parseResult.GetValue(dim)),
                Refit = parseResult.GetValue(refit),
                ChunkSize = parseResult.GetValue(chunk),
                ModelsDirectory = parseResult.GetValue(modelsDir),
                LockTimeout = SharedOptions.WaitTime(parseResult, wait),
            };
            var asJson = parseResult.GetValue(json);
            var stderr = parseResult.InvocationConfiguration.Error;
            var announced = false;
            void Observe(EmbedProgress progress)
            {
                // The first report names the model, before any work: say which one is used (always when it is the default).
                if (!announced && (!asJson || progress.Model.IsDefault))
                {
                    stderr.WriteLine("topickit: " + progress.Model.Describe() + ".");
                }

                announced = true;
            }

            var result = CliSupport.StderrIsTerminal(parseResult)
                ? WithProgressBar(parseResult, request, Observe, cancellationToken)
                : EmbedJob.Run(request, new InlineProgress<EmbedProgress>(Observe), cancellationToken);
            if (result.Notice is { } notice)
            {
                stderr.WriteLine("topickit: " + notice + ".");
            }

            Report(parseResult, asJson, request, result);
            if (!result.Cancelled)
            {
                return ExitCodes.Ok;
            }

            CliErrors.Error(parseResult, $"cancelled after committing {result.Computed:N0} new vectors; the cache is consistent and a re-run of the same command resumes.");
            return ExitCodes.Cancelled;
        }, cancelled: "the cache is consistent and a re-run of the same command resumes");
        return command;
    }

    private static EmbedResult WithProgressBar(ParseResult parseResult, EmbedRequest request, Action<EmbedProgress> observe, CancellationToken cancellationToken)
    {
        var console = CliSupport.Console(parseResult.InvocationConfiguration.Error, isTerminal: true);
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("embedding", maxValue: 1);
                var clock = Stopwatch.StartNew();
                return EmbedJob.Run(request, new InlineProgress<EmbedProgress>(p =>
                {
                    observe(p);
                    task.MaxValue = Math.Max(1, p.Missing);
                    task.Value = p.Computed;
                    var rate = p.Computed / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{p.Computed:N0}/{p.Missing:N0} texts, {rate:N0} texts/s"));
                }), cancellationToken);
            });
    }

    private static void Report(ParseResult parseResult, bool asJson, EmbedRequest request, EmbedResult result)
    {
        var seconds = result.Elapsed.TotalSeconds;
        var rate = result.Computed / Math.Max(seconds, 1e-9);
        var output = parseResult.InvocationConfiguration.Output;
        if (asJson)
        {
            CliJson.Write(output, new EmbedJson(
                result.Model.Spec, result.Model.IsDefault, result.ModelId, result.Dimension, EmbeddingText.Name(request.Text), result.Documents,
                result.UniqueTexts, result.Cached, result.Computed, result.LexicalFitted, result.Cancelled, CliJson.Seconds(seconds), Math.Round(rate, 1)),
                c => c.EmbedJson);
            return;
        }

        if (result.Cancelled)
        {
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Embedded {result.Computed:N0} new texts ({result.Cached:N0} already cached) for {result.Documents:N0} documents with {result.ModelId} ({result.Dimension} dims) in {seconds:F2} s ({rate:N0} texts/s)."));
        if (result.LexicalFitted)
        {
            output.WriteLine("The lexical encoder was fitted on the workspace's documents and saved in the workspace; later runs reuse it (--refit to fit again).");
        }
    }
}

/// <summary><c>embed --json</c> (README.md, "JSON contract"); on Ctrl+C <c>cancelled</c> is true and the counts are what was committed.</summary>
internal sealed record EmbedJson(
    string Model, bool DefaultModel, string ModelId, int Dimension, string Text, int Documents, int UniqueTexts, int Cached, int Computed,
    bool LexicalFitted, bool Cancelled, double Seconds, double TextsPerSecond);
