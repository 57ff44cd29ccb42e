using System.CommandLine;
using System.CommandLine.Invocation;
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
        // Each stage contributes its commands from its own file under Commands/. Help lists them in this order: the
        // workflow first (ingest, docs, embed, embeddings, cluster, topics, dupes, search, report, run, assign), then the
        // tools (encode, tokenize, reduce, models). COMMAND-REGISTRATION (keep one line per command group)
        root.Subcommands.Add(IngestCommands.Create());
        root.Subcommands.Add(DocsCommands.Create());
        root.Subcommands.Add(EmbedCommands.Create());
        root.Subcommands.Add(EmbeddingsCommands.Create());
        root.Subcommands.Add(ClusterCommands.Create());
        root.Subcommands.Add(TopicsCommands.Create());
        root.Subcommands.Add(DupesCommands.Create());
        SearchCommands.Register(root);
        root.Subcommands.Add(ReportCommands.Create());
        root.Subcommands.Add(RunCommands.Create());
        root.Subcommands.Add(AssignCommands.Create());
        root.Subcommands.Add(EncodeCommands.Create());
        root.Subcommands.Add(TokenizeCommands.Create());
        root.Subcommands.Add(ReduceCommands.Create());
        root.Subcommands.Add(ModelsCommands.Create());
        return root;
    }

    /// <summary>Parses and runs the command line, returning the process exit code (README.md, "Conventions").</summary>
    /// <param name="args">The arguments after the executable name.</param>
    /// <param name="configuration">Where output goes (tests pass string writers); the console by default.</param>
    /// <param name="cancellationToken">Cancels the command as Ctrl+C does.</param>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot();
        var parseResult = root.Parse(args);
        // System.CommandLine 2.0.0 leaves Ctrl+C/SIGTERM unhandled unless a termination timeout is set: the process would
        // die at once. With it, the action's token is cancelled and the action gets this long to roll back and report.
        configuration ??= new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) };
        if (parseResult.Errors.Count > 0 && parseResult.Action is ParseErrorAction or null)
        {
            // The convention for usage errors: one error line and a hint on stderr, not the help text on stdout.
            return CliErrors.ParseErrors(parseResult, configuration.Error);
        }

        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
    }
}
