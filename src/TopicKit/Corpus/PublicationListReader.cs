using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace TopicKit.Corpus;

/// <summary>
/// An author's publication list saved as text. Each record is
/// <code>
/// 77.1LGMay 16                                  (optional score, category code, date; the year may be omitted)
/// Propagation of ... Flow MapsShi Chen, Zhengjiang Lin, Kaizhao Liu et al.   (title glued to the authors)
/// We develop a quantitative statistical theory ... (abstract: every line up to the next metadata line)
/// </code>
/// The category code is kept as printed (<c>LG</c>, <c>IT</c>, ...) because the list does not say which archive
/// it belongs to. The trailing "et al." is not a name and is dropped. Lines before the first metadata line are
/// page header and are skipped.
/// </summary>
internal static partial class PublicationListReader
{
    public static async IAsyncEnumerable<RecordDraft> ReadAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Match? meta = null;
        long start = 0;
        string? glued = null;
        var abstractText = new StringBuilder();
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } raw)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var m = MetadataLine().Match(line);
            if (m.Success)
            {
                if (meta is not null)
                {
                    yield return Finish(meta, glued, abstractText, start, context);
                }

                meta = m;
                start = lines.LineNumber;
                glued = null;
                abstractText.Clear();
                continue;
            }

            if (meta is null)
            {
                continue;
            }

            if (glued is null)
            {
                glued = line;
                continue;
            }

            if (abstractText.Length + line.Length > context.Options.MaxRecordChars)
            {
                throw context.Error(start, $"the record is longer than the limit of {context.Options.MaxRecordChars:N0} characters",
                    "check the format or raise CorpusReadOptions.MaxRecordChars");
            }

            abstractText.Append(abstractText.Length == 0 ? string.Empty : " ").Append(line);
        }

        if (meta is not null)
        {
            yield return Finish(meta, glued, abstractText, start, context);
        }
    }

    /// <summary>Whether a line is a publication-list metadata line (used by format detection).</summary>
    internal static bool IsMetadataLine(string line) => MetadataLine().IsMatch(line.Trim());

    private static RecordDraft Finish(Match meta, string? glued, StringBuilder abstractText, long start, ReadContext context)
    {
        if (glued is null)
        {
            throw context.Error(start, "a metadata line (score/category/date) is not followed by a title line",
                "check that the list was saved completely, or choose another format");
        }

        var (title, authors) = SplitTitleAuthors(glued);
        var category = meta.Groups["cat"].Success ? meta.Groups["cat"].Value : null;
        return new RecordDraft
        {
            Title = title,
            Abstract = abstractText.ToString(),
            Authors = authors,
            Categories = category is null ? [] : [category],
            Date = FieldParsing.ParseDate(meta.Groups["date"].Value, context.Options.YearForDatesWithoutYear),
            Line = start,
        };
    }

    /// <summary>
    /// Splits "TitleFirst Last, First Last et al." at the leftmost glue point (a capital letter right after a
    /// non-space character) whose remainder parses as a list of personal names. When no split point works the
    /// whole line is the title and the author list is empty.
    /// </summary>
    internal static (string Title, string[] Authors) SplitTitleAuthors(string line)
    {
        for (var i = 1; i < line.Length; i++)
        {
            if (!char.IsUpper(line[i]) || char.IsWhiteSpace(line[i - 1]))
            {
                continue;
            }

            var names = ParseNameList(line.AsSpan(i));
            if (names is not null)
            {
                return (line[..i].TrimEnd(), names);
            }
        }

        return (line, []);
    }

    private static string[]? ParseNameList(ReadOnlySpan<char> text)
    {
        var s = text.ToString().Trim();
        var etAl = EtAlSuffix().Match(s);
        if (etAl.Success)
        {
            s = s[..etAl.Index];
        }

        var parts = s.Split(',', StringSplitOptions.TrimEntries);
        var names = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            var name = part.StartsWith("and ", StringComparison.Ordinal) ? part[4..].Trim() : part;
            if (!IsPersonalName(name))
            {
                return null;
            }

            names.Add(name);
        }

        return names.Count > 0 ? [.. names] : null;
    }

    private static bool IsPersonalName(string name)
    {
        var tokens = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length is < 1 or > 5 || !char.IsUpper(tokens[0][0]))
        {
            return false;
        }

        var capitalised = 0;
        foreach (var t in tokens)
        {
            if (NameToken().IsMatch(t))
            {
                capitalised++;
            }
            else if (!Particle().IsMatch(t))
            {
                return false;
            }
        }

        return capitalised >= 1 && (tokens.Length > 1 || tokens[0].Length > 1);
    }

    // A capitalised word, initials (J. / J.-P.), hyphenated or apostrophe names, and Mc/Mac/O'/De prefixes.
    [GeneratedRegex(@"^(?:(?:\p{Lu}\.)+(?:-(?:\p{Lu}\.)+)?|(?:Mc|Mac|O'|O’|D'|D’|De|Di|La|Le|Van|Von)?\p{Lu}[\p{Ll}\p{Mn}'’]*(?:-\p{Lu}?[\p{Ll}\p{Mn}'’]+)*\.?|Jr\.?|Sr\.?|II|III|IV)$")]
    private static partial Regex NameToken();

    [GeneratedRegex(@"^(?:van|von|der|den|de|da|di|du|del|della|dos|das|le|la|bin|ibn|al|el|ter|ten|y|zu)$")]
    private static partial Regex Particle();

    [GeneratedRegex(@",?\s+(?:et\s+al\.?|and\s+others)$")]
    private static partial Regex EtAlSuffix();

    // Optional score, optional category code (LG, cs.LG, ...), then a date with optional year.
    [GeneratedRegex(@"^(?<score>\d+(?:\.\d+)?)?(?<cat>[A-Za-z][A-Za-z.\-]*?)?(?<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)$")]
    private static partial Regex MetadataLine();
}
