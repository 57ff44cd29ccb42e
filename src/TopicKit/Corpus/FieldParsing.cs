using System.Globalization;
using System.Text.RegularExpressions;

namespace TopicKit.Corpus;

/// <summary>Parsing of the date, author and category fields shared by the structured readers.</summary>
internal static partial class FieldParsing
{
    private static readonly string[] MonthNames =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly string[] IsoFormats =
        ["yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyy.MM.dd", "yyyyMMdd"];

    /// <summary>
    /// Parses the date forms found in corpora: ISO <c>2024-05-01</c> (optionally with a time), <c>2024/05/01</c>,
    /// US <c>11/26/2008</c> (month first unless the first number exceeds 12), <c>Nov 26, 2023</c>, <c>26 Nov 2023</c>,
    /// <c>November 2023</c> / <c>2023-11</c> (first of the month) and a bare year (1 January).
    /// <paramref name="yearIfMissing"/> completes a yearless <c>Nov 26</c>; without it such dates give <see langword="null"/>.
    /// </summary>
    public static DateOnly? ParseDate(string? text, int? yearIfMissing = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var s = text.Trim();
        var ci = CultureInfo.InvariantCulture;
        if (s.Length >= 10 && s[4] == '-' && s.Length > 10 && (s[10] == 'T' || s[10] == ' '))
        {
            s = s[..10];
        }

        if (DateOnly.TryParseExact(s, IsoFormats, ci, DateTimeStyles.None, out var iso))
        {
            return iso;
        }

        var m = SlashDate().Match(s);
        if (m.Success)
        {
            var a = int.Parse(m.Groups[1].ValueSpan, ci);
            var b = int.Parse(m.Groups[2].ValueSpan, ci);
            var y = int.Parse(m.Groups[3].ValueSpan, ci);
            var (month, day) = a > 12 ? (b, a) : (a, b);
            return Make(y, month, day);
        }

        m = MonthDayYear().Match(s);
        if (m.Success)
        {
            var month = MonthNumber(m.Groups["mon"].Value);
            var day = int.Parse(m.Groups["day"].ValueSpan, ci);
            int? year = m.Groups["year"].Success ? int.Parse(m.Groups["year"].ValueSpan, ci) : yearIfMissing;
            return month is { } mo && year is { } yr ? Make(yr, mo, day) : null;
        }

        m = DayMonthYear().Match(s);
        if (m.Success)
        {
            var month = MonthNumber(m.Groups["mon"].Value);
            return month is { } mo ? Make(int.Parse(m.Groups["year"].ValueSpan, ci), mo, int.Parse(m.Groups["day"].ValueSpan, ci)) : null;
        }

        m = MonthYear().Match(s);
        if (m.Success)
        {
            var month = m.Groups["mon"].Success ? MonthNumber(m.Groups["mon"].Value) : int.Parse(m.Groups["num"].ValueSpan, ci);
            return month is { } mo ? Make(int.Parse(m.Groups["year"].ValueSpan, ci), mo, 1) : null;
        }

        return YearOnly().IsMatch(s) ? Make(int.Parse(s, ci), 1, 1) : null;
    }

    /// <summary>Month number for an English month name or abbreviation, or a number 1-12.</summary>
    public static int? MonthNumber(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var s = text.Trim().TrimEnd('.');
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n is >= 1 and <= 12 ? n : null;
        }

        if (s.Length < 3)
        {
            return null;
        }

        var prefix = s[..3].ToLowerInvariant();
        var idx = Array.IndexOf(MonthNames, prefix);
        return idx >= 0 ? idx + 1 : s.Equals("sept", StringComparison.OrdinalIgnoreCase) ? 9 : null;
    }

    /// <summary>
    /// Splits a free-form author list: <c>A; B</c> on semicolons, otherwise <c>A, B and C</c> / <c>A, B, and C</c>
    /// on commas and the word "and". A trailing "et al." entry is dropped (it is not a name).
    /// </summary>
    public static string[] SplitAuthors(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var s = text.Trim();
        if (s.StartsWith('[') && s.EndsWith(']'))
        {
            return SplitListLiteral(s);
        }

        var parts = s.Contains(';', StringComparison.Ordinal)
            ? s.Split(';')
            : AuthorSeparator().Split(s);
        var names = new List<string>(parts.Length);
        foreach (var p in parts)
        {
            var name = p.Trim();
            if (name.Length == 0 || EtAl().IsMatch(name))
            {
                continue;
            }

            names.Add(name);
        }

        return [.. names];
    }

    /// <summary>
    /// Splits a category field: a list literal (<c>['cs.LG', 'stat.ML']</c>), a comma/semicolon separated string
    /// (<c>machine learning; optimization</c>, so multi-word keywords survive), or else a space separated string
    /// (arXiv <c>math.CO cs.CG</c>). Order is kept (primary first); exact repeats are removed.
    /// </summary>
    public static string[] SplitCategories(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var s = text.Trim();
        char[] separators = s.AsSpan().IndexOfAny(',', ';') >= 0 ? [',', ';'] : [' ', '\t', '\n', '\r'];
        var items = s.StartsWith('[') && s.EndsWith(']')
            ? SplitListLiteral(s)
            : s.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. items.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Items of a Python/JSON list literal of strings: <c>['a', "b"]</c>.</summary>
    public static string[] SplitListLiteral(string s)
    {
        var items = new List<string>();
        var i = 1;
        while (i < s.Length - 1)
        {
            var c = s[i];
            if (c is '\'' or '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < s.Length - 1 && s[i] != c)
                {
                    if (s[i] == '\\' && i + 1 < s.Length - 1)
                    {
                        i++;
                    }

                    sb.Append(s[i]);
                    i++;
                }

                items.Add(sb.ToString().Trim());
                i++;
            }
            else if (c is ',' || char.IsWhiteSpace(c))
            {
                i++;
            }
            else
            {
                // Unquoted item: up to the next comma.
                var end = s.IndexOf(',', i);
                end = end < 0 || end > s.Length - 1 ? s.Length - 1 : end;
                items.Add(s[i..end].Trim());
                i = end + 1;
            }
        }

        return [.. items.Where(x => x.Length > 0)];
    }

    private static DateOnly? Make(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    [GeneratedRegex(@"^(\d{1,2})/(\d{1,2})/(\d{4})$")]
    private static partial Regex SlashDate();

    [GeneratedRegex(@"^(?<mon>[A-Za-z]{3,9})\.?\s+(?<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?<year>\d{4}))?$")]
    private static partial Regex MonthDayYear();

    [GeneratedRegex(@"^(?<day>\d{1,2})\s+(?<mon>[A-Za-z]{3,9})\.?,?\s+(?<year>\d{4})$")]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"^(?:(?<mon>[A-Za-z]{3,9})\.?,?\s+(?<year>\d{4})|(?<year>\d{4})-(?<num>\d{1,2}))$")]
    private static partial Regex MonthYear();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex YearOnly();

    [GeneratedRegex(@"\s*,\s*and\s+|\s*,\s*|\s+and\s+")]
    private static partial Regex AuthorSeparator();

    [GeneratedRegex(@"^(?:and\s+)?(?:et\.?\s*al\.?|others)$", RegexOptions.IgnoreCase)]
    private static partial Regex EtAl();
}
