using System.Text;
using TopicKit.Text;

namespace TopicKit.Tests.Text;

/// <summary>Hand-made SentencePiece cases: empty text, invalid UTF-16, truncation, a 1 MB text.</summary>
public sealed class SentencePieceTokenizerTests
{
    // "Hello world." from the TOKENIZER.md examples; 30 is the lone "▁" piece.
    private static readonly int[] HelloWorld = [341, 4125, 311, 6];
    private const int SpacePiece = 30;
    private static readonly string[] LoneSurrogateTexts = ["a\uD800", "\uDC00a", "a\uD800\uD800b"];

    private static SentencePieceTokenizer Tokenizer => TokenizerOracles.UseLiteTokenizer;

    [Fact]
    public void Empty_text_has_no_ids()
    {
        Assert.Empty(Tokenizer.Encode(""));
        Assert.Equal(0, Tokenizer.CountTokens(""));
        Assert.Equal(0, Tokenizer.Encode(ReadOnlySpan<char>.Empty, Span<int>.Empty));
    }

    // Indices into LoneSurrogateTexts: xUnit cannot tell strings with lone surrogates apart in test case ids.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Lone_surrogates_read_as_replacement_character(int index)
    {
        var text = LoneSurrogateTexts[index];
        var expected = Tokenizer.Encode(text.Replace('\uD800', '\uFFFD').Replace('\uDC00', '\uFFFD'));
        Assert.Equal(expected, Tokenizer.Encode(text));
        Assert.Contains(0, expected);
    }

    [Fact]
    public void One_megabyte_text_is_linear_and_truncates_to_128()
    {
        const string unit = "Hello world. ";
        var copies = (1 << 20) / unit.Length + 1;
        var big = new StringBuilder(unit.Length * copies).Insert(0, unit, copies).ToString();

        var full = Tokenizer.Encode(big, truncate: false);
        Assert.Equal((copies * HelloWorld.Length) + 1, full.Length);
        Assert.Equal(full.Length, Tokenizer.CountTokens(big));
        for (var i = 0; i < copies; i += 997)
        {
            Assert.Equal(HelloWorld, full[(i * 4)..((i * 4) + 4)]);
        }

        Assert.Equal(SpacePiece, full[^1]);
        var truncated = Tokenizer.Encode(big);
        Assert.Equal(128, truncated.Length);
        Assert.Equal(full[..128], truncated);

        var buffer = new int[128];
        Assert.Equal(128, Tokenizer.Encode(big.AsSpan(), buffer));
        Assert.Equal(truncated, buffer);
        Assert.Throws<ArgumentException>(() => Tokenizer.Encode(big.AsSpan(), new int[127]));
    }

    [Fact]
    public void Later_duplicates_win_and_unmatched_characters_are_unknown()
    {
        // ids 0..5 reserved; "ab" duplicated: the later id must be used.
        (string, double)[] pieces =
        [
            ("\uFFFD", 0), ("<s>", 0), ("</s>", 0), ("x1", 0), ("x2", 0), ("x3", 0),
            ("\u2581", -1), ("a", -2), ("b", -2), ("ab", -9), ("\u2581ab", -3), ("ab", -1),
        ];
        var tokenizer = new SentencePieceTokenizer(pieces);
        Assert.Equal([6, 11], tokenizer.Encode("ab"));
        Assert.Equal([6, 0], tokenizer.Encode("\u00e7"));
    }
}
