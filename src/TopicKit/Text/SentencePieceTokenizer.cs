using System.Buffers;
using System.Text.Json;
using TopicKit.Text.Unicode;

namespace TopicKit.Text;

/// <summary>
/// SentencePiece unigram tokenizer reproducing the USE-Lite reference JS tokenizer
/// (<c>@tensorflow-models/universal-sentence-encoder@1.3.3</c>, see the model's TOKENIZER.md): NFKC, U+0020 to
/// U+2581 plus a leading U+2581, Viterbi over piece scores with its quirks (<c>best == 0</c> means unset, ties go to
/// the later/shorter candidate), runs of unknowns merged into one id. No special tokens are added; truncation keeps
/// the first <see cref="MaxLength"/> ids (the model ignores later positions). Immutable and thread-safe.
/// </summary>
public sealed class SentencePieceTokenizer : ITokenizer
{
    private const char SpaceMarker = '\u2581';

    private readonly CharTrie _pieces;
    private readonly double[] _scores;
    private readonly int[] _lengths;

    /// <summary>
    /// Creates a tokenizer from pieces and scores, where a piece's id is its index. Ids below
    /// <paramref name="reservedIds"/> are never matched; <paramref name="unknownId"/> marks unmatched characters.
    /// A later duplicate piece shadows an earlier one, as in the reference.
    /// </summary>
    public SentencePieceTokenizer(IReadOnlyList<(string Piece, double Score)> pieces, int maxLength = 128, int unknownId = 0, int reservedIds = 6, int padId = 0)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        ArgumentOutOfRangeException.ThrowIfNegative(reservedIds);
        if ((uint)unknownId >= (uint)pieces.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(unknownId), $"Unknown id {unknownId} is outside the {pieces.Count}-piece vocabulary.");
        }

        _scores = new double[pieces.Count];
        _lengths = new int[pieces.Count];
        var entries = new List<KeyValuePair<string, int>>(pieces.Count);
        for (var id = 0; id < pieces.Count; id++)
        {
            var (piece, score) = pieces[id];
            _scores[id] = score;
            _lengths[id] = Math.Max(1, piece.EnumerateRunes().Count());
            if (id >= reservedIds)
            {
                entries.Add(KeyValuePair.Create(piece, id));
            }
        }

        _scores[unknownId] = 0.0;
        _lengths[unknownId] = 1;
        _pieces = new CharTrie(entries);
        MaxLength = maxLength;
        UnknownId = unknownId;
        PadId = padId;
    }

    /// <inheritdoc />
    public int MaxLength { get; }

    /// <inheritdoc />
    public int PadId { get; }

    /// <summary>Id written for each run of characters no piece covers.</summary>
    public int UnknownId { get; }

    /// <summary>Number of pieces.</summary>
    public int VocabularySize => _scores.Length;

    /// <summary>
    /// Loads <c>vocab.json</c> (an array of <c>[piece, score]</c>, null scores read as 0 like JS <c>null + x</c>) and
    /// <c>config.json</c> (<c>max_sequence_length</c>, default 128; <c>tokenizer.unknown_id</c>, default 0).
    /// </summary>
    public static SentencePieceTokenizer FromModelFolder(string directory)
    {
        ModelFolderFiles.RequireDirectory(directory);
        var vocabPath = Path.Combine(directory, TokenizerLoader.SentencePieceVocabJson);
        if (!File.Exists(vocabPath))
        {
            throw new FileNotFoundException($"Model folder '{directory}' has no {TokenizerLoader.SentencePieceVocabJson}.", vocabPath);
        }

        List<(string, double)> pieces = [];
        using (var vocab = ModelFolderFiles.ReadJson(vocabPath))
        {
            if (vocab.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{vocabPath}: expected a JSON array of [piece, score] pairs.");
            }

            var index = 0;
            foreach (var entry in vocab.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() < 2 || entry[0].ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"{vocabPath}: entry {index} is not a [piece, score] pair.");
                }

                pieces.Add((entry[0].GetString()!, entry[1].ValueKind == JsonValueKind.Number ? entry[1].GetDouble() : 0.0));
                index++;
            }
        }

        var maxLength = 128;
        var unknownId = 0;
        using (var config = ModelFolderFiles.TryReadJson(directory, "config.json"))
        {
            if (config is not null)
            {
                var root = config.RootElement;
                if (root.TryGetProperty("max_sequence_length", out var m) && m.ValueKind == JsonValueKind.Number)
                {
                    maxLength = m.GetInt32();
                }

                if (root.TryGetProperty("tokenizer", out var tok) && tok.ValueKind == JsonValueKind.Object
                    && tok.TryGetProperty("unknown_id", out var u) && u.ValueKind == JsonValueKind.Number)
                {
                    unknownId = u.GetInt32();
                }
            }
        }

        return new SentencePieceTokenizer(pieces, maxLength, unknownId);
    }

    /// <inheritdoc />
    public int[] Encode(string text, bool truncate = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new ValueBuffer<int>(text.Length / 3 + 8);
        try
        {
            EncodeIds(text, ref ids);
            var n = truncate ? Math.Min(ids.Count, MaxLength) : ids.Count;
            return ids.Span[..n].ToArray();
        }
        finally
        {
            ids.Dispose();
        }
    }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<char> text, Span<int> destination, bool truncate = true)
    {
        var ids = new ValueBuffer<int>(text.Length / 3 + 8);
        try
        {
            EncodeIds(text, ref ids);
            var n = truncate ? Math.Min(ids.Count, MaxLength) : ids.Count;
            if (destination.Length < n)
            {
                throw new ArgumentException($"The destination holds {destination.Length} ids but this encoding needs {n}.", nameof(destination));
            }

            ids.Span[..n].CopyTo(destination);
            return n;
        }
        finally
        {
            ids.Dispose();
        }
    }

    /// <inheritdoc />
    public int CountTokens(ReadOnlySpan<char> text)
    {
        var ids = new ValueBuffer<int>(text.Length / 3 + 8);
        try
        {
            EncodeIds(text, ref ids);
            return ids.Count;
        }
        finally
        {
            ids.Dispose();
        }
    }

    private void EncodeIds(ReadOnlySpan<char> text, ref ValueBuffer<int> ids)
    {
        var normalized = new ValueBuffer<char>(text.Length + 1);
        var starts = new ValueBuffer<int>(text.Length + 2);
        try
        {
            normalized.Add(SpaceMarker);
            UnicodeNormalizer.ToNfkc(text, ref normalized);
            if (normalized.Count == 1)
            {
                return;
            }

            var s = normalized.Span;
            s.Replace(' ', SpaceMarker);
            for (var i = 0; i < s.Length; i++)
            {
                if (!(char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1])))
                {
                    starts.Add(i);
                }
            }

            var n = starts.Count;
            starts.Add(s.Length);
            Viterbi(s, starts.Span, n, ref ids);
        }
        finally
        {
            normalized.Dispose();
            starts.Dispose();
        }
    }

    private void Viterbi(ReadOnlySpan<char> s, ReadOnlySpan<int> starts, int n, ref ValueBuffer<int> ids)
    {
        var best = ArrayPool<double>.Shared.Rent(n + 1);
        var word = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            Array.Clear(best, 0, n + 1);
            Array.Clear(word, 0, n + 1);

            // Visiting starts in increasing order relaxes each end's candidates in increasing start order, exactly the
            // reference's per-end loop, and best[start] is final by then (every candidate ending there starts earlier).
            for (var i = 0; i < n; i++)
            {
                var node = CharTrie.Root;
                var found = false;
                for (var k = starts[i]; k < s.Length; k++)
                {
                    // No piece holds a character outside the BMP, so a surrogate ends every match.
                    if (char.IsSurrogate(s[k]))
                    {
                        break;
                    }

                    node = _pieces.Step(node, s[k]);
                    if (node == CharTrie.NoNode)
                    {
                        break;
                    }

                    var id = _pieces.ValueAt(node);
                    if (id >= 0)
                    {
                        found = true;
                        Relax(best, word, i, i + (k - starts[i] + 1), id, _scores[id]);
                    }
                }

                if (!found)
                {
                    Relax(best, word, i, i + 1, UnknownId, 0.0);
                }
            }

            var first = ids.Count;
            for (var pos = n; pos > 0;)
            {
                var id = word[pos];
                if (!(id == UnknownId && ids.Count > first && ids[ids.Count - 1] == UnknownId))
                {
                    ids.Add(id);
                }

                pos -= _lengths[id];
            }

            ids.Span[first..].Reverse();
        }
        finally
        {
            ArrayPool<double>.Shared.Return(best);
            ArrayPool<int>.Shared.Return(word);
        }
    }

    private static void Relax(double[] best, int[] word, int start, int end, int id, double score)
    {
        var total = score + best[start];
        // The exact comparison with 0 is the reference's "unset" test and part of the contract (TOKENIZER.md step 6).
        if (best[end] == 0 || total >= best[end])
        {
            best[end] = total;
            word[end] = id;
        }
    }
}
