using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;

namespace TopicKit.Cli;

/// <summary>
/// Makes help show the command as <c>topickit</c>. System.CommandLine 2.0.0 writes
/// <see cref="RootCommand.ExecutableName"/> (the entry assembly's file name, <c>TopicKit.Cli</c>; the assembly keeps that
/// name, see the csproj) at the start of every usage line, and its help builder is internal, so the built-in help action
/// is run into a buffer and only the program name at the start of the usage line is replaced.
/// </summary>
internal sealed class ProgramNameHelp : SynchronousCommandLineAction
{
    /// <summary>The name users type.</summary>
    public const string ProgramName = "topickit";

    private readonly SynchronousCommandLineAction _inner;

    private ProgramNameHelp(SynchronousCommandLineAction inner) => _inner = inner;

    /// <summary>Help stays valid whatever else is on the command line, as with the built-in action.</summary>
    public override bool ClearsParseErrors => true;

    /// <summary>Wraps the action of <paramref name="root"/>'s help option (shared by every sub-command). Parse errors do
    /// not print help: <see cref="CliApp.RunAsync"/> reports them as one error line and a hint.</summary>
    public static void Apply(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: SynchronousCommandLineAction inner and not ProgramNameHelp } help)
            {
                help.Action = new ProgramNameHelp(inner);
            }
        }
    }

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        var configuration = parseResult.InvocationConfiguration;
        var output = configuration.Output;
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        int exitCode;
        configuration.Output = buffer;
        try
        {
            exitCode = _inner.Invoke(parseResult);
        }
        finally
        {
            configuration.Output = output;
        }

        output.Write(Relabel(buffer.ToString(), RootCommand.ExecutableName, ProgramName));
        return exitCode;
    }

    /// <summary>Replaces <paramref name="executableName"/> by <paramref name="programName"/> at the start of the line
    /// after <c>Usage:</c>; every other line (descriptions, option names) is left as written.</summary>
    internal static string Relabel(string help, string executableName, string programName)
    {
        var lines = help.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i - 1].TrimEnd('\r') != "Usage:")
            {
                continue;
            }

            var prefix = "  " + executableName;
            var line = lines[i];
            if (line.StartsWith(prefix, StringComparison.Ordinal)
                && (line.Length == prefix.Length || line[prefix.Length] is ' ' or '\r'))
            {
                lines[i] = "  " + programName + line[prefix.Length..];
            }
        }

        return string.Join('\n', lines);
    }
}
