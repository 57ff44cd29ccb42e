using TopicKit.Numerics;
using TopicKit.Reporting;

namespace TopicKit.Tests.Reporting;

/// <summary>
/// Seeded synthetic report input: Gaussian topic clusters on a plane, uniform outliers, keywords from a small
/// vocabulary, an average-linkage hierarchy over the topic centres, dates over five years and a few duplicate groups.
/// Shared by the tests and the report benchmark.
/// </summary>
internal static class SyntheticReport
{
    /// <summary>Title, abstract and authors full of markup that must render as text.</summary>
    public const string ProbeTitle = "Probe <script>document.title='pwned'</script> \"quoted\" 'single' </script>";
    public const string ProbeAbstract = "Abstract with <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> and a line\u2028separator, </script><script>window.pwned=1</script> & <b>bold</b>.";
    public const string ProbeAuthor = "<svg onload=alert(1)> O'Brien \"Q\"";

    private static readonly string[] Vocabulary =
    [
        "quantum", "error", "correction", "speech", "recognition", "graph", "neural", "network", "protein", "folding",
        "galaxy", "survey", "language", "model", "vision", "transformer", "robot", "control", "policy", "learning",
        "climate", "ocean", "sensor", "fusion", "privacy", "federated", "causal", "inference", "bayesian", "sampling",
        "topology", "lattice", "spin", "qubit", "photon", "laser", "catalyst", "battery", "materials", "crystal",
    ];

    /// <param name="abstractChars">When positive, each abstract is padded to about this many characters of
    /// pseudo-English (random words of random syllables), which compresses about as real abstracts do.</param>
    public static ReportData Create(int documents, int topics, int seed, bool probe = false, bool hierarchy = true, int abstractChars = 0)
    {
        var random = new Random(seed);
        var lexicon = abstractChars > 0 ? Lexicon(new Random(seed + 1), 20_000) : [];
        var centres = new (double X, double Y)[topics];
        var spread = new double[topics];
        for (var t = 0; t < topics; t++)
        {
            centres[t] = (random.NextDouble() * 100, random.NextDouble() * 70);
            spread[t] = 0.8 + (random.NextDouble() * 2.5);
        }

        // Uneven sizes, like real topic models: a few big topics and a long tail.
        var weights = Enumerable.Range(0, topics).Select(t => 1.0 / (1 + (t * 0.35))).ToArray();
        var total = weights.Sum();
        var docs = new List<ReportDocument>(documents);
        var sizes = new int[topics];
        var start = new DateOnly(2019, 1, 1);
        for (var i = 0; i < documents; i++)
        {
            var outlier = random.NextDouble() < 0.08;
            var topic = -1;
            double x, y;
            if (outlier || topics == 0)
            {
                (x, y) = (random.NextDouble() * 100, random.NextDouble() * 70);
            }
            else
            {
                var u = random.NextDouble() * total;
                topic = 0;
                while (topic < topics - 1 && (u -= weights[topic]) > 0)
                {
                    topic++;
                }

                x = centres[topic].X + (Gaussian(random) * spread[topic]);
                y = centres[topic].Y + (Gaussian(random) * spread[topic]);
                sizes[topic]++;
            }

            var isProbe = probe && i == documents / 2;
            if (isProbe)
            {
                // Alone in a corner, so a test can hover exactly this point.
                (x, y, topic) = (-12, -12, -1);
            }

            var words = Enumerable.Range(0, 6).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToArray();
            docs.Add(new ReportDocument(
                Id: $"doc-{i}",
                Title: isProbe ? ProbeTitle : $"On {words[0]} {words[1]} for {words[2]} number {i}",
                Authors: isProbe ? [ProbeAuthor, "Ada Lovelace"] : [$"Author {random.Next(500)}", $"Author {random.Next(500)}"],
                Date: i % 17 == 0 ? null : start.AddDays(random.Next(5 * 365)),
                Abstract: isProbe ? ProbeAbstract : Pad($"We study {string.Join(' ', words)} and show that {words[3]} {words[4]} improves {words[5]} by {random.Next(100)} percent on benchmark {i}.", abstractChars, lexicon, random),
                Topic: topic,
                Probability: topic < 0 ? 0 : 0.5 + (random.NextDouble() / 2),
                OutlierScore: random.NextDouble(),
                X: x,
                Y: y));
        }

        var reportTopics = Enumerable.Range(0, topics).Select(t =>
        {
            var keywords = Enumerable.Range(0, 8).Select(k => new ReportKeyword($"{Vocabulary[((t * 7) + (k * 3)) % Vocabulary.Length]}{(k == 0 ? t : string.Empty)}", 1.0 / (k + 1))).ToArray();
            return new ReportTopic(t, sizes[t], string.Join(" · ", keywords.Take(3).Select(k => k.Word)), keywords, [.. docs.Where(d => d.Topic == t).Take(3).Select(d => d.Id)]);
        }).ToArray();

        var similarity = new Matrix(topics, topics);
        for (var a = 0; a < topics; a++)
        {
            for (var b = 0; b < topics; b++)
            {
                var d2 = Sq(centres[a].X - centres[b].X) + Sq(centres[a].Y - centres[b].Y);
                similarity[a, b] = (float)Math.Exp(-d2 / 800);
            }
        }

        var duplicates = new List<ReportDuplicateGroup>();
        for (var g = 0; g + 1 < documents && g < 30; g += 3)
        {
            var (a, b) = (docs[g * 7 % documents].Id, docs[((g * 7) + 1) % documents].Id);
            if (a != b)
            {
                duplicates.Add(new ReportDuplicateGroup([a, b], a, [new ReportDuplicatePair(a, b, 0.97, 0.88)]));
            }
        }

        return new ReportData
        {
            Title = probe ? "Synthetic <b>report</b> & \"probe\"" : "Synthetic topic report",
            Documents = docs,
            Topics = reportTopics,
            TopicSimilarity = topics > 0 ? similarity : null,
            Hierarchy = hierarchy && topics > 1 ? AverageLinkage(centres) : null,
            DuplicateGroups = duplicates,
        };
    }

