using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace TopicKit.Corpus;

/// <summary>
/// Hugging Face "Daily Papers" listing pages saved as text. Paragraphs (blank-line separated) come as
/// title, abstract, then an optional metadata block such as
/// <code>
///   • 4 authors        (or an organisation line, e.g. "LAMDA-NeSy NJU-IRP")
/// ·
/// Nov 23, 2025 2     (date, then the upvote count when there is one; the year is omitted for the current year)
/// </code>
/// Page chrome before the first record (<c>new</c>, <c>Subscribe</c>, <c>Daily Papers</c>, the page date, ...) is
/// skipped. The page lists only the author count, so <see cref="Document.Authors"/> is empty.
/// </summary>
internal static partial class HfDailyPapersReader
{
    private const int MaxTitleChars = 300;

    private static readonly FrozenSet<string> Chrome = new[]
    {
        "new", "get trending papers in your email inbox!", "subscribe", "daily papers", "trending papers",
        "byak and the research community", "submit", "search", "previous", "next", "papers", "trending",
        "get trending papers in your email inbox", "view all", "load more",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static async IAsyncEnumerable<RecordDraft> ReadAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Paragraph? title = null;
        Paragraph? abstractPara = null;
        var inHeader = true;
        await foreach (var p in Paragraphs.ReadAsync(lines, context, cancellationToken).ConfigureAwait(false))
        {
            if (inHeader && (IsChromeParagraph(p) || IsDateOnly(p)))
            {
                continue;
            }

            if (IsMetadata(p))
            {
                if (abstractPara is null)
                {
                    if (title is not null)
                    {
                        // One paragraph then metadata: a paper listed without abstract, or an abstract without title.
                        yield return LooksLikeTitle(title)
                            ? Draft(title, new Paragraph([string.Empty], title.StartLine), p, context)
                            : Draft(null, title, p, context);
                        title = null;
                        inHeader = false;
                        continue;
                    }

                    throw context.Error(p.StartLine, "a metadata block (authors/·/date) without a title and abstract before it",
                        "check that the page was saved completely, or choose another format");
                }

                yield return Draft(title, abstractPara, p, context);
                title = abstractPara = null;
                inHeader = false;
                continue;
            }

            if (title is null)
            {
                title = p;
                continue;
            }

            if (abstractPara is null)
            {
                if (inHeader && LooksLikeTitle(title) && LooksLikeTitle(p))
                {
                    // Two short lines in a row before any record: the first is unknown page chrome.
                    title = p;
                    continue;
                }

                if (!LooksLikeTitle(title))
                {
                    // Two abstracts in a row: the first had no title.
                    yield return Draft(null, title, null, context);
                    title = p;
                    inHeader = false;
                    continue;
                }

                abstractPara = p;
                continue;
            }

            if (!LooksLikeTitle(p))
            {
                // A second paragraph of the same abstract.
                abstractPara = new Paragraph([.. abstractPara.Lines, .. p.Lines], abstractPara.StartLine);
                continue;
            }

            // Title and abstract without a metadata block (the listing omits it for some papers).
            yield return Draft(title, abstractPara, null, context);
            inHeader = false;
            title = p;
            abstractPara = null;
        }

        if (title is not null && abstractPara is not null)
        {
            yield return Draft(title, abstractPara, null, context);
        }
        else if (title is not null && !IsChromeParagraph(title))
        {
            yield return LooksLikeTitle(title)
                ? Draft(title, new Paragraph([string.Empty], title.StartLine), null, context)
                : Draft(null, title, null, context);
        }
    }

    private static RecordDraft Draft(Paragraph? title, Paragraph abstractPara, Paragraph? metadata, ReadContext context)
    {
        DateOnly? date = null;
        if (metadata is not null)
        {
            foreach (var line in metadata.Lines)
            {
                var m = DateLine().Match(line.Trim());
                if (m.Success)
                {
                    date = FieldParsing.ParseDate(m.Groups["date"].Value, context.Options.YearForDatesWithoutYear);
                }
            }
        }

        return new RecordDraft
        {
            Title = title?.Joined,
            Abstract = abstractPara.Joined,
            Date = date,
            Line = title?.StartLine ?? abstractPara.StartLine,
        };
    }

    /// <summary>Whether the text looks like an HF listing (used by format detection).</summary>
    internal static bool LooksLikeListing(IReadOnlyList<string> lines)
    {
        int dots = 0, authorLines = 0, chrome = 0;
        foreach (var l in lines)
        {
            var t = l.Trim();
            if (t == "·")
            {
                dots++;
            }
            else if (AuthorsLine().IsMatch(t))
            {
                authorLines++;
            }
            else if (t.Equals("Daily Papers", StringComparison.OrdinalIgnoreCase) || t.StartsWith("byAK", StringComparison.Ordinal))
            {
                chrome++;
            }
        }

        return (dots >= 1 && authorLines >= 1) || (chrome >= 1 && dots >= 1);
    }

    private static bool IsChromeParagraph(Paragraph p) => p.Lines.All(l => Chrome.Contains(l.Trim()));

    private static bool IsDateOnly(Paragraph p) => p.Lines.Count == 1 && DateLine().IsMatch(p.Lines[0].Trim());

    // A title is one short line; an abstract is long, wrapped, or made of sentences ending in a full stop.
    private static bool LooksLikeTitle(Paragraph p)
    {
        if (p.Lines.Count != 1)
        {
            return false;
        }

        var t = p.Lines[0].Trim();
        var sentences = t.EndsWith('.') && (t.Length > 150 || t.Contains(". ", StringComparison.Ordinal));
        return t.Length <= MaxTitleChars && !sentences;
    }

    private static bool IsMetadata(Paragraph p)
    {
        if (p.Lines.Count > 4)
        {
            return false;
        }

        var hasDot = false;
        var hasAuthors = false;
        var hasDate = false;
        foreach (var l in p.Lines)
        {
            var t = l.Trim();
            hasDot |= t == "·";
            hasAuthors |= AuthorsLine().IsMatch(t);
            hasDate |= DateLine().IsMatch(t);
        }

        return hasDot || (hasAuthors && (hasDate || p.Lines.Count == 1));
    }

    [GeneratedRegex(@"^•?\s*\d+\s+authors?$")]
    private static partial Regex AuthorsLine();

    [GeneratedRegex(@"^(?<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)(?:\s+(?<upvotes>\d+))?$")]
    private static partial Regex DateLine();
}
