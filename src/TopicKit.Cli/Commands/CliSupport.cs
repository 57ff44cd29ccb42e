using System.CommandLine;
using Spectre.Console;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;


/// <summary>Options, workspace opening, consoles and error reporting shared by the workspace commands.</summary>
internal static class CliSupport
{
    // Branches written before SharedOptions/CliErrors call these names; they forward, so there is still one declaration.
    public const string WorkspaceVariable = SharedOptions.WorkspaceVariable;

    public const string DefaultWorkspace = SharedOptions.DefaultWorkspace;

    public static Option<string?> WorkspaceOption() => SharedOptions.Workspace();

    public static Option<bool> JsonOption() => SharedOptions.Json();

    public static Option<double> WaitOption() => SharedOptions.Wait();

    public static string ChooseWorkspace(string? option, string? environmentValue) => SharedOptions.ChooseWorkspace(option, environmentValue);

    public static string ResolveWorkspace(ParseResult parseResult, Option<string?> option) => SharedOptions.ResolveWorkspace(parseResult, option);

    public static void Error(ParseResult parseResult, string message) => CliErrors.Error(parseResult, message);

    public static int Fail(ParseResult parseResult, Exception exception) => CliErrors.Fail(parseResult, exception);

    public static int ExitCode(Exception exception) => CliErrors.ExitCode(exception);

    public static string OneLine(string message) => CliErrors.OneLine(message);

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
}
