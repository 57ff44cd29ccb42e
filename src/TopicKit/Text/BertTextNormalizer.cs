using System.Text;
using TopicKit.Text.Unicode;

namespace TopicKit.Text;

/// <summary>
/// The BERT normalizer of Hugging Face's Rust <c>tokenizers</c> (<c>BertNormalizer</c>), applied in its order:
/// clean text (drop U+0000, U+FFFD and Unicode 9.0 Cc/Cf/Co except tab/CR/LF; map White_Space to U+0020),
/// space out CJK ideographs, strip accents (NFD, then drop Unicode 9.0 Mn), lower-case per code point
/// (Rust <c>char::to_lowercase</c>: simple mappings plus U+0130 -> "i" U+0307; no final-sigma rule).
/// Unpaired surrogates are read as U+FFFD, which clean text then removes.
/// </summary>
internal sealed class BertTextNormalizer
{
    private readonly bool _cleanText;
    private readonly bool _handleChineseChars;
    private readonly bool _stripAccents;
    private readonly bool _lowercase;

    public BertTextNormalizer(bool cleanText, bool handleChineseChars, bool stripAccents, bool lowercase)
    {
        _cleanText = cleanText;
        _handleChineseChars = handleChineseChars;
        _stripAccents = stripAccents;
        _lowercase = lowercase;
    }

    /// <summary>Appends the normalized form of <paramref name="text"/> (UTF-16) to <paramref name="output"/>.</summary>
    public void Normalize(ReadOnlySpan<char> text, ref ValueBuffer<char> output)
    {
        if (!text.ContainsAnyInRange('\u0080', char.MaxValue))
        {
            NormalizeAscii(text, ref output);
            return;
        }

        var stage1 = new ValueBuffer<int>(text.Length + 8);
        var stage2 = new ValueBuffer<int>(text.Length + 8);
        try
        {
            UnicodeNormalizer.DecodeUtf16(text, ref stage2);
            foreach (var cp in stage2.Span)
            {
                var c = cp;
                if (_cleanText)
                {
                    if (c == 0 || c == 0xFFFD || (c is not ('\t' or '\n' or '\r') && BertCharClass.Kind(c) == BertCharKind.Control))
                    {
                        continue;
                    }

                    if (BertCharClass.IsWhitespace(c))
                    {
                        c = ' ';
                    }
                }

                if (_handleChineseChars && BertCharClass.IsChinese(c))
                {
                    stage1.Add(' ');
                    stage1.Add(c);
                    stage1.Add(' ');
                }
                else
                {
                    stage1.Add(c);
                }
            }

            var current = stage1.Span;
            if (_stripAccents)
            {
                stage2.Clear();
                UnicodeNormalizer.Decompose(stage1.Span, compatibility: false, ref stage2);
                var kept = 0;
                var decomposed = stage2.Span;
                foreach (var cp in decomposed)
                {
                    if (BertCharClass.Kind(cp) != BertCharKind.NonSpacingMark)
                    {
                        decomposed[kept++] = cp;
                    }
                }

                current = decomposed[..kept];
            }

            foreach (var cp in current)
            {
                if (!_lowercase)
                {
                    UnicodeNormalizer.AppendUtf16(cp, ref output);
                }
                else if (cp == 0x130)
                {
                    // The only unconditional multi-character lowercase mapping in SpecialCasing.txt.
                    output.Add('i');
                    output.Add('\u0307');
                }
                else if (cp < 0x10000)
                {
                    output.Add(char.ToLowerInvariant((char)cp));
                }
                else
                {
                    UnicodeNormalizer.AppendUtf16(Rune.ToLowerInvariant(new Rune(cp)).Value, ref output);
                }
            }
        }
        finally
        {
            stage1.Dispose();
            stage2.Dispose();
        }
    }

    private void NormalizeAscii(ReadOnlySpan<char> text, ref ValueBuffer<char> output)
    {
        foreach (var ch in text)
        {
            var c = ch;
            if (_cleanText)
            {
                if (c < ' ' || c == '\u007F')
                {
                    // Tab, CR and LF become spaces; every other ASCII control (VT and FF included) is Cc and removed.
                    if (c is not ('\t' or '\n' or '\r'))
                    {
                        continue;
                    }

                    c = ' ';
                }
            }

            if (_lowercase && char.IsAsciiLetterUpper(c))
            {
                c = (char)(c | 0x20);
            }

            output.Add(c);
        }
    }
}
