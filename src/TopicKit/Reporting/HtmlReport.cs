using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TopicKit.Reporting;

/// <summary>
/// Builds the self-contained index.html: template, CSS and script from embedded resources, the data as one JSON
/// block. Coordinates, topic ids, dates and neighbours travel as base64 typed arrays; the texts as one deflated blob
/// the page inflates with the browser's DecompressionStream. Nothing is fetched: it opens from file://.
/// </summary>
internal static class HtmlReport
{
    private const char FieldSeparator = '\u001f';
    private const char RecordSeparator = '\u001e';
    private const int NoDate = int.MinValue;

    private static readonly JsonSerializerOptions Json = new()
    {
        // Relaxed keeps non-ASCII text compact; Escape() below then removes everything that could end the script
        // element or break a JavaScript parser.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Build(ReportModel model, ReportOptions options, IReadOnlyList<Figure> figures, CancellationToken cancellationToken)
    {
        var html = BuildOnce(model, options, figures, cancellationToken);
        // Abstracts dominate the size of a big corpus; shorten them, never drop documents, to meet the budget.
        var cap = options.MaxAbstractChars;
        while (Encoding.UTF8.GetByteCount(html) > options.MaxHtmlBytes && cap > 200)
        {
            cap = Math.Max(200, cap / 2);
            html = BuildOnce(model, options with { MaxAbstractChars = cap }, figures, cancellationToken);
        }

        return html;
    }

    private static string BuildOnce(ReportModel model, ReportOptions options, IReadOnlyList<Figure> figures, CancellationToken cancellationToken)
    {
        var payload = Payload(model, options);
        cancellationToken.ThrowIfCancellationRequested();
        var json = EscapeForScript(JsonSerializer.Serialize(payload, Json));
        var docs = model.Data.Documents;
        var summary = $"{docs.Count:N0} documents · {model.Data.Topics.Count} topics · " +
            $"{model.TopicIndex.Count(t => t < 0):N0} outliers · {model.Data.DuplicateGroups.Count} near-duplicate groups";
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TITLE"] = WebUtility.HtmlEncode(model.Data.Title),
            ["SUMMARY"] = WebUtility.HtmlEncode(summary),
            ["STYLE"] = Resource("report.css"),
            ["SCRIPT"] = Resource("report.js"),
            ["FIGURES"] = FigureMarkup(figures),
            ["DATA"] = json,
        };
        return Fill(Resource("report.html"), values);
    }

