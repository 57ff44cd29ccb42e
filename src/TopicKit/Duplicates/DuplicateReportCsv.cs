using System.Globalization;

namespace TopicKit.Duplicates;

/// <summary>Writes a <see cref="DuplicateReport"/> as CSV: one line per pair.</summary>
/// <remarks>
/// Header <c>group,a,b,semantic,lexical,exact,canonical,differing</c>: the 0-based group number, the two rows' names
/// (document ids, or row numbers), the scores (empty when the method did not run; round-trip exact), <c>true</c> when
/// ingestion found an exact duplicate, the group's canonical record, and its differing metadata fields joined by
/// <c>;</c>. Fields holding a comma, quote or line break are quoted (RFC 4180).
/// </remarks>
public static class DuplicateReportCsv
{
    /// <summary>The CSV header line.</summary>
    public const string Header = "group,a,b,semantic,lexical,exact,canonical,differing";

    /// <summary>Writes <paramref name="report"/>; rows are named by <paramref name="ids"/> when given, else by their number.</summary>
    public static void Write(TextWriter writer, DuplicateReport report, IReadOnlyList<string>? ids = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        string Name(int row) => ids is null ? row.ToString(CultureInfo.InvariantCulture) : ids[row];
        writer.WriteLine(Header);
        for (var g = 0; g < report.Groups.Count; g++)
        {
            var group = report.Groups[g];
            foreach (var p in group.Pairs)
            {
                writer.WriteLine(string.Join(
                    ',',
                    g.ToString(CultureInfo.InvariantCulture),
                    Quote(Name(p.A)),
                    Quote(Name(p.B)),
                    p.Semantic?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
                    p.Lexical?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
                    p.Exact ? "true" : "false",
                    Quote(Name(group.Canonical)),
                    Quote(string.Join(';', group.DifferingFields))));
            }
        }
    }

    /// <summary>Quotes a CSV field when it needs it.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
