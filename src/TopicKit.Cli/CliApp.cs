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
        // Each stage contributes its commands from its own file under Commands/.
        // COMMAND-REGISTRATION (keep one line per command group)
        root.Subcommands.Add(TokenizeCommands.Create());
        root.Subcommands.Add(ModelsCommands.Create());
        root.Subcommands.Add(Commands.ReduceCommands.Create());
        return root;
    }

    /// <summary>Parses and runs the command line, returning the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildRoot();
        // Without a termination timeout Ctrl+C kills the process outright; with it, commands see their
        // cancellation token and can roll back or leave a resumable state.
        var config = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(5) };
        return await root.Parse(args).InvokeAsync(config).ConfigureAwait(false);
    }
}
