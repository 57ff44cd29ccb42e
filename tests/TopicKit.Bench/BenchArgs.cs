using System.Globalization;

namespace TopicKit.Bench;

/// <summary>Minimal <c>--name value</c> option parsing shared by the bench subcommands.</summary>
internal sealed class BenchArgs(string[] args)
{
    public string? Positional(int index)
    {
        var seen = 0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                i++;
                continue;
            }

            if (seen++ == index)
            {
                return args[i];
            }
        }

        return null;
    }

    public string? Get(string name)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public int Int(string name, int fallback) =>
        Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
