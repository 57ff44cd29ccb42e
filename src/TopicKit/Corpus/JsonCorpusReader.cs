using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TopicKit.Corpus;

/// <summary>
/// JSON Lines, concatenated JSON objects, or one JSON array of objects. Objects are cut out of the text stream
/// one at a time (string- and escape-aware brace counting), so arrays of any size stream in constant memory.
/// Field names are matched case-insensitively:
/// id (<c>id</c>, <c>arxiv_id</c>, <c>paper_id</c>), title (<c>title</c>, <c>titles</c>), abstract (<c>abstract</c>,
/// <c>summary</c>, <c>summaries</c>, <c>text</c>), authors (<c>authors</c>, <c>author</c>: a string "A, B and C",
/// an array of strings or of objects with <c>name</c>; else arXiv <c>authors_parsed</c>), categories
/// (<c>categories</c>, <c>category</c>, <c>terms</c>, <c>tags</c>, <c>keywords</c>: space-separated string or
/// array), date (<c>date</c>, <c>published</c>, <c>publishedAt</c>, <c>update_date</c>, <c>updated</c>,
/// <c>created</c>, <c>year</c>). An object whose fields are wrapped in a <c>paper</c> object (Hugging Face API) is
/// unwrapped.
/// </summary>
internal static partial class JsonCorpusReader
{
    private static readonly string[] IdNames = ["id", "arxiv_id", "paper_id"];
    private static readonly string[] TitleNames = ["title", "titles"];
    private static readonly string[] AbstractNames = ["abstract", "summary", "summaries", "text"];
    private static readonly string[] AuthorNames = ["authors", "author"];
    private static readonly string[] CategoryNames = ["categories", "category", "terms", "tags", "keywords"];
    private static readonly string[] DateNames = ["date", "published", "publishedat", "published_at", "update_date", "updated", "created", "year"];

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64, AllowTrailingCommas = true };

    public static async IAsyncEnumerable<RecordDraft> ReadAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (text, line) in SplitAsync(lines, context, cancellationToken).ConfigureAwait(false))
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text, ParseOptions);
            }
            catch (JsonException ex)
            {
                var at = line + (ex.LineNumber ?? 0);
                throw context.Error(at, "invalid JSON: " + FirstSentence(ex.Message),
                    "fix the JSON syntax (one object per line for JSON Lines, or a single array of objects)", ex);
            }

            RecordDraft draft;
            using (doc)
            {
                try
                {
                    draft = ToDraft(doc.RootElement, line, context);
                }
                catch (InvalidOperationException ex)
                {
                    // System.Text.Json validates escapes only when a string is decoded: a lone surrogate escape
                    // (\ud800 without its pair) parses but cannot be turned into a .NET string.
                    throw context.Error(line + LoneSurrogateLineOffset(text),
                        "a JSON string holds a lone UTF-16 surrogate escape (such as \\ud800 without its low half), which is not text",
                        "remove the escape or write the complete surrogate pair", ex);
                }
            }

            yield return draft;
        }
    }

    private static RecordDraft ToDraft(JsonElement root, long line, ReadContext context)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw context.Error(line, $"a JSON {root.ValueKind.ToString().ToLowerInvariant()} where a paper object was expected",
                "make every record a JSON object with at least an \"abstract\" field");
        }

        var fields = Fields(root);
        if (!HasAny(fields, TitleNames) && !HasAny(fields, AbstractNames)
            && fields.TryGetValue("paper", out var paper) && paper.ValueKind == JsonValueKind.Object)
        {
            fields = Fields(paper);
        }

        if (!HasAny(fields, AbstractNames))
        {
            throw context.Error(line, "the JSON object has no abstract field (looked for " + string.Join('/', AbstractNames) + ")",
                "add an \"abstract\" field to every record");
        }

        var authors = Authors(Get(fields, AuthorNames));
        if (authors.Length == 0 && fields.TryGetValue("authors_parsed", out var parsed))
        {
            authors = ParsedAuthors(parsed);
        }

        return new RecordDraft
        {
            Id = Scalar(Get(fields, IdNames)),
            Title = TextField(fields, TitleNames, line, context),
            Abstract = TextField(fields, AbstractNames, line, context),
            Authors = authors,
            Categories = Categories(Get(fields, CategoryNames)),
            Date = FieldParsing.ParseDate(Scalar(Get(fields, DateNames)), context.Options.YearForDatesWithoutYear),
            Line = line,
        };
    }

    private static Dictionary<string, JsonElement> Fields(JsonElement obj)
    {
        var d = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in obj.EnumerateObject())
        {
            d.TryAdd(p.Name, p.Value);
        }

        return d;
    }

    private static bool HasAny(Dictionary<string, JsonElement> fields, string[] names) => names.Any(fields.ContainsKey);

    private static JsonElement? Get(Dictionary<string, JsonElement> fields, string[] names)
    {
        foreach (var n in names)
        {
            if (fields.TryGetValue(n, out var v) && v.ValueKind != JsonValueKind.Null)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>
    /// The title or abstract: the first of <paramref name="names"/> present. Null, an object, or an array holding
    /// objects is an error rather than an empty text, so a mis-shaped export cannot slip in as blank records.
    /// </summary>
    private static string? TextField(Dictionary<string, JsonElement> fields, string[] names, long line, ReadContext context)
    {
        foreach (var name in names)
        {
            if (!fields.TryGetValue(name, out var value))
            {
                continue;
            }

            var shape = value.ValueKind switch
            {
                JsonValueKind.Null => "null",
                JsonValueKind.Object => "an object",
                JsonValueKind.Array when value.EnumerateArray().Any(x => x.ValueKind is JsonValueKind.Object or JsonValueKind.Null) =>
                    "an array holding objects or nulls",
                _ => null,
            };
            if (shape is not null)
            {
                throw context.Error(line, $"the \"{name}\" field is {shape}, not text",
                    $"give \"{name}\" a string value, or leave the field out when the record has none");
            }

            return Scalar(value);
        }

        return null;
    }

    // Line offset, within one record's text, of its first \uD800-\uDBFF escape not followed by a low-surrogate escape
    // (or of a lone low surrogate); 0 when not found.
    private static long LoneSurrogateLineOffset(string text)
    {
        var match = LoneSurrogate().Match(text);
        return match.Success ? text.AsSpan(0, match.Index).Count('\n') : 0;
    }

    [GeneratedRegex(@"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial Regex LoneSurrogate();

    private static string? Scalar(JsonElement? e) => e?.ValueKind switch
    {
        JsonValueKind.String => e.Value.GetString(),
        JsonValueKind.Number => e.Value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => e.Value.GetRawText(),
        JsonValueKind.Array => string.Join(' ', e.Value.EnumerateArray().Select(x => Scalar(x) ?? string.Empty)),
        _ => null,
    };

    private static string[] Authors(JsonElement? e)
    {
        switch (e?.ValueKind)
        {
            case JsonValueKind.String:
                return FieldParsing.SplitAuthors(e.Value.GetString());
            case JsonValueKind.Array:
                var names = new List<string>();
                foreach (var a in e.Value.EnumerateArray())
                {
                    if (a.ValueKind == JsonValueKind.String)
                    {
                        names.Add(a.GetString()!);
                    }
                    else if (a.ValueKind == JsonValueKind.Object)
                    {
                        var f = Fields(a);
                        if (Scalar(Get(f, ["name", "fullname", "full_name"])) is { } name)
                        {
                            names.Add(name);
                        }
                        else
                        {
                            var given = Scalar(Get(f, ["given", "first", "firstname", "first_name"]));
                            var family = Scalar(Get(f, ["family", "last", "lastname", "last_name"]));
                            var joined = $"{given} {family}".Trim();
                            if (joined.Length > 0)
                            {
                                names.Add(joined);
                            }
                        }
                    }
                    else if (a.ValueKind == JsonValueKind.Array)
                    {
                        names.Add(ParsedName(a));
                    }
                }

                return [.. names];
            default:
                return [];
        }
    }

    // arXiv authors_parsed: [["Last", "First", "Suffix"], ...]
    private static string[] ParsedAuthors(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array
            ? [.. e.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Array).Select(ParsedName).Where(n => n.Length > 0)]
            : [];

    private static string ParsedName(JsonElement parts)
    {
        var p = parts.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()!.Trim() : string.Empty).ToArray();
        if (p.Length == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        if (p.Length > 1 && p[1].Length > 0)
        {
            sb.Append(p[1]).Append(' ');
        }

        sb.Append(p[0]);
        if (p.Length > 2 && p[2].Length > 0)
        {
            sb.Append(' ').Append(p[2]);
        }

        return sb.ToString();
    }

    private static string[] Categories(JsonElement? e) => e?.ValueKind switch
    {
        JsonValueKind.String => FieldParsing.SplitCategories(e.Value.GetString()),
        JsonValueKind.Array => [.. e.Value.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Object
                ? Scalar(Get(Fields(x), ["term", "name", "id"])) ?? string.Empty
                : Scalar(x) ?? string.Empty).Where(x => x.Length > 0).Distinct(StringComparer.Ordinal)],
        _ => [],
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim().TrimEnd('.');
    }

    /// <summary>
    /// Cuts top-level JSON values out of the line stream: the elements of a top-level array, or a sequence of
    /// objects (JSON Lines). Yields each value's text and its 1-based start line.
    /// </summary>
    internal static async IAsyncEnumerable<(string Text, long Line)> SplitAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var depth = 0;            // nesting inside the current value
        var inString = false;
        var escaped = false;
        long valueStart = 0;
        bool? arrayMode = null;   // decided by the first non-blank character
        var arrayClosed = false;
        long arrayLine = 0;
        var expectSeparator = false;
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var lineNo = lines.LineNumber;
            var valueBegin = depth > 0 ? 0 : -1;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (depth > 0)
                {
                    if (inString)
                    {
                        if (escaped)
                        {
                            escaped = false;
                        }
                        else if (c == '\\')
                        {
                            escaped = true;
                        }
                        else if (c == '"')
                        {
                            inString = false;
                        }

                        continue;
                    }

                    switch (c)
                    {
                        case '"':
                            inString = true;
                            break;
                        case '{' or '[':
                            depth++;
                            break;
                        case '}' or ']':
                            depth--;
                            if (depth == 0)
                            {
                                sb.Append(line, valueBegin, i + 1 - valueBegin);
                                yield return (sb.ToString(), valueStart);
                                sb.Clear();
                                valueBegin = -1;
                                expectSeparator = true;
                            }

                            break;
                    }

                    continue;
                }

                if (char.IsWhiteSpace(c) || c == '\uFEFF')
                {
                    continue;
                }

                if (arrayMode is null)
                {
                    arrayMode = c == '[';
                    if (c == '[')
                    {
                        arrayLine = lineNo;
                        continue;
                    }
                }

                if (arrayClosed)
                {
                    throw context.Error(lineNo, $"unexpected '{c}' after the end of the top-level JSON array",
                        "put all records inside one array, or use JSON Lines (one object per line)", withRecord: false);
                }

                if (arrayMode == true && c == ']')
                {
                    arrayClosed = true;
                    continue;
                }

                if (c == ',' && (arrayMode == true ? expectSeparator : true))
                {
                    expectSeparator = false;
                    continue;
                }

                if (c == '{')
                {
                    depth = 1;
                    valueBegin = i;
                    valueStart = lineNo;
                    expectSeparator = false;
                    continue;
                }

                throw context.Error(lineNo, $"unexpected '{c}' where a JSON object was expected",
                    "make every record a JSON object (JSON Lines, or one array of objects)");
            }

            if (depth > 0)
            {
                sb.Append(line, valueBegin, line.Length - valueBegin).Append('\n');
                if (sb.Length > context.Options.MaxRecordChars)
                {
                    throw context.Error(valueStart, string.Create(CultureInfo.InvariantCulture,
                            $"the JSON object starting here is longer than the limit of {context.Options.MaxRecordChars:N0} characters"),
                        "check that every brace and quote is closed, or raise CorpusReadOptions.MaxRecordChars");
                }
            }
        }

        if (depth > 0)
        {
            throw context.Error(valueStart, "unterminated JSON: the object starting on this line is not closed before the end of the file",
                "the file is probably truncated; re-export it completely");
        }

        if (arrayMode == true && !arrayClosed)
        {
            throw context.Error(arrayLine, "unterminated JSON: the top-level array opened on this line is never closed with ']'",
                "the file is probably truncated; re-export it completely", withRecord: false);
        }
    }
}
