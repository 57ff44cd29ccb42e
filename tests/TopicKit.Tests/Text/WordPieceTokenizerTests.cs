using System.Text;
using TopicKit.Text;

namespace TopicKit.Tests.Text;

/// <summary>Hand-made WordPiece cases: specials, the 100-character rule, truncation, invalid UTF-16, huge texts, threads.</summary>
public sealed class WordPieceTokenizerTests
{
    // Ids in the bert-base-uncased vocabulary used by all-MiniLM-L6-v2.
    private const int Cls = 101, Sep = 102, Unk = 100, A = 1037, Zhong = 1746;

    private static readonly string[] LoneSurrogateTexts = ["ab\uD800cd", "ab\uDC00cd", "abcd\uD800", "\uDC00abcd", "ab\uDC00\uD800cd"];

    private static WordPieceTokenizer Tokenizer => TokenizerOracles.MiniLm;

    [Fact]
    public void Contract_comes_from_the_model_folder()
    {
        Assert.Equal(256, Tokenizer.MaxLength);
        Assert.Equal(0, Tokenizer.PadId);
        Assert.Equal(Cls, Tokenizer.ClsId);
        Assert.Equal(Sep, Tokenizer.SepId);
        Assert.Equal(Unk, Tokenizer.UnknownId);
        Assert.Equal(30522, Tokenizer.VocabularySize);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\r\n ")]
    [InlineData("\u200b\u00ad\ufeff")]
    public void Empty_or_blank_text_is_cls_sep(string text)
    {
        Assert.Equal([Cls, Sep], Tokenizer.Encode(text));
        Assert.Equal(2, Tokenizer.CountTokens(text));
    }

    [Fact]
    public void Word_over_100_characters_is_one_unknown()
    {
        Assert.Equal([Cls, Unk, Sep], Tokenizer.Encode(new string('a', 101)));
        var hundred = Tokenizer.Encode(new string('a', 100));
        Assert.DoesNotContain(Unk, hundred);
        Assert.True(hundred.Length > 3);

        // The limit counts the normalised word: accents stripped do not count, punctuation splits the word.
        Assert.DoesNotContain(Unk, Tokenizer.Encode(string.Concat(Enumerable.Repeat("e\u0301", 100))));
        Assert.Equal([Cls, Unk, Sep], Tokenizer.Encode(string.Concat(Enumerable.Repeat("e\u0301", 101))));
        Assert.DoesNotContain(Unk, Tokenizer.Encode(new string('a', 60) + "-" + new string('a', 60)));
    }

    [Fact]
    public void Truncation_keeps_cls_first_pieces_and_sep()
    {
        // "a " is exactly one piece, so n repetitions give n + 2 ids.
        var fits = Repeat("a ", 254);
        Assert.Equal(256, Tokenizer.CountTokens(fits));
        Assert.Equal(Tokenizer.Encode(fits, truncate: false), Tokenizer.Encode(fits));

        var over = Repeat("a ", 255) + "b";
        var full = Tokenizer.Encode(over, truncate: false);
        Assert.Equal(258, full.Length);
        var truncated = Tokenizer.Encode(over);
        Assert.Equal(256, truncated.Length);
        Assert.Equal(Cls, truncated[0]);
        Assert.Equal(Sep, truncated[^1]);
        Assert.All(truncated[1..^1], id => Assert.Equal(A, id));
        Assert.Equal(full[..255], truncated[..255]);
    }

    [Fact]
    public void Span_encode_reports_a_too_short_destination()
    {
        var text = Repeat("a ", 10);
        var buffer = new int[11];
        var e = Assert.Throws<ArgumentException>(() => Tokenizer.Encode(text.AsSpan(), buffer));
        Assert.Contains("12", e.Message, StringComparison.Ordinal);

        buffer = new int[12];
        Assert.Equal(12, Tokenizer.Encode(text.AsSpan(), buffer));
        Assert.Equal(Tokenizer.Encode(text), buffer);
    }

    // Indices into LoneSurrogateTexts: xUnit cannot tell strings with lone surrogates apart in test case ids.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Lone_surrogates_read_as_replacement_character(int index)
    {
        var text = LoneSurrogateTexts[index];
        // U+FFFD is then removed by clean_text, exactly like a literal U+FFFD.
        var expected = Tokenizer.Encode(text.Replace('\uD800', '\uFFFD').Replace('\uDC00', '\uFFFD'));
        Assert.Equal(expected, Tokenizer.Encode(text));
        Assert.Equal(Tokenizer.Encode("abcd"), Tokenizer.Encode(text));
    }

    [Fact]
    public void One_megabyte_of_text_is_linear_and_exact()
    {
        const string unit = "The quick brown fox jumps over the lazy dog. ";
        var unitPieces = Tokenizer.CountTokens(unit) - 2;
        Assert.Equal(10, unitPieces);
        var copies = (1 << 20) / unit.Length + 1;
        var big = Repeat(unit, copies);

        Assert.Equal((copies * unitPieces) + 2, Tokenizer.CountTokens(big));
        var full = Tokenizer.Encode(big, truncate: false);
        Assert.Equal((copies * unitPieces) + 2, full.Length);
        Assert.Equal(Tokenizer.Encode(Repeat(unit, 30)), Tokenizer.Encode(big));
    }

    [Fact]
    public void One_megabyte_without_spaces_takes_the_unicode_path()
    {
        // Every ideograph becomes its own word; one long run of letters is a single unknown.
        var cjk = new string('\u4E2D', 1 << 19);
        Assert.Equal((1 << 19) + 2, Tokenizer.CountTokens(cjk));
        var truncated = Tokenizer.Encode(cjk);
        Assert.Equal(256, truncated.Length);
        Assert.All(truncated[1..^1], id => Assert.Equal(Zhong, id));

        Assert.Equal([Cls, Unk, Sep], Tokenizer.Encode(new string('x', 1 << 20)));
    }

    [Fact]
    public void Concurrent_use_gives_the_sequential_results()
    {
        var texts = TokenizerOracles.Texts.Values.ToArray();
        var sequential = texts.Select(t => Tokenizer.Encode(t, truncate: false)).ToArray();
        var parallel = new int[texts.Length][];
        Parallel.For(0, texts.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var ids = Tokenizer.Encode(texts[i % texts.Length], truncate: false);
            parallel[i % texts.Length] = ids;
        });
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }

    [Fact]
    public void Options_without_lowercase_keep_case_and_accents()
    {
        var vocabulary = new Dictionary<string, int>
        {
            ["[PAD]"] = 0, ["[UNK]"] = 1, ["[CLS]"] = 2, ["[SEP]"] = 3, ["Caf"] = 4, ["##é"] = 5, ["caf"] = 6, ["##e"] = 7, ["!"] = 8,
        };
        var cased = new WordPieceTokenizer(vocabulary, new WordPieceOptions { Lowercase = false, AddedTokens = [] });
        Assert.Equal([2, 4, 5, 8, 3], cased.Encode("Café!"));
        var uncased = new WordPieceTokenizer(vocabulary, new WordPieceOptions { AddedTokens = [] });
        Assert.Equal([2, 6, 7, 8, 3], uncased.Encode("Café!"));
    }

    private static string Repeat(string unit, int count) => new StringBuilder(unit.Length * count).Insert(0, unit, count).ToString();
}
