using System.Text;
using TopicKit.Corpus;
using TopicKit.Numerics;

namespace TopicKit.Tests.Duplicates;

/// <summary>
/// Known near-duplicate pairs made from the 2,000 arXiv papers: for each perturbation kind, 200 papers get a perturbed
/// copy appended after the originals. The pairs (original row, copy row) are the truth.
/// </summary>
internal static class PerturbationSet
{
    public static readonly string[] Kinds = ["typos", "truncation", "reorder", "case", "whitespace", "latex", "title"];

    public const int CopiesPerKind = 200;

    // Near-duplicates already in the data, checked by reading them: the same abstract under a changed title (a part II
    // and III of one series, a repost whose title lost its first letter, a journal and a conference version).
    private static readonly (string, string)[] Natural = [("704.0026", "704.0112"), ("704.0489", "704.0573"), ("704.0772", "704.0783")];

    private static readonly Lazy<(List<Document> Plain, List<Document> Raw)> Source = new(() =>
    {
        var path = SharedData.Path("data", "arxiv-2007-04-2000.csv");
        var plain = CorpusReader.ReadAllAsync(path).GetAwaiter().GetResult();
        var raw = CorpusReader.ReadAllAsync(path, new CorpusReadOptions { ConvertLatex = false }).GetAwaiter().GetResult();
        return (plain, raw);
    });

    public static IReadOnlyList<Document> Originals => Source.Value.Plain;

    /// <summary>
    /// The originals followed by the copies of one kind; the planted (original, copy) row pairs; and every true pair
    /// (the planted ones, the natural ones, and a copy with its original's natural partner).
    /// </summary>
    public static (List<Document> Documents, HashSet<(int, int)> Planted, HashSet<(int, int)> Truth) Build(string kind)
    {
        var (plain, raw) = Source.Value;
        var documents = new List<Document>(plain);
        var truth = new HashSet<(int, int)>();
        var k = Array.IndexOf(Kinds, kind);
        var rng = new SeededRandom((ulong)(1000 + k));
        for (var c = 0; c < CopiesPerKind; c++)
        {
            var i = ((c * 10) + k) % plain.Count;
            var d = plain[i];
            var copy = kind switch
            {
                "typos" => d with { Abstract = Typos(d.Abstract, rng) },
                "truncation" => d with { Abstract = Truncate(d.Abstract, 0.6 + (0.2 * rng.NextDouble())) },
                "reorder" => d with { Abstract = Reorder(d.Abstract, rng) },
                "case" => d with { Title = d.Title?.ToUpperInvariant(), Abstract = d.Abstract.ToLowerInvariant() },
                "whitespace" => d with { Abstract = Whitespace(d.Abstract, rng) },
                "latex" => d with { Abstract = raw[i].Abstract != d.Abstract ? raw[i].Abstract : Latexify(d.Abstract, rng) },
                "title" => d with { Title = null },
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind"),
            };
            documents.Add(copy with { Id = d.Id + "-" + kind, Source = "perturbed.jsonl", Position = c });
            truth.Add((i, documents.Count - 1));
        }

        var all = new HashSet<(int, int)>(truth);
        var row = plain.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i);
        foreach (var (x, y) in Natural)
        {
            var (a, b) = (row[x], row[y]);
            all.Add((a, b));
            foreach (var (orig, copy) in truth)
            {
                if (orig == a || orig == b)
                {
                    all.Add((orig == a ? b : a, copy));
                }
            }
        }

        return (documents, truth, all);
    }

    // About one word in 30 (at least one) gets a swapped, dropped or doubled letter.
    private static string Typos(string text, SeededRandom rng)
    {
        var words = text.Split(' ');
        var count = Math.Max(1, words.Length / 30);
        for (var t = 0; t < count; t++)
        {
            var w = rng.NextInt(words.Length);
            var word = words[w];
            if (word.Length < 3)
            {
                continue;
            }

            var p = 1 + rng.NextInt(word.Length - 2);
            words[w] = rng.NextInt(3) switch
            {
                0 => string.Concat(word.AsSpan(0, p - 1), word.AsSpan(p, 1), word.AsSpan(p - 1, 1), word.AsSpan(p + 1)),
                1 => word.Remove(p, 1),
                _ => word.Insert(p, word[p].ToString()),
            };
        }

        return string.Join(' ', words);
    }

    private static string Truncate(string text, double share)
    {
        var words = text.Split(' ');
        return string.Join(' ', words.Take(Math.Max(1, (int)Math.Round(words.Length * share))));
    }

    private static string Reorder(string text, SeededRandom rng)
    {
        var sentences = text.Split(". ", StringSplitOptions.RemoveEmptyEntries).ToList();
        for (var i = sentences.Count - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (sentences[i], sentences[j]) = (sentences[j], sentences[i]);
        }

        return string.Join(". ", sentences);
    }

    private static string Whitespace(string text, SeededRandom rng)
    {
        var sb = new StringBuilder(text.Length * 2);
        foreach (var ch in text)
        {
            sb.Append(ch);
            if (ch == ' ' && rng.NextInt(4) == 0)
            {
                sb.Append(rng.NextInt(2) == 0 ? "\n  " : "\t ");
            }
        }

        return "  " + sb + " \n";
    }

    // Papers without LaTeX get some: a few words emphasised and a dash written as TeX.
    private static string Latexify(string text, SeededRandom rng)
    {
        var words = text.Split(' ');
        for (var t = 0; t < 3 && words.Length > 0; t++)
        {
            var w = rng.NextInt(words.Length);
            words[w] = "\\emph{" + words[w] + "}";
        }

        return string.Join(' ', words).Replace(" - ", " -- ", StringComparison.Ordinal);
    }
}
