using System.Globalization;

namespace TopicKit.Text;

/// <summary>
/// Splits text into lower-case word tokens of two or more word characters, the rule of scikit-learn's
/// default <c>token_pattern</c> (<c>\b\w\w+\b</c>), without regular expressions or per-token allocation.
/// </summary>
internal static class WordScanner
{
    /// <summary>Calls <paramref name="onWord"/> for every token; the span is only valid during the call.</summary>
    /// <param name="text">Input text.</param>
    /// <param name="buffer">Scratch space; words longer than it are skipped (they are never useful terms).</param>
    /// <param name="onWord">Receives each lower-cased token.</param>
    public static void Scan(ReadOnlySpan<char> text, Span<char> buffer, WordAction onWord)
    {
        ArgumentNullException.ThrowIfNull(onWord);
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && IsWordChar(text[i]))
            {
                i++;
            }

            var length = i - start;
            if (length >= 2 && length <= buffer.Length)
            {
                var word = buffer[..length];
                text.Slice(start, length).ToLowerInvariant(word);
                onWord(word);
            }
        }
    }

    /// <summary>Whether <paramref name="c"/> matches .NET's <c>\w</c> class (letters, marks, digits, connectors).</summary>
    public static bool IsWordChar(char c)
    {
        if (c < 128)
        {
            return char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.ConnectorPunctuation => true,
            _ => false,
        };
    }

    /// <summary>Receives one token.</summary>
    public delegate void WordAction(ReadOnlySpan<char> word);
}
