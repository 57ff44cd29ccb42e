namespace TopicKit.Text;

/// <summary>
/// Settings of a BERT-style WordPiece tokenizer. Defaults are those of uncased BERT / all-MiniLM-L6-v2
/// (<c>tokenizer.json</c> BertNormalizer + BertPreTokenizer + WordPiece, sentence-transformers truncation).
/// </summary>
public sealed record WordPieceOptions
{
    /// <summary>Drop control/format/private-use characters and map whitespace to spaces. Default true.</summary>
    public bool CleanText { get; init; } = true;

    /// <summary>Surround CJK ideographs with spaces so each becomes its own word. Default true.</summary>
    public bool HandleChineseChars { get; init; } = true;

    /// <summary>Strip accents (NFD, then drop non-spacing marks); null (default) follows <see cref="Lowercase"/>, as Hugging Face does.</summary>
    public bool? StripAccents { get; init; }

    /// <summary>Lower-case the text. Default true (uncased models).</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Prefix marking a piece that continues a word. Default <c>##</c>.</summary>
    public string ContinuingSubwordPrefix { get; init; } = "##";

    /// <summary>Words longer than this many code points become a single unknown token. Default 100.</summary>
    public int MaxInputCharsPerWord { get; init; } = 100;

    /// <summary>Unknown token. Default <c>[UNK]</c>.</summary>
    public string UnknownToken { get; init; } = "[UNK]";

    /// <summary>Token put first. Default <c>[CLS]</c>.</summary>
    public string ClsToken { get; init; } = "[CLS]";

    /// <summary>Token put last. Default <c>[SEP]</c>.</summary>
    public string SepToken { get; init; } = "[SEP]";

    /// <summary>Padding token. Default <c>[PAD]</c>.</summary>
    public string PadToken { get; init; } = "[PAD]";

    /// <summary>
    /// Tokens matched verbatim in the raw text before any normalization (Hugging Face "added tokens" with
    /// normalized = false), leftmost-longest first; each becomes its vocabulary id. Default: the five BERT specials.
    /// </summary>
    public IReadOnlyList<string> AddedTokens { get; init; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>Model maximum sequence length including [CLS] and [SEP]; truncation keeps [CLS] + the first MaxLength-2 pieces + [SEP]. Default 512.</summary>
    public int MaxLength { get; init; } = 512;
}
