using System.CommandLine;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit run FILES...</c>: the main job. For now it ingests the files and prints corpus statistics;
/// later stages (embedding, clustering, topics) extend it.</summary>
internal static class RunCommands
{
    public static Command Create()
    {
        var command = new Command(
            "run",
            "Run the whole job on corpus files: ingest them into the workspace (same rules as ingest), then report on the corpus.");
        var inputs = new IngestCommands.IngestInputs();
        inputs.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (report, exitCode) = await inputs.RunAsync(parseResult, cancellationToken).ConfigureAwait(false);
            if (report is null)
            {
                return exitCode;
            }

            CorpusStats stats;
            try
            {
                using var workspace = CliSupport.OpenExisting(report.Workspace);
                stats = workspace.Documents.GetStats();
            }
            catch (Exception ex)
            {
                return CliSupport.Fail(parseResult, ex);
            }

            if (parseResult.GetValue(inputs.Json))
            {
                WorkspaceJson.Write(parseResult.InvocationConfiguration.Output, (writer, _) =>
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("ingest");
                    IngestCommands.WriteReport(writer, report);
                    writer.WritePropertyName("stats");
                    WorkspaceJson.WriteStats(writer, stats);
                    writer.WriteEndObject();
                });
            }
            else
            {
                var console = CliSupport.Stdout(parseResult);
                IngestCommands.RenderReport(console, report);
                DocsCommands.RenderStats(console, stats);
            }

            return exitCode;
        });
        return command;
    }
}
