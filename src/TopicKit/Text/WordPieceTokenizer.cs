using System.Buffers;
using TopicKit.Text.Unicode;

namespace TopicKit.Text;

/// <summary>
/// BERT WordPiece tokenizer reproducing Hugging Face's Rust <c>tokenizers</c> (BertNormalizer, BertPreTokenizer,
/// WordPiece with <c>##</c> continuations) and the sentence-transformers truncation rule
/// ([CLS] + first <see cref="MaxLength"/> - 2 pieces + [SEP]). Immutable and thread-safe; each call rents its
/// scratch memory from <see cref="ArrayPool{T}"/>. Vocabulary look-ups walk a character trie, so no substrings are built.
/// </summary>
public sealed class WordPieceTokenizer : ITokenizer
{
    // Long texts are normalised in pieces cut after a whitespace character (a word and normalization boundary),
    // so a truncated encoding of a huge text stops early and scratch buffers stay small.
    private const int ChunkSize = 4096;
    private static readonly SearchValues<char> ChunkBreaks = SearchValues.Create(" \t\n\r");

    private readonly CharTrie _words;
    private readonly CharTrie _continuations;
    private readonly CharTrie? _addedTokens;
    private readonly SearchValues<char>? _addedTokenStarts;
    private readonly BertTextNormalizer _normalizer;
    private readonly int _maxCharsPerWord;

