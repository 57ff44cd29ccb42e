using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace TopicKit.Corpus;

/// <summary>
/// CSV (RFC 4180) and TSV with a header row. Quoted fields may contain the delimiter, doubled quotes and line
/// breaks. Columns are recognised by name, case-insensitively, or named explicitly through <see cref="CsvColumnMap"/>.
/// Rows with fewer fields than the header are padded with empty fields; rows with more are an error (a quote is
/// almost certainly missing). Blank lines and rows whose cells are all empty are skipped.
/// </summary>
internal static class DelimitedReader
{
    private static readonly string[] TitleNames = ["title", "titles"];
    private static readonly string[] AbstractNames = ["abstract", "summary", "summaries", "text"];
    private static readonly string[] AuthorNames = ["authors", "author"];
    private static readonly string[] CategoryNames = ["categories", "terms", "category", "keywords"];
    private static readonly string[] IdNames = ["id", "arxiv_id", "paper_id"];
    private static readonly string[] DateNames = ["date", "update_date", "published", "updated", "year"];

    public static async IAsyncEnumerable<RecordDraft> ReadAsync(LineReader lines, ReadContext context, char delimiter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = ReadRowsAsync(lines, context, delimiter, cancellationToken);
        await using var e = rows.GetAsyncEnumerator(cancellationToken);
        if (!await e.MoveNextAsync().ConfigureAwait(false))
        {
            yield break;
        }

        var header = e.Current.Fields;
        var columns = ResolveColumns(header, context, delimiter);
        while (await e.MoveNextAsync().ConfigureAwait(false))
        {
            var (fields, line) = e.Current;
            if (fields.TrueForAll(string.IsNullOrWhiteSpace))
            {
                continue; // spreadsheet exports end with rows of empty cells (",,,,"): not records
            }

            if (fields.Count > header.Count)
            {
                throw context.Error(line, string.Create(CultureInfo.InvariantCulture,
                        $"the row has {fields.Count} fields but the header has {header.Count}"),
                    delimiter == ',' ? "a quote is probably missing: fields containing commas, quotes or line breaks must be in double quotes"
                        : "a field probably contains a tab; quote it or remove the tab");
            }

            string? Get(int index) => index >= 0 && index < fields.Count ? fields[index] : null;
            yield return new RecordDraft
            {
                Id = Get(columns.Id),
                Title = Get(columns.Title),
                Abstract = Get(columns.Abstract),
                Authors = FieldParsing.SplitAuthors(Get(columns.Authors)),
                Categories = FieldParsing.SplitCategories(Get(columns.Categories)),
                Date = FieldParsing.ParseDate(Get(columns.Date), context.Options.YearForDatesWithoutYear),
                Line = line,
            };
        }
    }

    /// <summary>Field indexes of the recognised columns; -1 when absent.</summary>
    internal readonly record struct ColumnIndexes(int Id, int Title, int Abstract, int Authors, int Categories, int Date);

