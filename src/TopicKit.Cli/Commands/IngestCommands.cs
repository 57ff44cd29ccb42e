using System.CommandLine;
using Spectre.Console;
using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit ingest FILES...</c>: read corpus files into a workspace.</summary>
internal static class IngestCommands
{
    public static Command Create()
    {
        var command = new Command(
            "ingest",
            "Read corpus files (JSON/JSONL, CSV, TSV, BibTeX, saved listings, plain text) into the workspace, one transaction per file "
            + "(a failing file writes nothing, the others are committed; --atomic: all or nothing). Re-ingesting adds nothing.");
        var inputs = new IngestInputs();
        inputs.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(inputs.Json);
            var (report, exitCode) = await inputs.RunAsync(parseResult, cancellationToken).ConfigureAwait(false);
            if (report is null)
            {
                return exitCode;
            }

            if (json)
            {
                WorkspaceJson.Write(parseResult.InvocationConfiguration.Output, (writer, _) => WriteReport(writer, report));
            }
            else
            {
                RenderReport(CliSupport.Stdout(parseResult), report);
            }

            return exitCode;
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

        public Option<string?> Workspace { get; } = CliSupport.WorkspaceOption();

        public Option<string> Format { get; } = CreateFormatOption();

        public Option<bool> Atomic { get; } = new("--atomic")
        {
            Description = "All-or-nothing: ingest every file in one transaction, so any failure writes nothing.",
        };

        public Option<double> Wait { get; } = CliSupport.WaitOption();

        public Option<bool> Json { get; } = CliSupport.JsonOption();

        public void AddTo(Command command)
        {
            command.Arguments.Add(Files);
            command.Options.Add(Workspace);
            command.Options.Add(Format);
            command.Options.Add(Atomic);
            command.Options.Add(Wait);
            command.Options.Add(Json);
        }

        /// <summary>Ingests; on a failure before any file could be tried, reports it and returns no report.</summary>
        public async Task<(IngestReport? Report, int ExitCode)> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
        {
            // System.CommandLine installs its Ctrl+C/SIGTERM handler only once the action has returned a pending task;
            // reading a file can complete synchronously throughout, so yield first or Ctrl+C would kill the process
            // instead of cancelling the token (SQLite would still roll back, but no report would be printed).
            await Task.Yield();
            var directory = CliSupport.ResolveWorkspace(parseResult, Workspace);
            var format = ParseFormat(parseResult.GetValue(Format));
            var wait = parseResult.GetValue(Wait);
            if (!double.IsFinite(wait) || wait < 0)
            {
                CliSupport.Error(parseResult, $"--wait must be a number of seconds >= 0, got {wait}.");
                return (null, ExitCodes.Usage);
            }

            var arguments = parseResult.GetValue(Files) ?? [];
            if (arguments.FirstOrDefault(a => a.StartsWith('-') && a != InputFiles.StandardInput && !File.Exists(a)) is { } unknown)
            {
                CliSupport.Error(parseResult, $"unknown option {unknown}; see topickit {parseResult.CommandResult.Command.Name} --help.");
                return (null, ExitCodes.Usage);
            }

            if (arguments.Contains(InputFiles.StandardInput) && format == CorpusFormat.Auto)
            {
                CliSupport.Error(parseResult, "reading standard input (-) needs --format (e.g. --format jsonl), as it is read only once.");
                return (null, ExitCodes.Usage);
            }

            var inputs = InputFiles.Expand(arguments, Environment.CurrentDirectory);
            if (inputs.All(i => i.Files.Count == 0))
            {
                foreach (var input in inputs)
                {
                    CliSupport.Error(parseResult, input.Error ?? input.Argument);
                }

                CliSupport.Error(parseResult, "no input files; nothing was written.");
                return (null, ExitCodes.BadInput);
            }

            IngestReport report;
            try
            {
                using var workspace = TopicKit.Storage.Workspace.Open(directory, new WorkspaceOptions(LockTimeout: TimeSpan.FromSeconds(wait)));
                var showProgress = !parseResult.GetValue(Json) && CliSupport.StderrIsTerminal(parseResult);
                report = showProgress
                    ? await WithProgressAsync(parseResult, inputs, progress => IngestRunner.RunAsync(workspace, inputs, format, parseResult.GetValue(Atomic), progress, cancellationToken)).ConfigureAwait(false)
                    : await IngestRunner.RunAsync(workspace, inputs, format, parseResult.GetValue(Atomic), null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                return (null, CliSupport.Fail(parseResult, ex));
            }

            ReportProblems(parseResult, report);
            return (report, report.ExitCode);
        }

        private static async Task<IngestReport> WithProgressAsync(
            ParseResult parseResult, IReadOnlyList<InputFiles.Expansion> inputs, Func<IngestRunner.ProgressHandler, Task<IngestReport>> run)
        {
            var total = Math.Max(1, inputs.Sum(i => i.Files.Count));
            var console = CliSupport.Console(parseResult.InvocationConfiguration.Error, isTerminal: true);
            return await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("ingesting", maxValue: total);
                    // Record counts are unknown before reading, so one file shows activity and the count, not a percentage.
                    task.IsIndeterminate = total == 1;
                    return await run((fileIndex, path, records) =>
                    {
                        task.Description = Markup.Escape($"{Path.GetFileName(path)}: {records:N0} records");
                        task.Value = fileIndex;
                    }).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
    }

    /// <summary>One stderr line per failed file, and one stating what happened to the others.</summary>
    internal static void ReportProblems(ParseResult parseResult, IngestReport report)
    {
        foreach (var file in report.Files.Where(f => f.Status is FileStatus.Failed or FileStatus.Cancelled))
        {
            CliSupport.Error(parseResult, file.Error ?? file.Path);
        }

        var committed = report.Files.Count(f => f.Status == FileStatus.Ingested);
        if (report.Fatal is not null)
        {
            if (committed > 0)
            {
                CliSupport.Error(parseResult, $"{committed} file(s) committed before this error stay; the rest were not ingested.");
            }
        }
        else if (report.Cancelled)
        {
            CliSupport.Error(parseResult, report.Atomic
                ? "cancelled: nothing was written (--atomic)."
                : $"cancelled: the file being read was rolled back; {committed} file(s) committed before stay.");
        }
        else if (report.Failed > 0)
        {
            CliSupport.Error(parseResult, report.Atomic
                ? "nothing was written (--atomic): fix the failing input and run again."
                : $"{report.Failed} of {report.Files.Count} input(s) failed and wrote nothing; {committed} file(s) were committed.");
        }
    }

    internal static void WriteReport(System.Text.Json.Utf8JsonWriter writer, IngestReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("workspace", report.Workspace);
        writer.WriteBoolean("atomic", report.Atomic);
        writer.WriteNumber("read", report.Read);
        writer.WriteNumber("added", report.Added);
        writer.WriteNumber("skipped", report.Skipped);
        writer.WriteNumber("failed", report.Failed);
        writer.WriteBoolean("cancelled", report.Cancelled);
        writer.WriteNumber("documents", report.Documents);
        writer.WriteStartArray("files");
        foreach (var file in report.Files)
        {
            writer.WriteStartObject();
            writer.WriteString("path", file.Path);
            writer.WriteString("status", file.Status);
            writer.WriteNumber("read", file.Result?.Read ?? 0);
            writer.WriteNumber("added", file.Result?.Added ?? 0);
            writer.WriteNumber("skipped", file.Result?.Skipped ?? 0);
            writer.WriteStartArray("renamed");
            foreach (var renamed in file.Result?.Renamed ?? [])
            {
                writer.WriteStartObject();
                writer.WriteString("from", renamed.OriginalId);
                writer.WriteString("to", renamed.StoredId);
                writer.WriteNumber("position", renamed.Position);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("error", file.Error);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WorkspaceJson.WriteDuplicateGroups(writer, "duplicates", report.Duplicates);
        writer.WriteEndObject();
    }

    internal static void RenderReport(IAnsiConsole console, IngestReport report)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("File").AddColumn("Status").AddColumn(new TableColumn("Read").RightAligned())
            .AddColumn(new TableColumn("Added").RightAligned()).AddColumn(new TableColumn("Skipped").RightAligned()).AddColumn("Note");
        foreach (var file in report.Files)
        {
            var note = file.Error ?? (file.Result is { Renamed.Count: > 0 } r ? $"{r.Renamed.Count} id(s) renamed to avoid collisions" : string.Empty);
            var status = file.Status == FileStatus.Ingested ? "[green]ingested[/]" : $"[red]{file.Status}[/]";
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

    private static CorpusFormat ParseFormat(string? name) =>
        CorpusFormatNames.TryParse(name, out var format) ? format : CorpusFormat.Auto;
}
