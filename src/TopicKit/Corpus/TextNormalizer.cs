using System.Text;

namespace TopicKit.Corpus;

/// <summary>
/// Text clean-up applied to every title, abstract, author and category read from a corpus.
/// </summary>
/// <remarks>
/// <para><see cref="Normalize(string?, bool)"/> does, in order: LaTeX to readable text (optional), removal of control and
/// zero-width characters, Unicode NFC (a managed implementation: with InvariantGlobalization,
/// <see cref="string.Normalize()"/> would leave non-ASCII text unchanged), and collapsing every whitespace run (including line breaks, so line-wrapped
/// titles are joined) to one space, trimmed at both ends.</para>
/// <para>LaTeX choice: markup is turned into the text a reader would see. Font and text commands keep their
/// argument (<c>\textbf{x}</c> → <c>x</c>); accents become Unicode (<c>{\"o}</c> → <c>ö</c>, <c>\c{c}</c> → <c>ç</c>,
/// <c>{\ss}</c> → <c>ß</c>); escaped specials become the character (<c>\%</c> → <c>%</c>); protective braces are
/// removed. Inline math (<c>$...$</c>, <c>\(...\)</c>, <c>\[...\]</c>) loses its delimiters and keeps its content,
/// with Greek letters and common symbols as Unicode (<c>$\alpha \leq \infty$</c> → <c>α ≤ ∞</c>), <c>\frac{a}{b}</c>
/// → <c>a/b</c>, <c>\sqrt{x}</c> → <c>√x</c>, and sub/superscripts kept as <c>_</c>/<c>^</c>
/// (<c>$n^{2}$</c> → <c>n^2</c>). Unknown commands keep their name without the backslash, so nothing is lost.
/// A lone <c>$</c> with no closing partner is kept as a dollar sign.</para>
/// </remarks>
public static class TextNormalizer
{
    /// <summary>Normalises one text field; <see langword="null"/> or blank input gives an empty string.</summary>
    /// <param name="text">Raw text.</param>
    /// <param name="convertLatex">Whether to convert LaTeX markup (see remarks).</param>
    public static string Normalize(string? text, bool convertLatex = true)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var s = convertLatex && LatexText.LooksLikeLatex(text) ? LatexText.ToUnicode(text) : text;
        s = StripInvisible(s);
        s = UnicodeNfc.Normalize(s);
        return CollapseWhitespace(s);
    }

    /// <summary>Unicode NFC of <paramref name="text"/>, independent of ICU and InvariantGlobalization.</summary>
    public static string ToNfc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UnicodeNfc.Normalize(text);
    }

    /// <summary>
    /// The comparison form used for exact-duplicate keys: <see cref="Normalize(string?, bool)"/> without LaTeX
    /// conversion (the text is assumed normalised already), then lower-cased with invariant culture.
    /// </summary>
    public static string FoldForKey(string? text) => Normalize(text, convertLatex: false).ToLowerInvariant();

    /// <summary>Collapses every whitespace run to a single space and trims both ends.</summary>
    public static string CollapseWhitespace(string text)
    {
        var span = text.AsSpan().Trim();
        var needsWork = false;
        for (var i = 0; i < span.Length; i++)
        {
            if (char.IsWhiteSpace(span[i]) && (span[i] != ' ' || (i + 1 < span.Length && char.IsWhiteSpace(span[i + 1]))))
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return span.Length == text.Length ? text : span.ToString();
        }

        var sb = new StringBuilder(span.Length);
        var pendingSpace = false;
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string StripInvisible(string text)
    {
        var keep = true;
        foreach (var c in text)
        {
            if (IsInvisible(c))
            {
                keep = false;
                break;
            }
        }

        if (keep)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsInvisible(c))
            {
                sb.Append(c);
            }
            else if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                // Control characters such as tabs or vertical tabs separate words: keep a break.
                sb.Append(' ');
            }
        }

        return sb.ToString();
    }

    private static bool IsInvisible(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD'
        || (char.IsControl(c) && c != ' ');
}
