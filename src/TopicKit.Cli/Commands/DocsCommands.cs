using System.CommandLine;
using Spectre.Console;
using TopicKit.Pipeline;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit docs list|show|stats</c>: inspect the documents of a workspace.</summary>
internal static class DocsCommands
{
    /// <summary>Rows shown by <c>docs list</c> without --json when --limit is not given.</summary>
    private const int DefaultHumanLimit = 50;

    public static Command Create()
    {
        var docs = new Command("docs", "Inspect the documents stored in the workspace.");
        docs.Subcommands.Add(CreateList());
        docs.Subcommands.Add(CreateShow());
        docs.Subcommands.Add(CreateStats());
        return docs;
    }

    private static Command CreateList()
    {
        var workspace = SharedOptions.Workspace();
        var json = SharedOptions.Json();
        var limit = new Option<int?>("--limit", "-n")
        {
            Description = $"Most documents to print (default: all with --json, {DefaultHumanLimit} otherwise; 0 = all).",
        };
        var offset = new Option<int>("--offset") { Description = "Documents to skip first.", DefaultValueFactory = _ => 0 };
        var command = new Command("list", "List documents in ingestion order.") { workspace, json, limit, offset };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            var asJson = parseResult.GetValue(json);
            var requested = parseResult.GetValue(limit);
            var skip = parseResult.GetValue(offset);
            if (requested < 0 || skip < 0)
            {
                throw new UsageException("--limit and --offset must be >= 0.");
            }

            var take = requested is null or 0 ? (asJson || requested == 0 ? int.MaxValue : DefaultHumanLimit) : requested.Value;
            var page = DocsJob.List(new DocsListRequest(SharedOptions.ResolveWorkspace(parseResult, workspace)) { Offset = skip, Limit = take }, cancellationToken);
            var documents = page.Documents;
            if (asJson)
            {
                CliJson.WriteArray(parseResult.InvocationConfiguration.Output, documents.Select(DocumentJson.From), c => c.DocumentJson);
                return ExitCodes.Ok;
            }

            var console = CliSupport.Stdout(parseResult);
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Id").AddColumn("Title").AddColumn("Date").AddColumn("Category").AddColumn("Source");
            foreach (var document in documents)
            {
                table.AddRow(
                    Markup.Escape(document.Id),
                    Markup.Escape(Shorten(document.Title ?? "(" + Shorten(document.Abstract, 60) + ")", 70)),
                    document.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                    Markup.Escape(document.Categories.Count > 0 ? document.Categories[0] : string.Empty),
                    Markup.Escape($"{document.Source}#{document.Position}"));
            }

            console.Write(table);
            if (page.HasMore)
            {
                console.MarkupLine(Markup.Escape($"showing {documents.Count:N0} of {page.Total:N0} documents; use --limit 0 for all, or --json."));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var workspace = SharedOptions.Workspace();
        var json = SharedOptions.Json();
        var id = new Argument<string>("id") { Description = "The document's id (as shown by docs list)." };
        var command = new Command("show", "Show one document.") { id, workspace, json };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            var shown = DocsJob.Show(new DocShowRequest(SharedOptions.ResolveWorkspace(parseResult, workspace), parseResult.GetValue(id)!), cancellationToken);
            var document = shown.Document;

            if (parseResult.GetValue(json))
            {
                CliJson.Write(parseResult.InvocationConfiguration.Output, DocumentJson.From(document), c => c.DocumentJson);
                return ExitCodes.Ok;
            }

            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            void Row(string name, string value) => grid.AddRow(new Markup($"[bold]{name}[/]"), new Spectre.Console.Text(value));
            Row("Id", document.Id);
            if (shown.OriginalId is { } original)
            {
                Row("Original id", original);
            }

            Row("Title", document.Title ?? "(none)");
            Row("Authors", document.Authors.Count > 0 ? string.Join(", ", document.Authors) : "(unknown)");
            Row("Date", document.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown)");
            Row("Categories", document.Categories.Count > 0 ? string.Join(" ", document.Categories) : "(none)");
            Row("Source", $"{document.Source}, record {document.Position}");
            Row("Abstract", document.Abstract);
            CliSupport.Stdout(parseResult).Write(grid);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateStats()
    {
        var workspace = SharedOptions.Workspace();
        var json = SharedOptions.Json();
        var command = new Command("stats", "Corpus statistics: documents per source, year and primary category, titles, abstract length, authors, duplicates.")
        {
            workspace,
            json,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            var stats = DocsJob.Stats(new DocsStatsRequest(SharedOptions.ResolveWorkspace(parseResult, workspace)), cancellationToken);
            if (parseResult.GetValue(json))
            {
                CliJson.Write(parseResult.InvocationConfiguration.Output, StatsJson.From(stats), c => c.StatsJson);
            }
            else
            {
                RenderStats(CliSupport.Stdout(parseResult), stats);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void RenderStats(IAnsiConsole console, CorpusStats stats)
    {
        var summary = new Table().Border(TableBorder.Rounded).Title("Corpus").AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned());
        summary.AddRow("Documents", stats.Documents.ToString("N0"));
        summary.AddRow("With title / without", $"{stats.WithTitle:N0} / {stats.Documents - stats.WithTitle:N0}");
        summary.AddRow("With date", stats.WithDate.ToString("N0"));
        summary.AddRow("With authors", stats.WithAuthors.ToString("N0"));
        summary.AddRow("With categories", stats.WithCategories.ToString("N0"));
        summary.AddRow("Abstract words (avg, min-max)", $"{stats.AverageAbstractWords:F1} ({stats.MinAbstractWords}-{stats.MaxAbstractWords})");
        summary.AddRow("Authors per document (avg)", stats.AverageAuthors.ToString("F2"));
        summary.AddRow("Distinct authors", stats.DistinctAuthors.ToString("N0"));
        summary.AddRow("Exact-duplicate groups (documents)", $"{stats.DuplicateGroups:N0} ({stats.DocumentsInDuplicateGroups:N0})");
        console.Write(summary);
        WriteCounts(console, "Documents per source", "Source", stats.BySource, int.MaxValue);
        WriteCounts(console, "Documents per year", "Year", stats.ByYear, int.MaxValue);
        WriteCounts(console, "Primary categories (top 20)", "Category", stats.ByPrimaryCategory, 20);
    }

    private static void WriteCounts(IAnsiConsole console, string title, string keyName, IReadOnlyList<CountEntry> entries, int most)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title(title).AddColumn(keyName).AddColumn(new TableColumn("Documents").RightAligned());
        foreach (var entry in entries.Take(most))
        {
            table.AddRow(Markup.Escape(entry.Key), entry.Count.ToString("N0"));
        }

        console.Write(table);
    }

    private static string Shorten(string text, int most) => text.Length <= most ? text : text[..(most - 1)] + "…";
}
