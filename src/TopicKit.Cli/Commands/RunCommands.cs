using System.CommandLine;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit run FILES...</c>: the main job. For now it ingests the files and prints corpus statistics;
/// later stages (embedding, clustering, topics) extend it.</summary>
internal static class RunCommands
{
    public static Command Create()
    {
        var command = new Command("run", "The whole job on corpus files: ingest them (as ingest does), then report on the corpus.");
        var inputs = new IngestCommands.IngestInputs();
        inputs.AddTo(command);
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var report = await inputs.RunAsync(parseResult, cancellationToken).ConfigureAwait(false);
            CorpusStats stats;
            using (var workspace = CliSupport.OpenExisting(report.Workspace))
            {
                stats = workspace.Documents.GetStats();
            }

            if (parseResult.GetValue(inputs.Json))
            {
                CliJson.Write(parseResult.InvocationConfiguration.Output, new RunJson(IngestCommands.ToJson(report), StatsJson.From(stats)), c => c.RunJson);
            }
            else
            {
                var console = CliSupport.Stdout(parseResult);
                IngestCommands.RenderReport(console, report);
                DocsCommands.RenderStats(console, stats);
            }

            return IngestCommands.ExitCode(report);
        });
        return command;
    }
}