    /// <summary>Naive average linkage on Euclidean distance (O(T^3), fine for a few hundred topics).</summary>
    public static List<ReportMerge> AverageLinkage((double X, double Y)[] points)
    {
        var n = points.Length;
        var clusters = Enumerable.Range(0, n).ToDictionary(i => i, i => new List<int> { i });
        var merges = new List<ReportMerge>();
        for (var step = 0; step < n - 1; step++)
        {
            var best = (A: -1, B: -1, D: double.PositiveInfinity);
            var keys = clusters.Keys.Order().ToArray();
            for (var i = 0; i < keys.Length; i++)
            {
                for (var j = i + 1; j < keys.Length; j++)
                {
                    var d = clusters[keys[i]].SelectMany(p => clusters[keys[j]].Select(q => Math.Sqrt(Sq(points[p].X - points[q].X) + Sq(points[p].Y - points[q].Y)))).Average();
                    if (d < best.D)
                    {
                        best = (keys[i], keys[j], d);
                    }
                }
            }

            merges.Add(new ReportMerge(best.A, best.B, best.D));
            clusters[n + step] = [.. clusters[best.A], .. clusters[best.B]];
            clusters.Remove(best.A);
            clusters.Remove(best.B);
        }

        return merges;
    }

    private static double Sq(double v) => v * v;

    private static string[] Lexicon(Random random, int size)
    {
        string[] syllables = ["ta", "ro", "mi", "ne", "sta", "tion", "al", "ex", "pro", "cy", "ver", "ing", "ly", "de", "con", "ma", "tri", "ic", "or", "um"];
        return Enumerable.Range(0, size).Select(_ => string.Concat(Enumerable.Range(0, 1 + random.Next(4)).Select(_ => syllables[random.Next(syllables.Length)]))).ToArray();
    }

    private static string Pad(string text, int chars, string[] lexicon, Random random)
    {
        if (chars <= text.Length)
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text, chars + 16);
        while (sb.Length < chars)
        {
            // Zipf-like word choice: common words often, rare ones seldom, as in prose.
            var index = (int)Math.Min(lexicon.Length - 1, Math.Exp(random.NextDouble() * Math.Log(lexicon.Length)) - 1);
            sb.Append(' ').Append(lexicon[index]);
            if (random.Next(14) == 0)
            {
                sb.Append('.');
            }
        }

        return sb.ToString();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
