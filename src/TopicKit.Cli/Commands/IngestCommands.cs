using System.CommandLine;
using Spectre.Console;
using TopicKit.Corpus;
using TopicKit.Pipeline;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit ingest FILES...</c>: read corpus files into a workspace (the library's <see cref="IngestJob"/>).</summary>
internal static class IngestCommands
{
    public static Command Create()
    {
        var command = new Command(
            "ingest",
            "Read corpus files (JSON/JSONL, CSV/TSV, BibTeX, saved listings, plain text) into the workspace; one transaction per file.");
        var inputs = new IngestInputs();
        inputs.AddTo(command);
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var report = await inputs.RunAsync(parseResult, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(inputs.Json))
            {
                CliJson.Write(parseResult.InvocationConfiguration.Output, ToJson(report), c => c.IngestJson);
            }
            else
            {
                RenderReport(CliSupport.Stdout(parseResult), report);
            }

            return ExitCode(report);
        });
        return command;
    }

    /// <summary>The arguments and options shared by <c>ingest</c> and <c>run</c>, and their execution.</summary>
    internal sealed class IngestInputs
    {
        public Argument<string[]> Files { get; } = new("files")
        {
            Description = "Corpus files or globs (e.g. data/*.jsonl, data/**/*.bib).",
            Arity = ArgumentArity.OneOrMore,
        };

        public Option<string?> Workspace { get; } = SharedOptions.Workspace();

        public Option<string> Format { get; } = CreateFormatOption();

        public Option<bool> Atomic { get; } = new("--atomic")
        {
            Description = "All-or-nothing: ingest every file in one transaction, so any failure writes nothing.",
        };

        public Option<double> Wait { get; } = SharedOptions.Wait();

        public Option<bool> Json { get; } = SharedOptions.Json();

        /// <summary>CSV/TSV column names, one option per <see cref="CsvColumnMap"/> property.</summary>
        public IReadOnlyList<Option<string?>> Columns { get; } =
            [.. new[] { "title", "abstract", "authors", "categories", "id", "date" }.Select(field => new Option<string?>($"--{field}-column")
            {
                Description = $"CSV/TSV: the header column holding the {field} (default: recognised by name).",
                HelpName = "NAME",
            })];

        public Option<int> MaxRecordChars { get; } = SharedOptions.Int(
            "--max-record-chars", "Longest line or record accepted, in characters; longer input is an error, not buffered.",
            CorpusReadOptions.DefaultMaxRecordChars, 1024);

        public void AddTo(Command command)
        {
            command.Arguments.Add(Files);
            foreach (var option in new Option[] { Workspace, Format, Atomic, Wait, Json, MaxRecordChars }.Concat(Columns))
            {
                command.Options.Add(option);
            }
        }

        /// <summary>Ingests the files; a usage error or a failure before any file could be tried is thrown.</summary>
        public async Task<IngestReport> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
        {
            var arguments = parseResult.GetValue(Files) ?? [];
            if (arguments.FirstOrDefault(a => a.StartsWith('-') && a != InputFiles.StandardInput && !File.Exists(a)) is { } unknown)
            {
                throw new UsageException($"unknown option {unknown}");
            }

            var formatName = parseResult.GetValue(Format);
            if (arguments.Contains(InputFiles.StandardInput) && (!CorpusFormatNames.TryParse(formatName, out var given) || given == CorpusFormat.Auto))
            {
                throw new UsageException("reading standard input (-) needs --format (e.g. --format jsonl), as it is read only once.");
            }

            var expansions = InputFiles.Expand(arguments, Environment.CurrentDirectory);
            if (expansions.All(i => i.Files.Count == 0))
            {
                foreach (var input in expansions)
                {
                    CliErrors.Error(parseResult, input.Error ?? input.Argument);
                }

                throw new FileNotFoundException("no input files; nothing was written.");
            }

            var column = Columns.Select(parseResult.GetValue).ToArray();
            var request = new IngestRequest(
                SharedOptions.ResolveWorkspace(parseResult, Workspace),
                [.. expansions.SelectMany(e => e.Error is null ? e.Files.Select(ToInput) : [new IngestInput(e.Argument, e.Error)])])
            {
                Read = new CorpusReadOptions
                {
                    Format = CorpusFormatNames.TryParse(formatName, out var format) ? format : CorpusFormat.Auto,
                    Columns = column.All(c => c is null) ? null : new CsvColumnMap(column[0], column[1], column[2], column[3], column[4], column[5]),
                    MaxRecordChars = parseResult.GetValue(MaxRecordChars),
                },
                Atomic = parseResult.GetValue(Atomic),
                LockTimeout = SharedOptions.WaitTime(parseResult, Wait),
            };
            var showProgress = !parseResult.GetValue(Json) && CliSupport.StderrIsTerminal(parseResult);
            var report = showProgress
                ? await WithProgressAsync(parseResult, request, progress => IngestJob.RunAsync(request, progress, cancellationToken)).ConfigureAwait(false)
                : await IngestJob.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
            ReportProblems(parseResult, report);
            return report;
        }

        /// <summary><c>-</c> is standard input, read once with the given format; anything else is a file.</summary>
        private static IngestInput ToInput(string path) =>
            path == InputFiles.StandardInput ? new IngestInput("stdin") { Open = Console.OpenStandardInput } : new IngestInput(path);

        private static async Task<IngestReport> WithProgressAsync(
            ParseResult parseResult, IngestRequest request, Func<IProgress<IngestProgress>, Task<IngestReport>> run)
        {
            var total = Math.Max(1, request.Inputs.Count(i => i.Error is null));
            var console = CliSupport.Console(parseResult.InvocationConfiguration.Error, isTerminal: true);
            return await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("ingesting", maxValue: total);
                    // Record counts are unknown before reading, so one file shows activity and the count, not a percentage.
                    task.IsIndeterminate = total == 1;
                    return await run(new InlineProgress<IngestProgress>(p =>
                    {
                        task.Description = Markup.Escape($"{Path.GetFileName(p.Path)}: {p.Records:N0} records");
                        task.Value = p.FileIndex;
                    })).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
    }

    /// <summary>The exit code of an ingestion: the fatal error's, else 130 when cancelled, 1 when a file failed, else 0.</summary>
    internal static int ExitCode(IngestReport report) =>
        report.Fatal is not null ? CliErrors.ExitCode(report.Fatal)
        : report.Cancelled ? ExitCodes.Cancelled
        : report.Failed > 0 ? ExitCodes.BadInput
        : ExitCodes.Ok;

    /// <summary>The JSON contract value of a file status (<c>rolled-back</c>, <c>not-started</c>, ...).</summary>
    internal static string StatusName(IngestFileStatus status) => status switch
    {
        IngestFileStatus.Ingested => "ingested",
        IngestFileStatus.Failed => "failed",
        IngestFileStatus.RolledBack => "rolled-back",
        IngestFileStatus.Cancelled => "cancelled",
        _ => "not-started",
    };

    /// <summary>One stderr line per failed file, and one stating what happened to the others.</summary>
    internal static void ReportProblems(ParseResult parseResult, IngestReport report)
    {
        foreach (var file in report.Files.Where(f => f.Status is IngestFileStatus.Failed or IngestFileStatus.Cancelled))
        {
            CliErrors.Error(parseResult, CliErrors.ForCli(file.Error ?? file.Path));
        }

        var committed = report.Files.Count(f => f.Status == IngestFileStatus.Ingested);
        if (report.Fatal is not null)
        {
            if (committed > 0)
            {
                CliErrors.Error(parseResult, $"{committed} file(s) committed before this error stay; the rest were not ingested.");
            }
        }
        else if (report.Cancelled)
        {
            CliErrors.Error(parseResult, report.Atomic
                ? "cancelled: nothing was written (--atomic)."
                : $"cancelled: the file being read was rolled back; {committed} file(s) committed before stay.");
        }
        else if (report.Failed > 0)
        {
            CliErrors.Error(parseResult, report.Atomic
                ? "nothing was written (--atomic): fix the failing input and run again."
                : $"{report.Failed} of {report.Files.Count} input(s) failed and wrote nothing; {committed} file(s) were committed.");
        }
    }

    internal static IngestJson ToJson(IngestReport report) => new(
        report.Workspace, report.Atomic, report.Read, report.Added, report.Skipped, report.Failed, report.Cancelled, report.Documents,
        [.. report.Files.Select(f => new IngestFileJson(
            f.Path, StatusName(f.Status), f.Result?.Read ?? 0, f.Result?.Added ?? 0, f.Result?.Skipped ?? 0,
            [.. (f.Result?.Renamed ?? []).Select(r => new RenamedJson(r.OriginalId, r.StoredId, r.Position))],
            f.Error is null ? null : CliErrors.ForCli(f.Error)))],
        report.Duplicates);

    internal static void RenderReport(IAnsiConsole console, IngestReport report)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("File").AddColumn("Status").AddColumn(new TableColumn("Read").RightAligned())
            .AddColumn(new TableColumn("Added").RightAligned()).AddColumn(new TableColumn("Skipped").RightAligned()).AddColumn("Note");
        foreach (var file in report.Files)
        {
            var note = (file.Error is null ? null : CliErrors.ForCli(file.Error)) ?? (file.Result is { Renamed.Count: > 0 } r ? $"{r.Renamed.Count} id(s) renamed to avoid collisions" : string.Empty);
            var status = file.Status == IngestFileStatus.Ingested ? "[green]ingested[/]" : $"[red]{StatusName(file.Status)}[/]";
            table.AddRow(
                Markup.Escape(Path.GetFileName(file.Path)), status,
                (file.Result?.Read ?? 0).ToString("N0"), (file.Result?.Added ?? 0).ToString("N0"),
                (file.Result?.Skipped ?? 0).ToString("N0"), Markup.Escape(note));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(
            $"{report.Added:N0} new document(s), {report.Skipped:N0} already present; workspace {report.Workspace} holds {report.Documents:N0}."));
        if (report.Duplicates.Count > 0)
        {
            const int shown = 10;
            console.MarkupLine(Markup.Escape($"{report.Duplicates.Count} group(s) of exact duplicates (stored, not dropped):"));
            foreach (var group in report.Duplicates.Take(shown))
            {
                console.MarkupLine("  " + Markup.Escape(string.Join(" = ", group)));
            }

            if (report.Duplicates.Count > shown)
            {
                console.MarkupLine(Markup.Escape($"  ... and {report.Duplicates.Count - shown} more (see --json)."));
            }
        }
    }

    private static Option<string> CreateFormatOption()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "Input format: " + string.Join(", ", CorpusFormatNames.All) + " (aliases such as jsonl, bib, txt); auto detects it from the content.",
            DefaultValueFactory = _ => "auto",
            HelpName = "FORMAT",
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!CorpusFormatNames.TryParse(value, out _))
            {
                result.AddError($"unknown format '{value}'; use one of {string.Join(", ", CorpusFormatNames.All)}.");
            }
        });
        return option;
    }
}

/// <summary><c>ingest --json</c> (README.md, "JSON contract").</summary>
internal sealed record IngestJson(
    string Workspace, bool Atomic, int Read, int Added, int Skipped, int Failed, bool Cancelled, int Documents,
    IReadOnlyList<IngestFileJson> Files, IReadOnlyList<IReadOnlyList<string>> Duplicates);

/// <summary>One input of <see cref="IngestJson"/>.</summary>
internal sealed record IngestFileJson(string Path, string Status, int Read, int Added, int Skipped, IReadOnlyList<RenamedJson> Renamed, string? Error);

/// <summary>A record stored under another id.</summary>
internal sealed record RenamedJson(string From, string To, int Position);
