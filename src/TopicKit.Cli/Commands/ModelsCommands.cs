using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;
using TopicKit.Cli.Commands;
using TopicKit.Embedding;

namespace TopicKit.Cli;

/// <summary><c>topickit models list|pull|verify|path</c>: the registry of downloadable embedding models.</summary>
internal static class ModelsCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var models = new Command("models", "List, download, verify and locate embedding models (folder: ~/.cache/topickit/models or $TOPICKIT_MODELS).");
        models.Subcommands.Add(CreateList());
        models.Subcommands.Add(CreatePull());
        models.Subcommands.Add(CreateVerify());
        models.Subcommands.Add(CreatePath());
        return models;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Write machine-readable JSON to stdout." };

    private static Option<string?> ModelsDirOption() =>
        new("--models-dir") { Description = "Models folder (default: $TOPICKIT_MODELS, else ~/.cache/topickit/models)." };

    private static Argument<string> NameArgument() => new("name") { Description = "Model name (see `topickit models list`)." };

    private static Command CreateList()
    {
        var json = JsonOption();
        var dir = ModelsDirOption();
        var cmd = new Command("list", "Show the known models, their size and whether they are installed.") { json, dir };
        cmd.SetAction(parse => Run(parse, () =>
        {
            var store = ModelStore.Create(parse.GetValue(dir));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var rows = store.Registry.Models.Select(m => new
                {
                    name = m.Name,
                    description = m.Description,
                    dimension = m.Dimension,
                    pooling = m.Pooling.ToString().ToLowerInvariant(),
                    normalize = m.Normalize,
                    maxLength = m.MaxLength,
                    queryPrefix = m.QueryPrefix,
                    passagePrefix = m.PassagePrefix,
                    license = m.License,
                    sizeBytes = m.KnownBytes,
                    installed = store.IsInstalled(m),
                    path = store.GetModelDirectory(m),
                    partialBytes = store.GetStagedBytes(m),
                });
                output.WriteLine(JsonSerializer.Serialize(rows, Json));
                return 0;
            }

            var table = new Table().AddColumns(new TableColumn("Name").NoWrap(), new TableColumn("Dim"), new TableColumn("Pooling"), new TableColumn("Max len"),
                new TableColumn("Size").NoWrap(), new TableColumn("Licence").NoWrap(), new TableColumn("Installed").NoWrap());
            foreach (var m in store.Registry.Models)
            {
                var staged = store.GetStagedBytes(m);
                var state = store.IsInstalled(m) ? "[green]yes[/]" : staged > 0 ? $"partial ({FormatBytes(staged)})" : "no";
                table.AddRow(Markup.Escape(m.Name), m.Dimension.ToString(CultureInfo.InvariantCulture), m.Pooling.ToString().ToLowerInvariant(),
                    m.MaxLength.ToString(CultureInfo.InvariantCulture), FormatBytes(m.KnownBytes) + (m.Files.Any(f => f.Size is null) ? "+" : string.Empty), m.License, state);
            }

            var console = ConsoleFor(output);
            console.Write(table);
            console.WriteLine("Models folder: " + store.Root);
            return 0;
        }));
        return cmd;
    }

    private static Command CreatePull()
    {
        var name = NameArgument();
        var json = JsonOption();
        var dir = ModelsDirOption();
        var baseUrl = new Option<string?>("--base-url")
        {
            Description = $"Download from this host instead of https://huggingface.co (a mirror keeping the same paths); default ${ModelDownloadOptions.BaseUrlVariable}.",
        };
        var force = new Option<bool>("--force") { Description = "Download again even when installed, replacing the installed copy atomically." };
        var cmd = new Command("pull", "Download a model with resume and sha256 verification into the models folder.") { name, json, dir, baseUrl, force };
        cmd.SetAction((parse, invocationToken) => RunAsync(parse, async () =>
        {
            // The root's InvocationConfiguration leaves ProcessTerminationTimeout unset, so System.CommandLine does not turn
            // Ctrl+C into cancellation; without this the process dies mid-write and leaves its lock file behind.
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => CancelOnce(ctx, interrupt));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => CancelOnce(ctx, interrupt));
            var ct = interrupt.Token;
            var urlText = parse.GetValue(baseUrl);
            var options = new ModelDownloadOptions
            {
                BaseUrl = urlText is not null ? ModelDownloadOptions.ParseBaseUrl(urlText, "--base-url") : ModelDownloadOptions.BaseUrlFromEnvironment(),
                Force = parse.GetValue(force),
            };
            var store = ModelStore.Create(parse.GetValue(dir));
            using var downloader = new ModelDownloader(store, options);
            var manifest = store.Registry.TryGet(parse.GetValue(name)!, out var m)
                ? m
                : throw new ModelResolutionException(store.Registry.UnknownNameMessage(parse.GetValue(name)!));
            var errorConsole = ConsoleFor(parse.InvocationConfiguration.Error);
            ModelPullResult result;
            if (!options.Force && store.IsInstalled(manifest))
            {
                result = await downloader.PullAsync(manifest, null, ct).ConfigureAwait(false);
            }
            else
            {
                result = await errorConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(ctx => downloader.PullAsync(manifest, new ProgressReporter(ctx), ct)).ConfigureAwait(false);
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new { name = result.Name, path = result.Directory, alreadyInstalled = result.AlreadyInstalled, files = result.Files }, Json));
            }
            else
            {
                output.WriteLine(result.AlreadyInstalled
                    ? $"{result.Name} is already installed in {result.Directory} (use --force to download again)"
                    : $"{result.Name} installed in {result.Directory} ({result.Files.Count} files, {FormatBytes(result.Files.Sum(f => f.Size))}, verified)");
            }

            return 0;
        }));
        return cmd;
    }

    private static void CancelOnce(PosixSignalContext context, CancellationTokenSource source)
    {
        // A second Ctrl+C falls through to the default handler and ends the process at once.
        if (!source.IsCancellationRequested)
        {
            context.Cancel = true;
            source.Cancel();
        }
    }

    private static Command CreateVerify()
    {
        var name = new Argument<string?>("name") { Description = "Model to check (default: every installed model).", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOption();
        var dir = ModelsDirOption();
        var cmd = new Command("verify", "Re-hash installed model files against the manifest and the install record.") { name, json, dir };
        cmd.SetAction((parse, ct) => RunAsync(parse, () =>
        {
            var store = ModelStore.Create(parse.GetValue(dir));
            var requested = parse.GetValue(name);
            IReadOnlyList<ModelManifest> targets = requested is null
                ? store.GetInstalled()
                : [store.Registry.TryGet(requested, out var m) ? m : throw new ModelResolutionException(store.Registry.UnknownNameMessage(requested))];
            var results = targets.Select(t => store.Verify(t, ct)).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(results.Select(r => new
                {
                    name = r.Name,
                    path = r.Directory,
                    ok = r.IsValid,
                    files = r.Files.Select(f => new
                    {
                        path = f.Path,
                        status = f.Status.ToString().ToLowerInvariant(),
                        expectedSha256 = f.ExpectedSha256,
                        actualSha256 = f.ActualSha256,
                        expectedSize = f.ExpectedSize,
                        actualSize = f.ActualSize,
                    }),
                }), Json));
            }
            else if (results.Count == 0)
            {
                output.WriteLine("No models are installed in " + store.Root);
            }
            else
            {
                foreach (var r in results)
                {
                    output.WriteLine(r.IsValid ? $"{r.Name}: OK ({r.Files.Count} files)" : $"{r.Name}: FAILED");
                    foreach (var f in r.Files.Where(f => f.Status is not (ModelFileStatus.Ok or ModelFileStatus.Unpinned)))
                    {
                        output.WriteLine(f.Status == ModelFileStatus.Missing
                            ? $"  {f.Path}: missing"
                            : $"  {f.Path}: corrupt (expected sha256 {f.ExpectedSha256}, {f.ExpectedSize} bytes; got {f.ActualSha256}, {f.ActualSize} bytes)");
                    }
                }
            }

            var failed = results.Where(r => !r.IsValid).Select(r => r.Name).ToList();
            if (failed.Count > 0)
            {
                parse.InvocationConfiguration.Error.WriteLine(
                    $"error: verification failed for {string.Join(", ", failed)}; run `topickit models pull NAME --force` to download again");
                return Task.FromResult(1);
            }

            return Task.FromResult(0);
        }));
        return cmd;
    }

    private static Command CreatePath()
    {
        var name = NameArgument();
        var json = JsonOption();
        var dir = ModelsDirOption();
        var cmd = new Command("path", "Print the folder of an installed model.") { name, json, dir };
        cmd.SetAction(parse => Run(parse, () =>
        {
            var store = ModelStore.Create(parse.GetValue(dir));
            var requested = parse.GetValue(name)!;
            var manifest = store.Registry.TryGet(requested, out var m) ? m : throw new ModelResolutionException(store.Registry.UnknownNameMessage(requested));
            var path = new ModelResolver(store).Resolve(manifest.Name);
            parse.InvocationConfiguration.Output.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { name = manifest.Name, path }, Json)
                : path);
            return 0;
        }));
        return cmd;
    }

    private static int Run(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            parse.InvocationConfiguration.Error.WriteLine("error: " + ex.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            parse.InvocationConfiguration.Error.WriteLine("interrupted: downloaded parts are kept; run the same command again to resume");
            return 130;
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            parse.InvocationConfiguration.Error.WriteLine("error: " + ex.Message);
            return 1;
        }
    }

    private static bool IsUserError(Exception ex) =>
        ex is ModelResolutionException or ModelDownloadException or InvalidDataException or ArgumentException or IOException or UnauthorizedAccessException;

    // Progress goes to stderr and tables to stdout; ANSI and the terminal width only when that stream is the terminal.
    private static IAnsiConsole ConsoleFor(TextWriter writer) => CliSupport.Console(
        writer,
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected) || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected));

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    /// <summary>Feeds downloader progress into one Spectre task per file (created on the file's first report).</summary>
    private sealed class ProgressReporter(ProgressContext context) : IProgress<ModelDownloadProgress>
    {
        private readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);
        private readonly Lock gate = new();

        public void Report(ModelDownloadProgress value)
        {
            lock (gate)
            {
                if (!tasks.TryGetValue(value.File, out var task))
                {
                    task = context.AddTask(Markup.Escape(value.File), autoStart: true, maxValue: Math.Max(1, value.TotalBytes ?? 1));
                    task.IsIndeterminate = value.TotalBytes is null;
                    tasks.Add(value.File, task);
                }

                if (value.TotalBytes is { } total)
                {
                    task.IsIndeterminate = false;
                    task.MaxValue = Math.Max(1, total);
                }

                task.Value = value.BytesDone;
            }
        }
    }
}
