using TopicKit.Text;

namespace TopicKit.Tests.Text;

/// <summary>Exact-token tests of the USE-Lite SentencePiece tokenizer against the reference JS tokenizer's ids.</summary>
public sealed class SentencePieceOracleTests
{
    public static TheoryData<string> Rows => TokenizerOracles.Ids("use-lite-token-ids.jsonl");

    [Theory]
    [MemberData(nameof(Rows))]
    public void Matches_reference_js_ids(string id)
    {
        var expected = TokenizerOracles.Ints(TokenizerOracles.UseLite[id], "token_ids");
        var text = TokenizerOracles.Texts[id];
        var tokenizer = TokenizerOracles.UseLiteTokenizer;

        Assert.Equal(expected, tokenizer.Encode(text, truncate: false));
        Assert.Equal(expected.Length, tokenizer.CountTokens(text));
        Assert.Equal(expected.Take(tokenizer.MaxLength).ToArray(), tokenizer.Encode(text));
    }

    // The examples table of shared/models/use-lite/TOKENIZER.md (ids from the JS tokenizer).
    [Theory]
    [InlineData("Hello world.", new[] { 341, 4125, 311, 6 })]
    [InlineData("a", new[] { 11 })]
    [InlineData("", new int[0])]
    [InlineData(":30 :00 : ok", new[] { 30, 4177, 30, 5920, 604, 2303 })]
    [InlineData(":", new[] { 30, 57 })]
    [InlineData("tab\there  two  spaces", new[] { 5520, 0, 586, 53, 30, 174, 30, 1016, 7 })]
    [InlineData("Emoji \U0001F600\U0001F680", new[] { 184, 451, 2501, 30, 0 })]
    public void Matches_documented_examples(string text, int[] expected) =>
        Assert.Equal(expected, TokenizerOracles.UseLiteTokenizer.Encode(text));

    [Fact]
    public void Contract_comes_from_config()
    {
        var tokenizer = TokenizerOracles.UseLiteTokenizer;
        Assert.Equal(128, tokenizer.MaxLength);
        Assert.Equal(0, tokenizer.PadId);
        Assert.Equal(0, tokenizer.UnknownId);
        Assert.Equal(8000, tokenizer.VocabularySize);
    }
}