    /// <summary>Creates a tokenizer from a vocabulary (piece to id) and options.</summary>
    /// <exception cref="ArgumentException">A special token is missing from the vocabulary or MaxLength is below 2.</exception>
    public WordPieceTokenizer(IReadOnlyDictionary<string, int> vocabulary, WordPieceOptions options)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxLength < 2)
        {
            throw new ArgumentException($"MaxLength must be at least 2 (room for [CLS] and [SEP]), got {options.MaxLength}.", nameof(options));
        }

        Options = options;
        VocabularySize = vocabulary.Count;
        UnknownId = RequireId(vocabulary, options.UnknownToken, "unknown");
        ClsId = RequireId(vocabulary, options.ClsToken, "CLS");
        SepId = RequireId(vocabulary, options.SepToken, "SEP");
        PadId = RequireId(vocabulary, options.PadToken, "padding");
        MaxLength = options.MaxLength;
        _maxCharsPerWord = options.MaxInputCharsPerWord;

        var prefix = options.ContinuingSubwordPrefix;
        _words = new CharTrie(vocabulary);
        _continuations = new CharTrie(vocabulary
            .Where(kv => prefix.Length > 0 && kv.Key.Length > prefix.Length && kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(kv => KeyValuePair.Create(kv.Key[prefix.Length..], kv.Value)));

        var added = options.AddedTokens
            .Where(t => !string.IsNullOrEmpty(t))
            .Select(t => KeyValuePair.Create(t, RequireId(vocabulary, t, "added")))
            .ToList();
        if (added.Count > 0)
        {
            _addedTokens = new CharTrie(added);
            _addedTokenStarts = SearchValues.Create([.. added.Select(kv => kv.Key[0]).Distinct()]);
        }

        _normalizer = new BertTextNormalizer(
            options.CleanText, options.HandleChineseChars, options.StripAccents ?? options.Lowercase, options.Lowercase);
    }

    /// <inheritdoc />
    public int MaxLength { get; }

    /// <inheritdoc />
    public int PadId { get; }

    /// <summary>Id of the [CLS] token written first.</summary>
    public int ClsId { get; }

    /// <summary>Id of the [SEP] token written last.</summary>
    public int SepId { get; }

    /// <summary>Id of the unknown token.</summary>
    public int UnknownId { get; }

    /// <summary>Number of vocabulary entries.</summary>
    public int VocabularySize { get; }

    /// <summary>The settings this tokenizer was built with.</summary>
    public WordPieceOptions Options { get; }

    /// <summary>
    /// Loads <c>tokenizer.json</c> when present, else <c>vocab.txt</c> + <c>tokenizer_config.json</c>; the maximum length
    /// comes from <c>sentence_bert_config.json</c> (see <see cref="TokenizerLoader"/>).
    /// </summary>
    public static WordPieceTokenizer FromModelFolder(string directory) => BertModelFolder.Load(directory);

    /// <inheritdoc />
    public int[] Encode(string text, bool truncate = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = new ValueBuffer<int>(InitialCapacity(text.Length, truncate));
        try
        {
            var n = EncodePieces(text, ref pieces, truncate);
            var result = new int[n + 2];
            Frame(pieces.Span[..n], result);
            return result;
        }
        finally
        {
            pieces.Dispose();
        }
    }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<char> text, Span<int> destination, bool truncate = true)
    {
        var pieces = new ValueBuffer<int>(InitialCapacity(text.Length, truncate));
        try
        {
            var n = EncodePieces(text, ref pieces, truncate);
            if (destination.Length < n + 2)
            {
                throw new ArgumentException(
                    $"The destination holds {destination.Length} ids but this encoding needs {n + 2}.", nameof(destination));
            }

            Frame(pieces.Span[..n], destination);
            return n + 2;
        }
        finally
        {
            pieces.Dispose();
        }
    }

    /// <inheritdoc />
    public int CountTokens(ReadOnlySpan<char> text)
    {
        var pieces = new ValueBuffer<int>(InitialCapacity(text.Length, truncate: false));
        try
        {
            return EncodePieces(text, ref pieces, truncate: false) + 2;
        }
        finally
        {
            pieces.Dispose();
        }
    }

    private static int RequireId(IReadOnlyDictionary<string, int> vocabulary, string token, string role) =>
        vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new ArgumentException($"The {role} token '{token}' is not in the vocabulary.", nameof(vocabulary));

    private int InitialCapacity(int textLength, bool truncate)
    {
        var guess = (textLength / 4) + 16;
        return truncate ? Math.Min(guess, MaxLength + 16) : guess;
    }

    private void Frame(ReadOnlySpan<int> pieces, Span<int> destination)
    {
        destination[0] = ClsId;
        pieces.CopyTo(destination[1..]);
        destination[pieces.Length + 1] = SepId;
    }

    /// <summary>Writes the word pieces (no specials) and returns how many belong to the encoding.</summary>
    private int EncodePieces(ReadOnlySpan<char> text, ref ValueBuffer<int> pieces, bool truncate)
    {
        var limit = truncate ? MaxLength - 2 : int.MaxValue;
        var pos = 0;
        while (pos < text.Length && pieces.Count < limit)
        {
            var (start, length, id) = FindAddedToken(text, pos);
            var end = start < 0 ? text.Length : start;
            EncodeSegment(text[pos..end], ref pieces, limit);
            if (start < 0)
            {
                break;
            }

            pieces.Add(id);
            pos = start + length;
        }

        return Math.Min(pieces.Count, limit);
    }

    private (int Start, int Length, int Id) FindAddedToken(ReadOnlySpan<char> text, int from)
    {
        if (_addedTokens is null)
        {
            return (-1, 0, 0);
        }

        var pos = from;
        while (pos < text.Length)
        {
            var offset = text[pos..].IndexOfAny(_addedTokenStarts!);
            if (offset < 0)
            {
                break;
            }

            pos += offset;
            var id = _addedTokens.LongestPrefix(text[pos..], out var length);
            if (id >= 0)
            {
                return (pos, length, id);
            }

            pos++;
        }

        return (-1, 0, 0);
    }

    private void EncodeSegment(ReadOnlySpan<char> segment, ref ValueBuffer<int> pieces, int limit)
    {
        var normalized = new ValueBuffer<char>(Math.Min(segment.Length, ChunkSize) + 64);
        try
        {
            while (!segment.IsEmpty && pieces.Count < limit)
            {
                var cut = segment.Length;
                if (segment.Length > ChunkSize)
                {
                    var next = segment[ChunkSize..].IndexOfAny(ChunkBreaks);
                    cut = next < 0 ? segment.Length : ChunkSize + next + 1;
                }

                normalized.Clear();
                _normalizer.Normalize(segment[..cut], ref normalized);
                SplitWords(normalized.Span, ref pieces, limit);
                segment = segment[cut..];
            }
        }
        finally
        {
            normalized.Dispose();
        }
    }

    /// <summary>BertPreTokenizer: split on whitespace (dropped) and punctuation (kept as one-character words).</summary>
    private void SplitWords(ReadOnlySpan<char> text, ref ValueBuffer<int> pieces, int limit)
    {
        var wordStart = 0;
        var i = 0;
        while (i < text.Length && pieces.Count < limit)
        {
            int cp = text[i];
            var width = 1;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[i + 1]);
                width = 2;
            }

            if (BertCharClass.IsWhitespace(cp))
            {
                EncodeWord(text[wordStart..i], ref pieces);
                wordStart = i + width;
            }
            else if (BertCharClass.IsPunctuation(cp))
            {
                EncodeWord(text[wordStart..i], ref pieces);
                EncodeWord(text.Slice(i, width), ref pieces);
                wordStart = i + width;
            }

            i += width;
        }

        if (pieces.Count < limit)
        {
            EncodeWord(text[wordStart..], ref pieces);
        }
    }

    /// <summary>Greedy longest-match WordPiece; a word with an unmatchable rest, or too long, is one unknown token.</summary>
    private void EncodeWord(ReadOnlySpan<char> word, ref ValueBuffer<int> pieces)
    {
        if (word.IsEmpty)
        {
            return;
        }

        if (word.Length > _maxCharsPerWord && CountCodePoints(word) > _maxCharsPerWord)
        {
            pieces.Add(UnknownId);
            return;
        }

        var mark = pieces.Count;
        var start = 0;
        while (start < word.Length)
        {
            var trie = start == 0 ? _words : _continuations;
            var id = trie.LongestPrefix(word[start..], out var length);
            if (id < 0)
            {
                pieces.Truncate(mark);
                pieces.Add(UnknownId);
                return;
            }

            pieces.Add(id);
            start += length;
        }
    }

    private static int CountCodePoints(ReadOnlySpan<char> word)
    {
        var count = word.Length;
        for (var i = 1; i < word.Length; i++)
        {
            if (char.IsLowSurrogate(word[i]) && char.IsHighSurrogate(word[i - 1]))
            {
                count--;
            }
        }

        return count;
    }
}
