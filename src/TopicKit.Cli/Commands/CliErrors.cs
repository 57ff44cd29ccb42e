using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Onnx;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary>Exit codes of every <c>topickit</c> command (documented in README.md, "Conventions").</summary>
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

/// <summary>A usage error found by a command after parsing (options that do not fit together): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The error convention of every command: one line on stderr starting <c>topickit: error:</c>, and the exit code of the
/// failure's kind. Usage errors (parse errors included) add a second line <c>see 'topickit CMD --help'</c>. Library
/// messages name option properties (<c>MinClusterSize</c>); <see cref="Describe"/> puts the command's flag in their place.
/// </summary>
internal static partial class CliErrors
{
    public const string Prefix = "topickit: error: ";

    /// <summary>Option properties whose flag is not their kebab-case name.</summary>
    private static readonly Dictionary<string, string> FlagAliases = new(StringComparer.Ordinal)
    {
        ["Reduction"] = "--reduce",
    };

    /// <summary>Library settings named in messages, and what a CLI user does instead (empty: the advice is dropped).</summary>
    private static readonly (string Library, string Cli)[] LibrarySettings =
    [
        ("CorpusReadOptions.MaxRecordChars", "--max-record-chars"),
        ("CsvColumnMap.Title", "--title-column"),
        ("CsvColumnMap.Abstract", "--abstract-column"),
        ("CsvColumnMap.Authors", "--authors-column"),
        ("CsvColumnMap.Categories", "--categories-column"),
        ("CsvColumnMap.Id", "--id-column"),
        ("CsvColumnMap.Date", "--date-column"),
        (" or lower TfidfOptions.MinDocumentFrequency", string.Empty),
    ];

    /// <summary>Prints <c>topickit: error: message</c> as one line on stderr.</summary>
    public static void Error(ParseResult parseResult, string message) => Error(parseResult.InvocationConfiguration.Error, message);

    /// <summary>Prints <c>topickit: error: message</c> as one line on <paramref name="error"/>.</summary>
    public static void Error(TextWriter error, string message) => error.WriteLine(Prefix + OneLine(message));

    /// <summary>Prints a usage error and the help hint for the command being run; returns exit code 2.</summary>
    public static int Usage(ParseResult parseResult, string message) => Usage(parseResult.InvocationConfiguration.Error, parseResult, message);

    /// <summary>Reports the parse errors of <paramref name="parseResult"/> as one usage error; returns exit code 2.</summary>
    public static int ParseErrors(ParseResult parseResult, TextWriter error) =>
        Usage(error, parseResult, string.Join("; ", parseResult.Errors.Select(e => Plain(e.Message)).Distinct()));

    /// <summary>Maps an exception to its one-line message on stderr and returns its exit code.</summary>
    /// <param name="parseResult">The command line being run (for the stderr writer and the command's option names).</param>
    /// <param name="exception">What went wrong.</param>
    /// <param name="cancelled">What a cancellation left behind, e.g. "nothing was written"; said after "cancelled; ".</param>
    public static int Fail(ParseResult parseResult, Exception exception, string cancelled = "nothing was written")
    {
        var code = ExitCode(exception);
        if (code == ExitCodes.Usage)
        {
            return Usage(parseResult, Describe(exception, parseResult.CommandResult.Command));
        }

        Error(parseResult, code switch
        {
            ExitCodes.Cancelled => "cancelled; " + cancelled + ".",
            ExitCodes.Internal => $"internal error ({exception.GetType().Name}): {exception.Message}",
            _ => Describe(exception, parseResult.CommandResult.Command),
        });
        return code;
    }

    /// <summary>The exit code of a failure of this kind.</summary>
    public static int ExitCode(Exception exception) => exception switch
    {
        UsageException => ExitCodes.Usage,
        WorkspaceLockedException => ExitCodes.WorkspaceLocked,
        WorkspaceException => ExitCodes.WorkspaceUnusable,
        OperationCanceledException => ExitCodes.Cancelled,
        CorpusFormatException or IOException or UnauthorizedAccessException or InvalidDataException or KeyNotFoundException
            or ArgumentException or ModelResolutionException or ModelDownloadException or OnnxRuntimeException => ExitCodes.BadInput,
        _ => ExitCodes.Internal,
    };

