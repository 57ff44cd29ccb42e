using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TopicKit.Embedding;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit embed</c>: fills the workspace's embedding cache for every document.</summary>
internal static class EmbedCommands
{
    public static Command Create()
    {
        var workspaceOption = CliSupport.WorkspaceOption();
        var model = new Option<string?>("--model")
        {
            Description = "Registry model name, model folder path, or 'lexical' (TF-IDF + SVD fitted on the workspace). "
                + "Default: an installed registry model (all-minilm-l6-v2 first), else lexical.",
            HelpName = "NAME|PATH|lexical",
        };
        var text = new Option<string>("--text")
        {
            Description = "What to embed: title+abstract ('Title. Abstract', the abstract alone when untitled), abstract or title.",
            DefaultValueFactory = _ => EmbeddingText.Name(EmbeddingTextField.TitleAbstract),
        };
        text.AcceptOnlyFromAmong([.. EmbeddingText.Names]);
        var batchTokens = EmbeddingModels.BatchTokensOption();
        var threads = EmbeddingModels.ThreadsOption();
        var dim = EmbeddingModels.DimOption();
        var refit = new Option<bool>("--refit") { Description = "Fit the lexical encoder again on the current documents (a new model id)." };
        var chunk = new Option<int>("--commit-every")
        {
            Description = "Texts encoded per committed transaction; an interrupted run loses at most this many.",
            DefaultValueFactory = _ => new WorkspaceEmbedOptions().ChunkSize,
            HelpName = "N",
        };
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var wait = CliSupport.WaitOption();
        var json = CliSupport.JsonOption();

        var command = new Command(
            "embed",
            "Embed every document of the workspace, computing only the vectors not cached yet for this model and text. "
            + "Work is committed in chunks, so Ctrl+C or a crash loses at most one chunk and a re-run resumes.")
        {
            workspaceOption, model, text, batchTokens, threads, dim, refit, chunk, modelsDir, wait, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            if (!EmbeddingModels.CheckMinimum(parseResult, (batchTokens, 1), (threads, 0), (dim, 1), (chunk, 1)))
            {
                return Task.FromResult(ExitCodes.Usage);
            }

            // Run off the invoking thread: System.CommandLine installs its Ctrl+C handler only once the action has returned
            // a pending task, so a synchronous action would be killed by the signal instead of seeing its token.
            var request = new EmbedRequest(
                CliSupport.ResolveWorkspace(parseResult, workspaceOption),
                parseResult.GetValue(model),
                EmbeddingText.Parse(parseResult.GetValue(text) ?? EmbeddingText.Names[0]),
                new SentenceEncoderOptions { TokenBudget = parseResult.GetValue(batchTokens), Threads = parseResult.GetValue(threads) },
                parseResult.GetValue(dim),
                parseResult.GetValue(refit),
                parseResult.GetValue(chunk),
                parseResult.GetValue(modelsDir),
                parseResult.GetValue(wait),
                parseResult.GetValue(json));
            return Task.Run(() => Run(parseResult, request, cancellationToken), CancellationToken.None);
        });
        return command;
    }

    private sealed record EmbedRequest(
        string Workspace, string? Model, EmbeddingTextField Text, SentenceEncoderOptions EncoderOptions, int Dimension, bool Refit,
        int ChunkSize, string? ModelsDir, double Wait, bool Json);

    private static int Run(ParseResult parseResult, EmbedRequest request, CancellationToken cancellationToken)
    {
        var stderr = parseResult.InvocationConfiguration.Error;
        var clock = Stopwatch.StartNew();
        var computed = 0;
        try
        {
            var store = EmbeddingModels.Store(request.ModelsDir);
            var choice = EmbeddingModels.Choose(request.Model, store);
            using var workspace = CliSupport.OpenExisting(request.Workspace);
            if (!request.Json || choice.IsDefault)
            {
                stderr.WriteLine("topickit: " + choice.Describe() + ".");
            }

            var lexicalFitted = false;
            ISentenceEncoder encoder;
            OnnxSentenceEncoder? onnx = null;
            if (choice.IsLexical)
            {
                (encoder, lexicalFitted) = WorkspaceEmbedder.LoadOrFitLexical(
                    workspace, request.Text, new LexicalEncoderOptions(request.Dimension), request.Refit, cancellationToken);
                if (lexicalFitted && ((LexicalEncoder)encoder).DimensionNotice(request.Dimension) is { } notice)
                {
                    stderr.WriteLine("topickit: " + notice + ".");
                }
            }
            else
            {
                onnx = EmbeddingModels.LoadOnnx(choice, store, request.EncoderOptions);
                encoder = onnx;
            }

            using (onnx)
            {
                var options = new WorkspaceEmbedOptions(request.Text, request.ChunkSize);
                var result = CliSupport.StderrIsTerminal(parseResult)
                    ? WithProgressBar(parseResult, workspace, encoder, options, p => computed = p.Computed, cancellationToken)
                    : WorkspaceEmbedder.EmbedMissing(workspace, encoder, options, new SyncProgress(p => computed = p.Computed), cancellationToken);
                clock.Stop();
                Report(parseResult, request, choice, result, lexicalFitted, clock.Elapsed.TotalSeconds);
                return ExitCodes.Ok;
            }
        }
        catch (OperationCanceledException)
        {
            CliSupport.Error(parseResult, $"cancelled after committing {computed:N0} new vectors; the cache is consistent and a re-run of the same command resumes.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            return EmbeddingModels.Fail(parseResult, e);
        }
    }

    private static WorkspaceEmbedResult WithProgressBar(
        ParseResult parseResult, TopicKit.Storage.Workspace workspace, ISentenceEncoder encoder, WorkspaceEmbedOptions options,
        Action<WorkspaceEmbedProgress> onProgress, CancellationToken cancellationToken)
    {
        var console = CliSupport.Console(parseResult.InvocationConfiguration.Error, isTerminal: true);
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("embedding", maxValue: 1);
                var clock = Stopwatch.StartNew();
                return WorkspaceEmbedder.EmbedMissing(workspace, encoder, options, new SyncProgress(p =>
                {
                    onProgress(p);
                    task.MaxValue = Math.Max(1, p.Missing);
                    task.Value = p.Computed;
                    var rate = p.Computed / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{p.Computed:N0}/{p.Missing:N0} texts, {rate:N0} texts/s"));
                }), cancellationToken);
            });
    }

    private static void Report(ParseResult parseResult, EmbedRequest request, ModelChoice choice, WorkspaceEmbedResult result, bool lexicalFitted, double seconds)
    {
        var rate = result.Computed / Math.Max(seconds, 1e-9);
        var output = parseResult.InvocationConfiguration.Output;
        if (request.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                model = choice.Spec,
                defaultModel = choice.IsDefault,
                modelId = result.ModelId,
                dimension = result.Dimension,
                text = EmbeddingText.Name(request.Text),
                documents = result.Documents,
                uniqueTexts = result.UniqueTexts,
                cached = result.Cached,
                computed = result.Computed,
                lexicalFitted,
                seconds = Math.Round(seconds, 3),
                textsPerSecond = Math.Round(rate, 1),
            }, EmbeddingModels.Json));
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Embedded {result.Computed:N0} new texts ({result.Cached:N0} already cached) for {result.Documents:N0} documents with {result.ModelId} ({result.Dimension} dims) in {seconds:F2} s ({rate:N0} texts/s)."));
        if (lexicalFitted)
        {
            output.WriteLine("The lexical encoder was fitted on the workspace's documents and saved in the workspace; later runs reuse it (--refit to fit again).");
        }
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and race the final report).</summary>
    private sealed class SyncProgress(Action<WorkspaceEmbedProgress> report) : IProgress<WorkspaceEmbedProgress>
    {
        public void Report(WorkspaceEmbedProgress value) => report(value);
    }
}
