using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TopicKit.Corpus;

namespace TopicKit.Tests.Infrastructure;

/// <summary>The kinds of edit a reposted or copied abstract typically shows.</summary>
internal enum PerturbationKind
{
    Typos,
    Truncation,
    ShuffledSentences,
    Case,
    Whitespace,
    Latex,
}

/// <summary>Seeded, reproducible edits of a text, one kind at a time, and the arXiv benchmark texts they start from.</summary>
internal static partial class Perturbations
{
    public static IReadOnlyList<PerturbationKind> Kinds { get; } = Enum.GetValues<PerturbationKind>();

    /// <summary>The 2,000 "title. abstract" texts of the shared arXiv sample, with their ids, in file order.</summary>
    public static IReadOnlyList<(string Id, string Text)> ArxivTexts() =>
    [
        .. File.ReadLines(SharedData.Path("data", "arxiv-2007-04-2000.texts.jsonl")).Where(l => l.Length > 0).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("text").GetString()!);
        }),
    ];

    /// <summary>Applies one edit of <paramref name="kind"/> to <paramref name="text"/>, seeded by <paramref name="seed"/>.</summary>
    public static string Apply(string text, PerturbationKind kind, int seed)
    {
        var random = new Random(seed);
        return kind switch
        {
            PerturbationKind.Typos => Typos(text, random),
            PerturbationKind.Truncation => text[..Math.Max(1, (int)(text.Length * (0.6 + (0.2 * random.NextDouble()))))],
            PerturbationKind.ShuffledSentences => string.Join(" ", Sentences(text).OrderBy(_ => random.Next())),
            PerturbationKind.Case => random.Next(2) == 0 ? text.ToUpperInvariant() : text.ToLowerInvariant(),
            PerturbationKind.Whitespace => WhitespaceRun().Replace(text, m => random.Next(3) switch { 0 => "  ", 1 => "\n", _ => " \t " }),
            PerturbationKind.Latex => LatexText.LooksLikeLatex(text) ? LatexText.ToUnicode(text) : text.Replace(" alpha ", " $\\alpha$ ", StringComparison.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>Swaps two adjacent letters in about one word in twenty-five (at least one edit).</summary>
    private static string Typos(string text, Random random)
    {
        var chars = text.ToCharArray();
        var edits = Math.Max(1, text.Length / 150);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(chars.Length - 1);
            if (char.IsLetter(chars[at]) && char.IsLetter(chars[at + 1]))
            {
                (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
            }
            else
            {
                chars[at] = char.IsLetter(chars[at]) ? (char)('a' + random.Next(26)) : chars[at];
            }
        }

        return new string(chars);
    }

    private static List<string> Sentences(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            current.Append(text[i]);
            if (text[i] == '.' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
            }
        }

        if (current.ToString().Trim() is { Length: > 0 } rest)
        {
            parts.Add(rest);
        }

        return parts;
    }

    [GeneratedRegex(" ")]
    private static partial Regex WhitespaceRun();
}
