using System.Globalization;
using System.Net;
using System.Text;

namespace TopicKit.Notebooks;

/// <summary>
/// HTML for notebook cells (<c>display(HTML(...))</c>): tables and inline PNG figures. Every cell value is escaped,
/// because titles, keywords and ids come from the papers and are untrusted text.
/// </summary>
public static class NotebookHtml
{
    /// <summary>A table with a header row; numbers are printed with the invariant culture, fractions to 3 decimals.</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder("<table><thead><tr>");
        foreach (var h in header)
        {
            sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var value in row)
            {
                sb.Append("<td>").Append(WebUtility.HtmlEncode(Text(value))).Append("</td>");
            }

            sb.Append("</tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>A PNG as an <c>img</c> element with a data URI (an image cannot run script), shown <paramref name="width"/> pixels wide.</summary>
    public static string Image(byte[] png, int width = 800, string alt = "figure")
    {
        ArgumentNullException.ThrowIfNull(png);
        return $"<img width=\"{width.ToString(CultureInfo.InvariantCulture)}\" alt=\"{WebUtility.HtmlEncode(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"/>";
    }

    /// <summary>A PNG file (e.g. one of a report's figures) as an <c>img</c> element.</summary>
    public static string Image(string pngPath, int width = 800) =>
        Image(File.ReadAllBytes(pngPath), width, Path.GetFileNameWithoutExtension(pngPath));

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        double d => d.ToString("0.000", CultureInfo.InvariantCulture),
        float f => f.ToString("0.000", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
