using System.Buffers;
using System.Text;
using TopicKit.Text.Unicode;

namespace TopicKit.Corpus;

/// <summary>
/// Text clean-up applied to every title, abstract, author and category read from a corpus.
/// </summary>
/// <remarks>
/// <para><see cref="Normalize(string?, bool)"/> does, in order: LaTeX to readable text (optional); removal of
/// zero-width characters, soft hyphens and non-whitespace control characters; collapsing every whitespace run
/// (including line breaks and tabs, so line-wrapped titles are joined) to one space, trimmed at both ends; and
/// Unicode NFC (the managed TopicKit.Text.Unicode normaliser: with InvariantGlobalization,
/// <see cref="string.Normalize()"/> would leave non-ASCII text unchanged).</para>
/// <para>LaTeX choice: markup is turned into the text a reader would see. Font and text commands keep their
/// argument (<c>\textbf{x}</c> → <c>x</c>); accents become Unicode (<c>{\"o}</c> → <c>ö</c>, <c>\c{c}</c> → <c>ç</c>,
/// <c>{\ss}</c> → <c>ß</c>); escaped specials become the character (<c>\%</c> → <c>%</c>); protective braces are
/// removed. Inline math (<c>$...$</c>, <c>\(...\)</c>, <c>\[...\]</c>) loses its delimiters and keeps its content,
/// with Greek letters and common symbols as Unicode (<c>$\alpha \leq \infty$</c> → <c>α ≤ ∞</c>), <c>\frac{a}{b}</c>
/// → <c>a/b</c>, <c>\sqrt{x}</c> → <c>√x</c>, and sub/superscripts kept as <c>_</c>/<c>^</c>
/// (<c>$n^{2}$</c> → <c>n^2</c>). Unknown commands keep their name without the backslash, so nothing is lost.
/// A lone <c>$</c> with no closing partner is kept as a dollar sign.</para>
/// </remarks>
internal static class TextNormalizer
{
    // Everything the clean-up pass must look at: whitespace other than ' ', control and invisible characters.
    private static readonly SearchValues<char> Special = SearchValues.Create(BuildSpecial());

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
        return UnicodeNormalizer.ToNfc(CollapseWhitespace(s));
    }

    /// <summary>Unicode NFC of <paramref name="text"/>, independent of ICU and InvariantGlobalization.</summary>
    public static string ToNfc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UnicodeNormalizer.ToNfc(text);
    }

    /// <summary>Unicode NFD (canonical decomposition) of <paramref name="text"/>, independent of ICU and InvariantGlobalization.</summary>
    public static string ToNfd(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UnicodeNormalizer.ToNfd(text);
    }

    /// <summary>
    /// The comparison form used for exact-duplicate keys: <see cref="Normalize(string?, bool)"/> without LaTeX
    /// conversion (the text is assumed normalised already), then lower-cased with invariant culture.
    /// </summary>
    public static string FoldForKey(string? text) => Normalize(text, convertLatex: false).ToLowerInvariant();

    /// <summary>
    /// Collapses every whitespace run to a single space, trims both ends, and drops zero-width characters, soft
    /// hyphens and control characters that are not whitespace. Returns the same instance when nothing changes.
    /// </summary>
    public static string CollapseWhitespace(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan();
        if (span.Length == 0
            || (span.IndexOfAny(Special) < 0 && span[0] != ' ' && span[^1] != ' ' && !span.Contains("  ", StringComparison.Ordinal)))
        {
            return text;
        }

        var sb = new StringBuilder(span.Length);
        var pendingSpace = false;
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (IsInvisible(c))
            {
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

    private static bool IsInvisible(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' || char.IsControl(c);

    private static char[] BuildSpecial()
    {
        var list = new List<char>();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            var ch = (char)c;
            if (ch != ' ' && (char.IsWhiteSpace(ch) || IsInvisible(ch)))
            {
                list.Add(ch);
            }
        }

        return [.. list];
    }
}
