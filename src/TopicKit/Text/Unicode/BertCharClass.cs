namespace TopicKit.Text.Unicode;

/// <summary>Character classes of the BERT normalizer / pre-tokenizer.</summary>
internal enum BertCharKind : byte
{
    /// <summary>Anything else.</summary>
    Other = 0,

    /// <summary>Cc, Cf or Co in Unicode 9.0 (removed by clean_text, except tab, CR and LF).</summary>
    Control = 1,

    /// <summary>Mn in Unicode 9.0 (removed by strip_accents after NFD).</summary>
    NonSpacingMark = 2,

    /// <summary>P* in Unicode 9.0 (isolated by the pre-tokenizer; ASCII symbols are added separately).</summary>
    Punctuation = 3,
}

/// <summary>
/// Reproduces the character predicates of Hugging Face's Rust <c>tokenizers</c> BERT normalizer and pre-tokenizer.
/// Their categories come from the <c>unicode_categories</c> crate, whose tables stop at Unicode 9.0: a character
/// assigned later (e.g. U+0890, U+1AC1 from Unicode 14) is neither control, mark nor punctuation there, and so here.
/// Whitespace follows Rust's <c>char::is_whitespace</c> (the White_Space property), which equals
/// <see cref="char.IsWhiteSpace(char)"/>.
/// </summary>
internal static class BertCharClass
{
    private static readonly BertCharKind[] Latin1 = BuildLatin1();

    /// <summary>The Unicode 9.0 class of <paramref name="cp"/>.</summary>
    public static BertCharKind Kind(int cp)
    {
        if (cp < 0x100)
        {
            return Latin1[cp];
        }

        return Search(cp);
    }

    /// <summary>Rust <c>char::is_whitespace</c>.</summary>
    public static bool IsWhitespace(int cp) => cp < 0x10000 && char.IsWhiteSpace((char)cp);

    /// <summary>The BERT pre-tokenizer's punctuation: ASCII punctuation (includes $ + &lt; = &gt; ^ ` | ~) or Unicode 9.0 P*.</summary>
    public static bool IsPunctuation(int cp) =>
        cp < 0x80 ? char.IsAsciiLetterOrDigit((char)cp) is false && cp is > 0x20 and < 0x7F : Kind(cp) == BertCharKind.Punctuation;

    /// <summary>The CJK ideograph blocks that <c>handle_chinese_chars</c> surrounds with spaces (Rust ranges).</summary>
    public static bool IsChinese(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B920 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    private static BertCharKind Search(int cp) => (BertCharKind)RangeTable.Find(UnicodeTables.BertClassRanges, cp);

    private static BertCharKind[] BuildLatin1()
    {
        var table = new BertCharKind[0x100];
        for (var cp = 0; cp < table.Length; cp++)
        {
            table[cp] = Search(cp);
        }

        return table;
    }
}
