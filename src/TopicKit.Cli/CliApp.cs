using System.CommandLine;
using TopicKit.Cli.Commands;

namespace TopicKit.Cli;

/// <summary>Builds the <c>topickit</c> command tree and runs it.</summary>
public static class CliApp
{
    /// <summary>Builds the root command with every sub-command registered.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("TopicKit: semantic similarity and topic clustering of research-paper collections.");
        ProgramNameHelp.Apply(root);
        // Each stage contributes its commands from its own file under Commands/.
        // COMMAND-REGISTRATION (keep one line per command group)
        root.Subcommands.Add(TokenizeCommands.Create());
        root.Subcommands.Add(ModelsCommands.Create());
        root.Subcommands.Add(Commands.ReduceCommands.Create());
        root.Subcommands.Add(Commands.IngestCommands.Create());
        root.Subcommands.Add(Commands.DocsCommands.Create());
        root.Subcommands.Add(Commands.RunCommands.Create());
        root.Subcommands.Add(ClusterCommands.Create());
        root.Subcommands.Add(EmbedCommands.Create());
        root.Subcommands.Add(EmbeddingsCommands.Create());
        root.Subcommands.Add(EncodeCommands.Create());
        root.Subcommands.Add(DupesCommands.Create());
        return root;
    }

    /// <summary>Parses and runs the command line, returning the process exit code (2 for usage errors).</summary>
    /// <param name="args">The arguments after the executable name.</param>
    /// <param name="configuration">Where output goes (tests pass string writers); the console by default.</param>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null)
    {
        var root = BuildRoot();
        var parseResult = root.Parse(args);
        // System.CommandLine 2.0.0 leaves Ctrl+C/SIGTERM unhandled unless a termination timeout is set: the process would
        // die at once. With it, the action's token is cancelled and the action gets this long to roll back and report.
        configuration ??= new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) };
        var exitCode = await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
        return parseResult.Errors.Count > 0 ? 2 : exitCode;
    }
}