    private static ColumnIndexes ResolveColumns(List<string> header, ReadContext context, char delimiter)
    {
        var names = header.Select(h => h.Trim()).ToList();
        var map = context.Options.Columns;
        int Find(string? explicitName, string[] aliases, string field)
        {
            if (explicitName is not null)
            {
                var idx = names.FindIndex(n => n.Equals(explicitName.Trim(), StringComparison.OrdinalIgnoreCase));
                if (idx < 0)
                {
                    throw new CorpusFormatException(context.Path, 1, null,
                        $"the {field} column '{explicitName}' given in the column map is not in the header ({Describe(names)})",
                        "use one of the header's column names");
                }

                return idx;
            }

            foreach (var alias in aliases)
            {
                var idx = names.FindIndex(n => n.Equals(alias, StringComparison.OrdinalIgnoreCase));
                if (idx >= 0)
                {
                    return idx;
                }
            }

            return -1;
        }

        var columns = new ColumnIndexes(
            Find(map?.Id, IdNames, "id"),
            Find(map?.Title, TitleNames, "title"),
            Find(map?.Abstract, AbstractNames, "abstract"),
            Find(map?.Authors, AuthorNames, "authors"),
            Find(map?.Categories, CategoryNames, "categories"),
            Find(map?.Date, DateNames, "date"));
        if (columns.Abstract < 0 && names.Any(n => n.Contains('\r', StringComparison.Ordinal)))
        {
            // Lines ended by CR alone are not split, so the "header" is the whole file; listing it would be misleading.
            throw new CorpusFormatException(context.Path, 1, null,
                "the lines end with a carriage return alone (classic Mac line endings), so the file reads as one line",
                "convert the line endings to LF or CRLF, e.g. with tr '\\r' '\\n'");
        }

        if (columns.Abstract < 0)
        {
            var kind = delimiter == ',' ? "CSV" : "TSV";
            throw new CorpusFormatException(context.Path, 1, null,
                $"the {kind} header has no abstract column (looked for {string.Join('/', AbstractNames)}; header: {Describe(names)})",
                "rename the column or name it with CsvColumnMap.Abstract");
        }

        return columns;
    }

    private static string Describe(List<string> names)
    {
        var shown = string.Join(", ", names.Take(12));
        return names.Count > 12 ? shown + ", ..." : shown;
    }

    /// <summary>Splits the text into rows of fields; each row carries the 1-based line where it starts.</summary>
    internal static async IAsyncEnumerable<(List<string> Fields, long Line)> ReadRowsAsync(LineReader lines,
        ReadContext context, char delimiter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var field = new StringBuilder();
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } first)
        {
            if (first.Length == 0 || (delimiter == ',' && string.IsNullOrWhiteSpace(first)))
            {
                continue;
            }

            var start = lines.LineNumber;
            var fields = new List<string>();
            var line = first;
            var i = 0;
            long rowChars = line.Length;
            while (true)
            {
                // At the start of a field.
                if (i < line.Length && line[i] == '"')
                {
                    i++;
                    field.Clear();
                    while (true)
                    {
                        var q = line.IndexOf('"', i);
                        if (q < 0)
                        {
                            field.Append(line, i, line.Length - i).Append('\n');
                            var next = await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                                ?? throw context.Error(start,
                                    "unterminated quoted field: the file ends inside a quoted field that starts on this line",
                                    "close the quote, or re-export the file if it was truncated");
                            rowChars += next.Length + 1;
                            if (rowChars > context.Options.MaxRecordChars)
                            {
                                throw context.Error(start, string.Create(CultureInfo.InvariantCulture,
                                        $"the row starting here is longer than the limit of {context.Options.MaxRecordChars:N0} characters"),
                                    "a quote is probably not closed; check the quoting or raise CorpusReadOptions.MaxRecordChars");
                            }

                            line = next;
                            i = 0;
                            continue;
                        }

                        field.Append(line, i, q - i);
                        if (q + 1 < line.Length && line[q + 1] == '"')
                        {
                            field.Append('"');
                            i = q + 2;
                            continue;
                        }

                        i = q + 1;
                        break;
                    }

                    fields.Add(field.ToString());
                    if (i < line.Length && line[i] != delimiter)
                    {
                        throw context.Error(lines.LineNumber,
                            $"unexpected character '{line[i]}' after the closing quote of field {fields.Count}",
                            "double any quote inside a quoted field (\"\"), or quote the whole field");
                    }
                }
                else
                {
                    var d = line.IndexOf(delimiter, i);
                    var end = d < 0 ? line.Length : d;
                    fields.Add(line[i..end]);
                    i = end;
                }

                if (i < line.Length)
                {
                    i++; // delimiter: another field follows (possibly empty at end of line)
                    if (i == line.Length)
                    {
                        fields.Add(string.Empty);
                        break;
                    }

                    continue;
                }

                break;
            }

            yield return (fields, start);
        }
    }
}
