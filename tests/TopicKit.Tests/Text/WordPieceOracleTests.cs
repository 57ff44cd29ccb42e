using TopicKit.Text;

namespace TopicKit.Tests.Text;

/// <summary>Exact-token tests of the WordPiece tokenizer against the Hugging Face oracles, one case per oracle row.</summary>
public sealed class WordPieceOracleTests
{
    public static TheoryData<string> MainRows => TokenizerOracles.Ids("wordpiece-ids.jsonl");

    public static TheoryData<string> ExtraRows => TokenizerOracles.Ids("wordpiece-ids-extra.jsonl");

    [Theory]
    [MemberData(nameof(MainRows))]
    public void Matches_oracle_ids(string id)
    {
        var row = TokenizerOracles.WordPiece[id];
        var text = TokenizerOracles.Texts[id];
        var tokenizer = TokenizerOracles.MiniLm;

        Assert.Equal(TokenizerOracles.Ints(row, "ids"), tokenizer.Encode(text));
        var full = TokenizerOracles.Ints(row, "ids_full");
        Assert.Equal(full, tokenizer.Encode(text, truncate: false));
        Assert.Equal(full.Length, tokenizer.CountTokens(text));

        Span<int> buffer = stackalloc int[tokenizer.MaxLength];
        var written = tokenizer.Encode(text.AsSpan(), buffer);
        Assert.Equal(TokenizerOracles.Ints(row, "ids"), buffer[..written].ToArray());
    }

    [Theory]
    [MemberData(nameof(ExtraRows))]
    public void Matches_unicode_edge_cases(string id)
    {
        var row = TokenizerOracles.WordPieceExtra[id];
        var text = row.GetProperty("text").GetString()!;
        var tokenizer = TokenizerOracles.MiniLm;

        // Rows where transformers.js and the Rust tokenizers disagree carry the Rust ids, which are the target.
        var rust = row.TryGetProperty("ids_full_hf_rust", out _);
        var full = TokenizerOracles.Ints(row, rust ? "ids_full_hf_rust" : "ids_full");
        Assert.Equal(full, tokenizer.Encode(text, truncate: false));
        Assert.Equal(full.Length, tokenizer.CountTokens(text));
        if (!rust)
        {
            Assert.Equal(TokenizerOracles.Ints(row, "ids"), tokenizer.Encode(text));
        }
        else
        {
            Assert.True(full.Length <= tokenizer.MaxLength);
            Assert.Equal(full, tokenizer.Encode(text));
        }
    }

    [Fact]
    public void Tiny_bert_and_shape_folders_tokenize_like_minilm()
    {
        var tiny = WordPieceTokenizer.FromModelFolder(TokenizerOracles.ModelPath("tiny-bert"));
        var shape = WordPieceTokenizer.FromModelFolder(TokenizerOracles.ModelPath("minilm-l6-shape"));
        foreach (var (id, row) in TokenizerOracles.WordPiece)
        {
            var text = TokenizerOracles.Texts[id];
            var expected = TokenizerOracles.Ints(row, "ids");
            Assert.Equal(expected, tiny.Encode(text));
            Assert.Equal(expected, shape.Encode(text));
        }
    }
}
