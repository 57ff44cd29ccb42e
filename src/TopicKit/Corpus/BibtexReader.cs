using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace TopicKit.Corpus;

/// <summary>
/// BibTeX: <c>@type{key, field = value, ...}</c> (or with parentheses) for any entry type. Values are
/// <c>{braced}</c> (nested), <c>"quoted"</c>, numbers or <c>@string</c> macros, joined with <c>#</c>.
/// <c>@comment</c>, <c>@preamble</c> and text between entries are ignored. Fields used: <c>title</c>,
/// <c>abstract</c>, <c>author</c> (split on "and" outside braces; "Last, First" becomes "First Last"),
/// <c>date</c> or <c>year</c>/<c>month</c>/<c>day</c>, <c>primaryClass</c> then <c>keywords</c> (comma or semicolon
/// separated) as categories. The id is the citation key. LaTeX is always converted to Unicode.
/// </summary>
internal static partial class BibtexReader
{
    private static readonly Dictionary<string, string> MonthMacros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jan"] = "1", ["feb"] = "2", ["mar"] = "3", ["apr"] = "4", ["may"] = "5", ["jun"] = "6",
        ["jul"] = "7", ["aug"] = "8", ["sep"] = "9", ["oct"] = "10", ["nov"] = "11", ["dec"] = "12",
    };

    public static async IAsyncEnumerable<RecordDraft> ReadAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var macros = new Dictionary<string, string>(MonthMacros, StringComparer.OrdinalIgnoreCase);
        await foreach (var (text, line) in SplitAsync(lines, context, cancellationToken).ConfigureAwait(false))
        {
            var entry = new BibtexEntryParser(text, line, context, macros).Parse();
            if (entry is null)
            {
                continue;
            }

            yield return ToDraft(entry.Value, line, context);
        }
    }

    private static RecordDraft ToDraft((string Type, string? Key, Dictionary<string, string> Fields) entry, long line, ReadContext context)
    {
        var f = entry.Fields;
        var categories = new List<string>();
        if (f.TryGetValue("primaryclass", out var primary))
        {
            categories.Add(primary.Trim());
        }

        if (f.TryGetValue("keywords", out var keywords))
        {
            categories.AddRange(keywords.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        return new RecordDraft
        {
            Id = entry.Key,
            Title = f.GetValueOrDefault("title"),
            Abstract = f.GetValueOrDefault("abstract"),
            Authors = SplitAuthors(f.GetValueOrDefault("author")),
            Date = Date(f, context),
            Categories = [.. categories.Select(c => TextNormalizer.Normalize(c)).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal)],
            Line = line,
            AlwaysLatex = true,
        };
    }

    private static DateOnly? Date(Dictionary<string, string> f, ReadContext context)
    {
        if (f.TryGetValue("date", out var date) && FieldParsing.ParseDate(date, context.Options.YearForDatesWithoutYear) is { } d)
        {
            return d;
        }

        if (!f.TryGetValue("year", out var yearText)
            || !int.TryParse(yearText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || year is < 1 or > 9999)
        {
            return null;
        }

        var month = FieldParsing.MonthNumber(f.GetValueOrDefault("month")) ?? 1;
        var day = f.TryGetValue("day", out var dayText) && int.TryParse(dayText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var dd)
            && dd >= 1 && dd <= DateTime.DaysInMonth(year, month) ? dd : 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>Splits a BibTeX author field on " and " outside braces and reorders "Last, First".</summary>
    internal static string[] SplitAuthors(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return [];
        }

        var names = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth--;
            }
            else if (depth == 0 && char.IsWhiteSpace(c) && i + 4 < field.Length
                && field.AsSpan(i + 1, 3).Equals("and", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(field[i + 4]))
            {
                names.Add(field[start..i]);
                start = i + 5;
                i += 4;
            }
        }

        names.Add(field[start..]);
        return [.. names.Select(Reorder).Where(n => n.Length > 0 && !n.Equals("others", StringComparison.OrdinalIgnoreCase))];
    }

    private static string Reorder(string name)
    {
        var parts = SplitTopLevelCommas(name.Trim());
        return parts.Count switch
        {
            2 => $"{parts[1]} {parts[0]}".Trim(),                 // Last, First
            3 => $"{parts[2]} {parts[0]} {parts[1]}".Trim(),      // Last, Jr, First
            _ => name.Trim(),
        };
    }

    private static List<string> SplitTopLevelCommas(string s)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '{')
            {
                depth++;
            }
            else if (s[i] == '}')
            {
                depth--;
            }
            else if (s[i] == ',' && depth == 0)
            {
                parts.Add(s[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(s[start..].Trim());
        return parts;
    }

    /// <summary>Cuts entries (from '@' to the matching close) out of the line stream, with their start lines.</summary>
    internal static async IAsyncEnumerable<(string Text, long Line)> SplitAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var inEntry = false;
        var opened = false;    // seen the opening delimiter
        var paren = false;     // entry delimited by ( )
        var depth = 0;
        long start = 0;
        long closedAt = 0;     // line where the last entry closed, until the next '@'
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var begin = inEntry ? 0 : -1;
            if (!inEntry && closedAt > 0 && FieldAssignment().IsMatch(line))
            {
                // Text between entries is a comment in BibTeX, but a field there means an extra '}' closed the
                // entry above early: reading on would silently drop this field (often the abstract).
                throw context.Error(lines.LineNumber, "a field outside any entry: an extra '}' closed the entry above it early",
                    $"remove the extra closing brace in the entry that starts on line {start}", withRecord: false);
            }

            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (!inEntry)
                {
                    if (c == '}' && closedAt > 0)
                    {
                        throw context.Error(lines.LineNumber, "an extra '}' after the end of a BibTeX entry, so the entry closed early",
                            $"balance the braces of the entry that starts on line {start}", withRecord: false);
                    }

                    if (c == '@')
                    {
                        closedAt = 0;
                        inEntry = true;
                        opened = false;
                        depth = 0;
                        begin = i;
                        start = lines.LineNumber;
                    }

                    continue;
                }

                if (!opened)
                {
                    if (c is '{' or '(')
                    {
                        opened = true;
                        paren = c == '(';
                        depth = paren ? 0 : 1;
                    }
                    else if (!(char.IsLetterOrDigit(c) || c is '_' or '-' || char.IsWhiteSpace(c)))
                    {
                        // "@" not starting an entry (e.g. an e-mail address in a comment): ignore it.
                        inEntry = false;
                        begin = -1;
                    }

                    continue;
                }

                if (c == '{')
                {
                    depth++;
                }
                else if (c == '}')
                {
                    depth--;
                    if (depth < 0)
                    {
                        throw context.Error(lines.LineNumber, "unbalanced '}' in the BibTeX entry", "remove the extra closing brace");
                    }
                }

                var closed = paren ? c == ')' && depth == 0 : depth == 0;
                if (closed)
                {
                    sb.Append(line, begin, i + 1 - begin);
                    yield return (sb.ToString(), start);
                    sb.Clear();
                    inEntry = false;
                    begin = -1;
                    closedAt = lines.LineNumber;
                }
            }

            if (inEntry)
            {
                sb.Append(line, begin, line.Length - begin).Append('\n');
                if (sb.Length > context.Options.MaxRecordChars)
                {
                    throw context.Error(start, string.Create(CultureInfo.InvariantCulture,
                            $"the BibTeX entry starting here is longer than the limit of {context.Options.MaxRecordChars:N0} characters"),
                        "a closing brace is probably missing; check the entry or raise CorpusReadOptions.MaxRecordChars");
                }
            }
        }

        if (inEntry && opened)
        {
            throw context.Error(start, "unterminated BibTeX entry: the entry starting on this line is not closed before the end of the file",
                "add the missing closing brace, or re-export the file if it was truncated");
        }
    }

    [GeneratedRegex(@"^\s*[A-Za-z][A-Za-z0-9_-]*\s*=\s*[{""]")]
    private static partial Regex FieldAssignment();
}
