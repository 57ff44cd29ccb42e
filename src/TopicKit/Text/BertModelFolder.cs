using System.Text.Json;

namespace TopicKit.Text;

/// <summary>
/// Reads a BERT/sentence-transformers model folder into a <see cref="WordPieceTokenizer"/>.
/// Settings come from <c>tokenizer.json</c> when present (its truncation and padding blocks are ignored, as
/// sentence-transformers ignores them), else from <c>vocab.txt</c> + <c>tokenizer_config.json</c>.
/// </summary>
internal static class BertModelFolder
{
    public const string TokenizerJson = "tokenizer.json";
    public const string VocabTxt = "vocab.txt";
    public const string TokenizerConfig = "tokenizer_config.json";
    public const string SentenceBertConfig = "sentence_bert_config.json";
    public const string ModelConfig = "config.json";

    /// <summary>Largest tokenizer_config <c>model_max_length</c> taken at face value (transformers writes 1e30 for "unbounded").</summary>
    private const long PlausibleModelMaxLength = 1_000_000;

    public static WordPieceTokenizer Load(string directory)
    {
        ModelFolderFiles.RequireDirectory(directory);
        using var config = ModelFolderFiles.TryReadJson(directory, TokenizerConfig);
        var tokenizerJson = Path.Combine(directory, TokenizerJson);
        var (vocabulary, options) = File.Exists(tokenizerJson)
            ? FromTokenizerJson(tokenizerJson, config)
            : FromVocabTxt(directory, config);
        options = options with { MaxLength = ReadMaxLength(directory, config) };
        try
        {
            return new WordPieceTokenizer(vocabulary, options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Model folder '{directory}': {e.Message}", e);
        }
    }

    private static (Dictionary<string, int>, WordPieceOptions) FromTokenizerJson(string path, JsonDocument? config)
    {
        using var doc = ModelFolderFiles.ReadJson(path);
        var root = doc.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: no \"model\" object.");
        }

        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type is not "WordPiece")
        {
            throw new InvalidDataException($"{path}: model type '{type}' is not supported; TopicKit reads WordPiece tokenizer.json files.");
        }

        if (!model.TryGetProperty("vocab", out var vocabElement) || vocabElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: model.vocab is missing or not an object.");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabElement.EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        var options = new WordPieceOptions
        {
            UnknownToken = StringOr(model, "unk_token", "[UNK]"),
            ContinuingSubwordPrefix = StringOr(model, "continuing_subword_prefix", "##"),
            MaxInputCharsPerWord = model.TryGetProperty("max_input_chars_per_word", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 100,
            PadToken = SpecialToken(config, "pad_token", "[PAD]"),
        };

        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object)
        {
            var normalizerType = normalizer.TryGetProperty("type", out var nt) ? nt.GetString() : null;
            if (normalizerType is not "BertNormalizer")
            {
                throw new InvalidDataException($"{path}: normalizer '{normalizerType}' is not supported; expected BertNormalizer.");
            }

            options = options with
            {
                CleanText = BoolOr(normalizer, "clean_text", true),
                HandleChineseChars = BoolOr(normalizer, "handle_chinese_chars", true),
                StripAccents = normalizer.TryGetProperty("strip_accents", out var sa) && sa.ValueKind is JsonValueKind.True or JsonValueKind.False ? sa.GetBoolean() : null,
                Lowercase = BoolOr(normalizer, "lowercase", true),
            };
        }

        var added = new List<string>();
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedTokens.EnumerateArray())
            {
                var content = token.GetProperty("content").GetString() ?? string.Empty;
                vocabulary[content] = token.GetProperty("id").GetInt32();
                added.Add(content);
            }
        }

        options = options with { AddedTokens = added };
        if (root.TryGetProperty("post_processor", out var post) && post.ValueKind == JsonValueKind.Object)
        {
            options = ReadPostProcessor(post, options);
        }

        return (vocabulary, options);
    }

    private static WordPieceOptions ReadPostProcessor(JsonElement post, WordPieceOptions options)
    {
        var type = post.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "BertProcessing")
        {
            return options with
            {
                ClsToken = post.GetProperty("cls")[0].GetString() ?? options.ClsToken,
                SepToken = post.GetProperty("sep")[0].GetString() ?? options.SepToken,
            };
        }

        if (type == "TemplateProcessing" && post.TryGetProperty("single", out var single) && single.GetArrayLength() >= 2)
        {
            static string? Special(JsonElement item) =>
                item.TryGetProperty("SpecialToken", out var s) ? s.GetProperty("id").GetString() : null;
            return options with
            {
                ClsToken = Special(single[0]) ?? options.ClsToken,
                SepToken = Special(single[single.GetArrayLength() - 1]) ?? options.SepToken,
            };
        }

        return options;
    }

    private static (Dictionary<string, int>, WordPieceOptions) FromVocabTxt(string directory, JsonDocument? config)
    {
        var path = Path.Combine(directory, VocabTxt);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Model folder '{directory}' has neither {TokenizerJson} nor {VocabTxt}; add the tokenizer files of the model.", path);
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        foreach (var line in File.ReadLines(path))
        {
            vocabulary.TryAdd(line, id++);
        }

        var c = config?.RootElement;
        var options = new WordPieceOptions
        {
            Lowercase = c is { } l ? BoolOr(l, "do_lower_case", true) : true,
            StripAccents = c is { } s && s.TryGetProperty("strip_accents", out var sa) && sa.ValueKind is JsonValueKind.True or JsonValueKind.False ? sa.GetBoolean() : null,
            HandleChineseChars = c is { } h ? BoolOr(h, "tokenize_chinese_chars", true) : true,
            UnknownToken = SpecialToken(config, "unk_token", "[UNK]"),
            ClsToken = SpecialToken(config, "cls_token", "[CLS]"),
            SepToken = SpecialToken(config, "sep_token", "[SEP]"),
            PadToken = SpecialToken(config, "pad_token", "[PAD]"),
        };
        var mask = SpecialToken(config, "mask_token", "[MASK]");
        return (vocabulary, options with
        {
            AddedTokens = [.. new[] { options.PadToken, options.UnknownToken, options.ClsToken, options.SepToken, mask }.Where(vocabulary.ContainsKey)],
        });
    }

    /// <summary>sentence_bert_config max_seq_length, else a plausible tokenizer_config model_max_length, else config max_position_embeddings, else 512.</summary>
    private static int ReadMaxLength(string directory, JsonDocument? tokenizerConfig)
    {
        using (var sbert = ModelFolderFiles.TryReadJson(directory, SentenceBertConfig))
        {
            if (sbert is not null && sbert.RootElement.TryGetProperty("max_seq_length", out var v) && v.ValueKind == JsonValueKind.Number)
            {
                return v.GetInt32();
            }
        }

        if (tokenizerConfig is not null && tokenizerConfig.RootElement.TryGetProperty("model_max_length", out var mml)
            && mml.ValueKind == JsonValueKind.Number && mml.TryGetInt64(out var len) && len is > 0 and <= PlausibleModelMaxLength)
        {
            return (int)len;
        }

        using var model = ModelFolderFiles.TryReadJson(directory, ModelConfig);
        return model is not null && model.RootElement.TryGetProperty("max_position_embeddings", out var mpe) && mpe.ValueKind == JsonValueKind.Number
            ? mpe.GetInt32()
            : 512;
    }

    private static string SpecialToken(JsonDocument? config, string name, string fallback)
    {
        if (config is null || !config.RootElement.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? fallback,
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString() ?? fallback,
            _ => fallback,
        };
    }

    private static string StringOr(JsonElement element, string name, string fallback) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? fallback : fallback;

    private static bool BoolOr(JsonElement element, string name, bool fallback) =>
        element.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;
}
