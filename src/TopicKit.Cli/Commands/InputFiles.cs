using System.Text;
using System.Text.RegularExpressions;

namespace TopicKit.Cli.Commands;

/// <summary>
/// Expands the file arguments of a command: literal paths, and globs with <c>*</c>, <c>?</c> and <c>**</c> (any
/// number of folders) for shells that do not expand them (Windows, or quoted arguments).
/// </summary>
internal static class InputFiles
{
    /// <summary>One argument's outcome: the files it names, or why it names none.</summary>
    public sealed record Expansion(string Argument, IReadOnlyList<string> Files, string? Error);

    /// <summary>Expands every argument relative to <paramref name="currentDirectory"/>; matches are sorted ordinally.</summary>
    public static IReadOnlyList<Expansion> Expand(IEnumerable<string> arguments, string currentDirectory)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var expansions = new List<Expansion>();
        foreach (var argument in arguments)
        {
            var expansion = ExpandOne(argument, currentDirectory);
            expansions.Add(expansion with { Files = [.. expansion.Files.Where(seen.Add)] });
        }

        return expansions;
    }

    /// <summary>The argument that means "read standard input".</summary>
    public const string StandardInput = "-";

    private static Expansion ExpandOne(string argument, string currentDirectory)
    {
        if (argument == StandardInput)
        {
            return new Expansion(argument, [StandardInput], null);
        }

        var full = Path.GetFullPath(argument, currentDirectory);
        if (File.Exists(full))
        {
            return new Expansion(argument, [full], null);
        }

        if (Directory.Exists(full))
        {
            return new Expansion(argument, [], $"{argument} is a folder; pass files or a glob such as {Path.Combine(argument, "*.jsonl")}");
        }

        if (argument.IndexOfAny(['*', '?']) < 0)
        {
            return new Expansion(argument, [], $"{argument}: file not found");
        }

        var normalized = full.Replace('\\', '/');
        var segments = normalized.Split('/');
        var fixedCount = 0;
        while (fixedCount < segments.Length && segments[fixedCount].IndexOfAny(['*', '?']) < 0)
        {
            fixedCount++;
        }

        var root = string.Join('/', segments[..fixedCount]);
        if (root.Length == 0)
        {
            root = "/";
        }

        if (!Directory.Exists(root))
        {
            return new Expansion(argument, [], $"{argument}: no files match (folder {root} does not exist)");
        }

        var pattern = ToRegex(string.Join('/', segments[fixedCount..]));
        var recursive = segments[fixedCount..].Length > 1 || segments[^1].Contains("**", StringComparison.Ordinal);
        var matches = Directory
            .EnumerateFiles(root, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(file => pattern.IsMatch(Path.GetRelativePath(root, file).Replace('\\', '/')))
            .Order(StringComparer.Ordinal)
            .ToList();
        return matches.Count == 0
            ? new Expansion(argument, [], $"{argument}: no files match")
            : new Expansion(argument, matches, null);
    }

    private static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                pattern.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
