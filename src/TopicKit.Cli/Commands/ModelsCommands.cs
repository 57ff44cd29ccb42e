using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TopicKit.Embedding;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit models list|pull|verify|path</c>: the registry of downloadable embedding models.</summary>
internal static class ModelsCommands
{
    public static Command Create()
    {
        var models = new Command("models", "List, download, verify and locate embedding models (folder: ~/.cache/topickit/models or $TOPICKIT_MODELS).");
        models.Subcommands.Add(CreateList());
        models.Subcommands.Add(CreatePull());
        models.Subcommands.Add(CreateVerify());
        models.Subcommands.Add(CreatePath());
        return models;
    }

    private static Option<bool> JsonOption() => SharedOptions.Json();

    private static Option<string?> ModelsDirOption() => EmbeddingModels.ModelsDirOption();

    private static Argument<string> NameArgument() => new("name") { Description = "Model name (see `topickit models list`)." };

    private static Command CreateList()
    {
        var json = JsonOption();
        var dir = ModelsDirOption();
        var cmd = new Command("list", "Show the known models, their size and whether they are installed.") { json, dir };
        cmd.SetHandler((parse, _) =>
        {
            var store = ModelStore.Create(parse.GetValue(dir));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                IReadOnlyList<ModelJson> rows = [.. store.Registry.Models.Select(m => new ModelJson(
                    m.Name, m.Description, m.Dimension, m.Pooling.ToString().ToLowerInvariant(), m.Normalize, m.MaxLength, m.QueryPrefix,
                    m.PassagePrefix, m.License, m.KnownBytes, store.IsInstalled(m), store.GetModelDirectory(m), store.GetStagedBytes(m)))];
                CliJson.Write(output, rows, c => c.IReadOnlyListModelJson);
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
        });
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
        cmd.SetHandler(async (parse, ct) =>
        {
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
                CliJson.Write(output, new ModelPullJson(
                    result.Name, result.Directory, result.AlreadyInstalled, [.. result.Files.Select(f => new PulledFileJson(f.Path, f.Size, f.Sha256, f.Generated))]),
                    c => c.ModelPullJson);
            }
            else
            {
                output.WriteLine(result.AlreadyInstalled
                    ? $"{result.Name} is already installed in {result.Directory} (use --force to download again)"
                    : $"{result.Name} installed in {result.Directory} ({result.Files.Count} files, {FormatBytes(result.Files.Sum(f => f.Size))}, verified)");
            }

            return 0;
        }, cancelled: "downloaded parts are kept; run the same command again to resume");
        return cmd;
    }

    private static Command CreateVerify()
    {
        var name = new Argument<string?>("name") { Description = "Model to check (default: every installed model).", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOption();
        var dir = ModelsDirOption();
        var cmd = new Command("verify", "Re-hash installed model files against the manifest and the install record.") { name, json, dir };
        cmd.SetHandler((parse, ct) =>
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
                IReadOnlyList<ModelVerifyJson> rows = [.. results.Select(r => new ModelVerifyJson(r.Name, r.Directory, r.IsValid, [.. r.Files.Select(f => new VerifiedFileJson(
                    f.Path, f.Status.ToString().ToLowerInvariant(), f.ExpectedSha256, f.ActualSha256, f.ExpectedSize, f.ActualSize))]))];
                CliJson.Write(output, rows, c => c.IReadOnlyListModelVerifyJson);
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
                throw new InvalidDataException($"verification failed for {string.Join(", ", failed)}; run `topickit models pull NAME --force` to download again");
            }

            return 0;
        });
        return cmd;
    }

    private static Command CreatePath()
    {
        var name = NameArgument();
        var json = JsonOption();
        var dir = ModelsDirOption();
        var cmd = new Command("path", "Print the folder of an installed model.") { name, json, dir };
        cmd.SetHandler((parse, _) =>
        {
            var store = ModelStore.Create(parse.GetValue(dir));
            var requested = parse.GetValue(name)!;
            var manifest = store.Registry.TryGet(requested, out var m) ? m : throw new ModelResolutionException(store.Registry.UnknownNameMessage(requested));
            var path = new ModelResolver(store).Resolve(manifest.Name);
            if (parse.GetValue(json))
            {
                CliJson.Write(parse.InvocationConfiguration.Output, new ModelPathJson(manifest.Name, path), c => c.ModelPathJson);
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine(path);
            }

            return 0;
        });
        return cmd;
    }

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

/// <summary>One registry model of <c>models list --json</c>.</summary>
internal sealed record ModelJson(
    string Name, string Description, int Dimension, string Pooling, bool Normalize, int MaxLength, string? QueryPrefix, string? PassagePrefix,
    string License, long SizeBytes, bool Installed, string Path, long PartialBytes);

/// <summary><c>models pull --json</c>.</summary>
internal sealed record ModelPullJson(string Name, string Path, bool AlreadyInstalled, IReadOnlyList<PulledFileJson> Files);

/// <summary>One installed file of <see cref="ModelPullJson"/>.</summary>
internal sealed record PulledFileJson(string Path, long Size, string Sha256, bool Generated);

/// <summary>One model of <c>models verify --json</c>.</summary>
internal sealed record ModelVerifyJson(string Name, string Path, bool Ok, IReadOnlyList<VerifiedFileJson> Files);

/// <summary>One checked file of <see cref="ModelVerifyJson"/>.</summary>
internal sealed record VerifiedFileJson(string Path, string Status, string? ExpectedSha256, string? ActualSha256, long? ExpectedSize, long? ActualSize);

/// <summary><c>models path --json</c>.</summary>
internal sealed record ModelPathJson(string Name, string Path);
