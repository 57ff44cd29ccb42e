using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace TopicKit.Cli.Commands;

/// <summary>
/// The options every command shares, declared once: the same name means the same thing with the same default in every
/// command (README.md, "Conventions"). A command adds the ones it takes; <c>--out</c>'s description names what it writes.
/// Numeric options are built here too, so a malformed or out-of-range value is a usage error (exit 2) with a message that
/// states the accepted range, never a .NET type name.
/// </summary>
internal static class SharedOptions
{
    /// <summary>The environment variable naming the default workspace folder.</summary>
    public const string WorkspaceVariable = "TOPICKIT_WORKSPACE";

    /// <summary>The workspace folder used when neither <c>--workspace</c> nor <see cref="WorkspaceVariable"/> is given.</summary>
    public const string DefaultWorkspace = ".topickit";

    /// <summary>Longest <c>--wait</c> accepted: a day. Longer waits are almost certainly a typo (and overflow timers).</summary>
    public const double MaxWaitSeconds = 86_400;

    /// <summary>Default <c>--wait</c>, in seconds.</summary>
    public const double DefaultWaitSeconds = 10;

    /// <summary><c>--workspace DIR</c> (<c>-w</c>): default <c>$TOPICKIT_WORKSPACE</c>, else <c>.topickit</c>.</summary>
    public static Option<string?> Workspace() => new("--workspace", "-w")
    {
        Description = $"Workspace folder (default: ${WorkspaceVariable}, else {DefaultWorkspace} in the current folder).",
        HelpName = "DIR",
    };

    /// <summary>
    /// <c>--model</c>: a registry name, a model folder, <c>lexical</c>, or (with a workspace) a stored model id or a unique
    /// prefix of one; always resolved by <see cref="ModelOption.Resolve"/>. No default here: each command documents what
    /// it uses without one.
    /// </summary>
    public static Option<string?> Model(string whenOmitted) => new("--model")
    {
        Description = "Registry model name, model folder, 'lexical', or a model id (or unique prefix) stored in the workspace. " + whenOmitted,
        HelpName = "MODEL",
    };

    /// <summary><c>--json</c>: one JSON value on stdout (snake_case keys) instead of tables.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print machine-readable JSON on stdout (snake_case keys) instead of tables.",
    };

    /// <summary><c>--seed S</c>: default 0; results never depend on the thread count.</summary>
    public static Option<int> Seed() => Int("--seed", "Random seed; the same seed gives the same result at any thread count.", 0, int.MinValue);

    /// <summary><c>--wait SECONDS</c>: default 10, from 0 to a day.</summary>
    public static Option<double> Wait() => Double(
        "--wait", "Seconds to wait for another topickit process that is writing to the workspace.", DefaultWaitSeconds, 0, MaxWaitSeconds, "SECONDS");

    /// <summary><c>--run N</c>: a run recorded in the workspace (ids from 1); no default here, each command says what it takes without one.</summary>
    public static Option<long?> Run(string description) => new("--run")
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                result.AddError($"--run must be a run id (a whole number >= 1), got '{text}'.");
                return null;
            }

            return value;
        },
    };

    /// <summary><c>--out FILE</c> (<c>-o</c>): the file the command writes, replaced atomically.</summary>
    public static Option<string?> Out(string whatIsWritten, bool required = false) => new("--out", "-o")
    {
        Description = whatIsWritten + " Written to a temporary file in the same folder and renamed into place.",
        HelpName = "FILE",
        Required = required,
    };

    /// <summary>The workspace folder from the option, else the environment variable, else <see cref="DefaultWorkspace"/>.</summary>
    public static string ChooseWorkspace(string? option, string? environmentValue) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : !string.IsNullOrWhiteSpace(environmentValue) ? environmentValue
        : DefaultWorkspace;

    /// <summary>The workspace folder the command uses (see <see cref="ChooseWorkspace"/>).</summary>
    public static string ResolveWorkspace(ParseResult parseResult, Option<string?> option) =>
        ChooseWorkspace(parseResult.GetValue(option), Environment.GetEnvironmentVariable(WorkspaceVariable));

    /// <summary>The <c>--wait</c> value as a lock timeout.</summary>
    public static TimeSpan WaitTime(ParseResult parseResult, Option<double> option) => TimeSpan.FromSeconds(parseResult.GetValue(option));

    /// <summary>A whole-number option with a default, accepting <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max = int.MaxValue, string helpName = "N") =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseInt(result, name, min, max) ?? defaultValue,
            HelpName = helpName,
        };

    /// <summary>A whole-number option without a default (null when not given), accepting <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int?> OptionalInt(string name, string description, int min, int max = int.MaxValue, string helpName = "N") =>
        new(name)
        {
            Description = description,
            CustomParser = result => ParseInt(result, name, min, max),
            HelpName = helpName,
        };

    /// <summary>A finite number option with a default, accepting <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<double> Double(string name, string description, double defaultValue, double min, double max, string helpName = "X") =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseDouble(result, name, min, max) ?? defaultValue,
            HelpName = helpName,
        };

    private static int? ParseInt(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            result.AddError($"{name} must be a whole number{Range(min, max)}, got '{text}'.");
            return null;
        }

        return value;
    }

    private static double? ParseDouble(ArgumentResult result, string name, double min, double max)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number from {min} to {max}, got '{text}'."));
            return null;
        }

        return value;
    }

    private static string Range(int min, int max) => (min, max) switch
    {
        (int.MinValue, int.MaxValue) => string.Empty,
        (_, int.MaxValue) => string.Create(CultureInfo.InvariantCulture, $" >= {min}"),
        (int.MinValue, _) => string.Create(CultureInfo.InvariantCulture, $" <= {max}"),
        _ => string.Create(CultureInfo.InvariantCulture, $" from {min} to {max}"),
    };
}