    /// <summary>
    /// JSON made safe inside a script element: no &lt;, &gt; or &amp; (so no <c>&lt;/script&gt;</c> or
    /// <c>&lt;!--</c>), and no U+2028/U+2029, which older JavaScript parsers treat as line ends. Outside strings JSON has
    /// none of these characters, so replacing them everywhere only touches string contents.
    /// </summary>
    internal static string EscapeForScript(string json) =>
        json.Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal)
            .Replace("&", "\\u0026", StringComparison.Ordinal)
            .Replace("\u2028", "\\u2028", StringComparison.Ordinal)
            .Replace("\u2029", "\\u2029", StringComparison.Ordinal);

    private static Dictionary<string, object?> Payload(ReportModel model, ReportOptions options)
    {
        var docs = model.Data.Documents;
        var n = docs.Count;
        var x = new float[n];
        var y = new float[n];
        var dayNumbers = new int[n];
        var epoch = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        for (var i = 0; i < n; i++)
        {
            x[i] = (float)docs[i].X;
            y[i] = (float)docs[i].Y;
            dayNumbers[i] = docs[i].Date is { } date ? date.DayNumber - epoch : NoDate;
        }

        var rank = new int[model.Data.Topics.Count];
        for (var r = 0; r < model.BySize.Length; r++)
        {
            rank[model.BySize[r]] = r;
        }

        var topics = model.Data.Topics.Select((t, i) => new Dictionary<string, object>
        {
            ["id"] = t.Id,
            ["label"] = ReportModel.ShortLabel(t.Label, 80),
            ["size"] = t.Size,
            ["color"] = model.Colors[i],
            ["rank"] = rank[i],
            ["keywords"] = t.Keywords.Take(10).Select(k => k.Word).ToArray(),
        }).ToArray();

        var payload = new Dictionary<string, object?>
        {
            ["n"] = n,
            ["x"] = Base64(x),
            ["y"] = Base64(y),
            ["topic"] = Base64(model.TopicIndex),
            ["days"] = model.HasDates ? Base64(dayNumbers) : null,
            ["texts"] = Convert.ToBase64String(Deflate(TextBlob(model, options))),
            ["topics"] = topics,
            ["levels"] = LabelLevels.Build(model, options),
            ["outlierColor"] = Palette.Outlier,
            ["dups"] = model.Data.DuplicateGroups.Select(g => new Dictionary<string, object>
            {
                ["canonical"] = g.Canonical,
                ["ids"] = g.Ids,
                ["pairs"] = g.Pairs.Select(p => new object[] { p.A, p.B, Math.Round(p.Semantic, 4), Math.Round(p.Lexical, 4) }).ToArray(),
            }).ToArray(),
            ["k"] = options.NeighborCount,
            ["neighbors"] = model.Data.Neighbors is { } nb ? Base64(NeighborTable(nb, options.NeighborCount)) : null,
        };
        return payload;
    }

    private static int[] NeighborTable(IReadOnlyList<IReadOnlyList<int>> neighbors, int k)
    {
        var table = new int[neighbors.Count * k];
        Array.Fill(table, -1);
        for (var i = 0; i < neighbors.Count; i++)
        {
            var row = neighbors[i] ?? [];
            for (var j = 0; j < Math.Min(k, row.Count); j++)
            {
                table[(i * k) + j] = row[j];
            }
        }

        return table;
    }

    /// <summary>"id␟date␟title␟authors␟abstract␞" per document; separators inside the texts become spaces.</summary>
    private static string TextBlob(ReportModel model, ReportOptions options)
    {
        var sb = new StringBuilder();
        foreach (var d in model.Data.Documents)
        {
            Field(sb, d.Id).Append(FieldSeparator);
            Field(sb, d.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty).Append(FieldSeparator);
            Field(sb, d.Title ?? string.Empty).Append(FieldSeparator);
            Field(sb, string.Join("; ", d.Authors ?? [])).Append(FieldSeparator);
            var text = d.Abstract ?? string.Empty;
            if (text.Length > options.MaxAbstractChars)
            {
                text = string.Concat(text.AsSpan(0, options.MaxAbstractChars), "…");
            }

            Field(sb, text).Append(RecordSeparator);
        }

        return sb.ToString();
    }

    private static StringBuilder Field(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            sb.Append(c is FieldSeparator or RecordSeparator ? ' ' : c);
        }

        return sb;
    }

    private static byte[] Deflate(string text)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Lone surrogates become U+FFFD here, as they would in any UTF-8 file.
            deflate.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static string Base64<T>(T[] values)
        where T : struct => Convert.ToBase64String(MemoryMarshal.AsBytes(values.AsSpan()));

    private static string FigureMarkup(IReadOnlyList<Figure> figures)
    {
        var sb = new StringBuilder();
        foreach (var f in figures)
        {
            // The topic map's SVG holds one element per document; its PNG is far smaller and the canvas above is
            // the interactive version anyway. An <img> never runs script, whatever text the SVG carries.
            var src = f.Name == TopicMapFigure.Name
                ? "data:image/png;base64," + Convert.ToBase64String(f.Png)
                : "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(f.Svg));
            var caption = WebUtility.HtmlEncode(f.Caption);
            sb.Append(CultureInfo.InvariantCulture,
                $"<figure id=\"fig-{f.Name}\"><img src=\"{src}\" width=\"{f.Width}\" height=\"{f.Height}\" alt=\"{caption}\"><figcaption>{caption} (<code>{f.Name}.svg</code>, <code>{f.Name}.png</code>)</figcaption></figure>\n");
        }

        return sb.ToString();
    }

    /// <summary>Substitutes <c>{{NAME}}</c> markers of the trusted template in one pass, so a value is never re-scanned.</summary>
    private static string Fill(string template, Dictionary<string, string> values)
    {
        var sb = new StringBuilder(template.Length + values.Values.Sum(v => v.Length));
        var pos = 0;
        while (true)
        {
            var open = template.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            var close = template.IndexOf("}}", open, StringComparison.Ordinal);
            var name = template[(open + 2)..close];
            sb.Append(template, pos, open - pos).Append(values[name]);
            pos = close + 2;
        }

        return sb.Append(template, pos, template.Length - pos).ToString();
    }

    private static string Resource(string name)
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("TopicKit.Reporting." + name)
            ?? throw new InvalidOperationException($"Embedded report asset {name} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
