using System.CommandLine;
using TopicKit.Pipeline;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit report</c>: the HTML report, figures and CSVs of a stored run (the library's <see cref="ReportJob"/>).</summary>
internal static class ReportCommands
{
    public static Command Create()
    {
        var workspace = SharedOptions.Workspace();
        var run = SharedOptions.Run("The run to report (default: the latest run with topics).");
        var output = new Option<string>("--out", "-o")
        {
            Description = "Folder for index.html, the figures and the CSVs; report files in it are replaced together when all are written.",
            HelpName = "DIR",
            Required = true,
        };
        var title = new Option<string?>("--title") { Description = "Report title.", HelpName = "TEXT" };
        var json = SharedOptions.Json();
        var wait = SharedOptions.Wait();
        var command = new Command("report", "Write the interactive topic map, figures and CSVs of a stored run (topickit run, topics or cluster) to --out.")
        {
            workspace, run, output, title, json, wait,
        };
        command.SetHandler(
            (parseResult, cancellationToken) =>
            {
                var request = new ReportRequest(SharedOptions.ResolveWorkspace(parseResult, workspace), parseResult.GetValue(output)!)
                {
                    Run = parseResult.GetValue(run),
                    Title = parseResult.GetValue(title) ?? new ReportRequest(".", ".").Title,
                    LockTimeout = SharedOptions.WaitTime(parseResult, wait),
                };
                var result = ReportJob.Run(request, null, cancellationToken);
                var stdout = parseResult.InvocationConfiguration.Output;
                if (parseResult.GetValue(json))
                {
                    CliJson.Write(stdout, ReportJson.From(result), c => c.ReportJson);
                }
                else
                {
                    stdout.WriteLine(TopicsCommands.Printable(
                        $"report of run {result.Run.Id} ({result.Run.Kind}): {result.Documents} documents, {result.Topics} topics"
                        + (result.MapComputed ? "; map laid out and stored" : string.Empty)));
                    stdout.WriteLine(Path.Combine(result.Report.OutDirectory, "index.html"));
                }

                return ExitCodes.Ok;
            },
            cancelled: "the output folder keeps its previous files");
        return command;
    }
}

/// <summary><c>report --json</c>: <c>{out, run, files, documents, topics}</c>.</summary>
internal sealed record ReportJson(string Out, long Run, IReadOnlyList<string> Files, int Documents, int Topics)
{
    public static ReportJson From(ReportJobResult result) =>
        new(result.Report.OutDirectory, result.Run.Id, result.Report.Files, result.Documents, result.Topics);
}
