using System.CommandLine;
using Spectre.Console;
using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;


/// <summary>Exit codes of every <c>topickit</c> command (documented in README.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
    public const int WorkspaceLocked = 3;
    public const int WorkspaceUnusable = 4;
    public const int Internal = 70;
    public const int Cancelled = 130;
}

/// <summary>Options, workspace opening, consoles and error reporting shared by the workspace commands.</summary>
internal static class CliSupport
{
    /// <summary>The environment variable naming the default workspace folder.</summary>
    public const string WorkspaceVariable = "TOPICKIT_WORKSPACE";

    /// <summary>The workspace folder used when neither <c>--workspace</c> nor <see cref="WorkspaceVariable"/> is given.</summary>
    public const string DefaultWorkspace = ".topickit";

    public static Option<string?> WorkspaceOption() => new("--workspace", "-w")
    {
        Description = $"Workspace folder (default: ${WorkspaceVariable}, else {DefaultWorkspace} in the current folder).",
        HelpName = "DIR",
    };

    public static Option<bool> JsonOption() => new("--json")
    {
        Description = "Print machine-readable JSON on stdout instead of tables.",
    };

    public static Option<double> WaitOption() => new("--wait")
    {
        Description = "Seconds to wait for another topickit process that is writing to the workspace.",
        DefaultValueFactory = _ => 10,
        HelpName = "SECONDS",
    };

    /// <summary>The workspace folder from the option, else the environment variable, else <see cref="DefaultWorkspace"/>.</summary>
    public static string ChooseWorkspace(string? option, string? environmentValue) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : !string.IsNullOrWhiteSpace(environmentValue) ? environmentValue
        : DefaultWorkspace;

    public static string ResolveWorkspace(ParseResult parseResult, Option<string?> option) =>
        ChooseWorkspace(parseResult.GetValue(option), Environment.GetEnvironmentVariable(WorkspaceVariable));

    /// <summary>Opens a workspace for reading: a missing one is an error, not created.</summary>
    public static Workspace OpenExisting(string directory) =>
        Workspace.Open(directory, new WorkspaceOptions(CreateIfMissing: false));

    /// <summary>A Spectre console writing to <paramref name="writer"/>; ANSI only when it is the real terminal.</summary>
    public static IAnsiConsole Console(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }

    /// <summary>Human-readable stdout of a command.</summary>
    public static IAnsiConsole Stdout(ParseResult parseResult)
    {
        var output = parseResult.InvocationConfiguration.Output;
        return Console(output, ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected);
    }

    /// <summary>Whether stderr is an interactive terminal (progress bars are drawn only then).</summary>
    public static bool StderrIsTerminal(ParseResult parseResult) =>
        ReferenceEquals(parseResult.InvocationConfiguration.Error, System.Console.Error) && !System.Console.IsErrorRedirected;

    /// <summary>Prints <c>topickit: error: message</c> as one line on stderr.</summary>
    public static void Error(ParseResult parseResult, string message) =>
        parseResult.InvocationConfiguration.Error.WriteLine("topickit: error: " + OneLine(message));

    /// <summary>Maps an exception to a one-line message on stderr and an exit code.</summary>
    public static int Fail(ParseResult parseResult, Exception exception)
    {
        Error(parseResult, exception switch
        {
            OperationCanceledException => "cancelled; the file being written was rolled back, earlier files stay committed.",
            _ when ExitCode(exception) == ExitCodes.Internal => $"internal error ({exception.GetType().Name}): {exception.Message}",
            _ => exception.Message,
        });
        return ExitCode(exception);
    }

    public static int ExitCode(Exception exception) => exception switch
    {
        WorkspaceLockedException => ExitCodes.WorkspaceLocked,
        WorkspaceException => ExitCodes.WorkspaceUnusable,
        OperationCanceledException => ExitCodes.Cancelled,
        CorpusFormatException or IOException or UnauthorizedAccessException or InvalidDataException or KeyNotFoundException
            or ArgumentException => ExitCodes.BadInput,
        _ => ExitCodes.Internal,
    };

    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