    /// <summary>
    /// The user-facing message of <paramref name="exception"/>: one line, without .NET's <c>(Parameter 'X')</c> suffix.
    /// An <see cref="ArgumentException"/> names the option property at fault (<see cref="ArgumentException.ParamName"/>,
    /// e.g. <c>MinClusterSize</c>); where the message says that name, the flag of <paramref name="command"/> that sets it
    /// (<c>--min-cluster-size</c>) is put in its place.
    /// </summary>
    public static string Describe(Exception exception, Command command)
    {
        var message = ParameterSuffix().Replace(exception.Message, string.Empty);
        if (exception is ArgumentException { ParamName: { Length: > 0 } property } && FlagFor(property, command) is { } flag)
        {
            message = Regex.Replace(message, @"\b" + Regex.Escape(property) + @"\b", flag, RegexOptions.CultureInvariant);
        }

        return OneLine(ForCli(message));
    }

    /// <summary>
    /// The flag of <paramref name="command"/> named after a property (<c>MinClusterSize</c> → <c>--min-cluster-size</c>),
    /// or after its last words when the library qualifies it (<c>UmapMinDist</c> → <c>--min-dist</c>); null if none.
    /// </summary>
    internal static string? FlagFor(string property, Command command)
    {
        if (FlagAliases.TryGetValue(property, out var alias) && command.Options.Any(o => o.Name == alias))
        {
            return alias;
        }

        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= property.Length; i++)
        {
            // A capital starts a word after a lower-case letter (MinSize) or before one (NInit → n-init).
            if (i == property.Length || (char.IsUpper(property[i])
                && (char.IsLower(property[i - 1]) || (i + 1 < property.Length && char.IsLower(property[i + 1])))))
            {
                words.Add(property[start..i].ToLowerInvariant());
                start = i;
            }
        }

        for (var first = 0; first < words.Count; first++)
        {
            var name = "--" + string.Join('-', words.Skip(first));
            if (command.Options.Any(o => o.Name == name))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="message"/> with the library settings it names replaced by the CLI flags that set them, and advice
    /// about settings the CLI does not offer removed, so every suggestion in an error can be followed as written.
    /// </summary>
    public static string ForCli(string message)
    {
        foreach (var (library, cli) in LibrarySettings)
        {
            message = message.Replace(library, cli, StringComparison.Ordinal);
        }

        return message;
    }

    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The command as typed, e.g. <c>topickit embeddings export</c>.</summary>
    public static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (SymbolResult? result = parseResult.CommandResult; result is CommandResult command; result = command.Parent)
        {
            if (command.Command is not RootCommand)
            {
                names.Add(command.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', ["topickit", .. names]);
    }

    private static int Usage(TextWriter error, ParseResult parseResult, string message)
    {
        Error(error, message);
        error.WriteLine($"see '{CommandPath(parseResult)} --help'");
        return ExitCodes.Usage;
    }

    /// <summary>A parser message without .NET type names: "Cannot parse argument 'x' for option '--k' as expected type
    /// 'System.Nullable`1[System.Int32]'" becomes "--k must be a whole number, got 'x'".</summary>
    internal static string Plain(string message)
    {
        message = CannotParse().Replace(message, m => $"{m.Groups["option"].Value} must be {TypeWord(m.Groups["type"].Value)}, got '{m.Groups["value"].Value}'.");
        return OneLine(TypeName().Replace(message, m => TypeWord(m.Groups["type"].Value)));
    }

    private static string TypeWord(string type) => type switch
    {
        "Int32" or "Int64" or "Int16" or "Byte" => "a whole number",
        "Double" or "Single" or "Decimal" => "a number",
        "Boolean" => "true or false",
        "IO.FileInfo" or "IO.DirectoryInfo" or "String" => "a path",
        var other => other,
    };

    [GeneratedRegex(@"Cannot parse argument '(?<value>[^']*)' for option '(?<option>[^']*)' as expected type '(?:System\.)?(?:Nullable`1\[System\.)?(?<type>[A-Za-z0-9.]+?)\]?'\.?")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"'System\.(?:Nullable`1\[System\.)?(?<type>[A-Za-z0-9.]+?)\]?'")]
    private static partial Regex TypeName();
}
