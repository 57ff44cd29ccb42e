using TopicKit.Tests.Infrastructure;
using TopicKit.Text;

namespace TopicKit.Tests.Text;

/// <summary>Loader choice, the vocab.txt fallback and the errors for unusable folders.</summary>
public sealed class TokenizerLoaderTests : IDisposable
{
    private readonly TempFolder _folder = new("topickit-text-");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("all-MiniLM-L6-v2-tokenizer", typeof(WordPieceTokenizer), 256)]
    [InlineData("tiny-bert", typeof(WordPieceTokenizer), 256)]
    [InlineData("minilm-l6-shape", typeof(WordPieceTokenizer), 256)]
    [InlineData("use-lite", typeof(SentencePieceTokenizer), 128)]
    public void Picks_the_tokenizer_from_the_folder_files(string folder, Type expected, int maxLength)
    {
        var tokenizer = TokenizerLoader.FromModelFolder(TokenizerOracles.ModelPath(folder));
        Assert.IsType(expected, tokenizer);
        Assert.Equal(maxLength, tokenizer.MaxLength);
        Assert.Equal(0, tokenizer.PadId);
    }

    [Fact]
    public void Vocab_txt_and_tokenizer_config_give_the_same_ids_as_tokenizer_json()
    {
        var source = TokenizerOracles.ModelPath("all-MiniLM-L6-v2-tokenizer");
        foreach (var file in new[] { "vocab.txt", "tokenizer_config.json", "sentence_bert_config.json" })
        {
            File.Copy(Path.Combine(source, file), _folder.Combine(file));
        }

        var tokenizer = TokenizerLoader.FromModelFolder(_folder.Path);
        Assert.Equal(256, tokenizer.MaxLength);
        foreach (var (id, row) in TokenizerOracles.WordPiece)
        {
            Assert.Equal(TokenizerOracles.Ints(row, "ids"), tokenizer.Encode(TokenizerOracles.Texts[id]));
        }

        foreach (var row in TokenizerOracles.WordPieceExtra.Values)
        {
            var field = row.TryGetProperty("ids_full_hf_rust", out _) ? "ids_full_hf_rust" : "ids_full";
            Assert.Equal(TokenizerOracles.Ints(row, field), tokenizer.Encode(row.GetProperty("text").GetString()!, truncate: false));
        }
    }

    [Fact]
    public void Missing_folder_is_named()
    {
        var missing = _folder.Combine("no-such-model");
        var e = Assert.Throws<DirectoryNotFoundException>(() => TokenizerLoader.FromModelFolder(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_tokenizer_files_names_folder_and_files()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.FromModelFolder(_folder.Path));
        Assert.Contains(_folder.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("vocab.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_tokenizer_json_names_the_file()
    {
        File.WriteAllText(_folder.Combine("tokenizer.json"), """{"model": {"type": "BPE", "vocab": {}}}""");
        var e = Assert.Throws<InvalidDataException>(() => TokenizerLoader.FromModelFolder(_folder.Path));
        Assert.Contains("tokenizer.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("BPE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_file()
    {
        File.WriteAllText(_folder.Combine("vocab.json"), "[[\"a\", 1.0], ");
        var e = Assert.Throws<InvalidDataException>(() => TokenizerLoader.FromModelFolder(_folder.Path));
        Assert.Contains("vocab.json", e.Message, StringComparison.Ordinal);
    }
}
