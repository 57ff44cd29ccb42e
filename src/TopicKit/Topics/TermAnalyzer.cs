using System.Buffers;
using System.Text;

namespace TopicKit.Topics;

/// <summary>
/// Turns a text into terms the way scikit-learn's <c>CountVectorizer</c> does with its defaults: lower-case, tokens
/// <c>(?u)\b\w\w+\b</c> with Python's <c>\w</c> (letters, numbers, underscore; not combining marks), stop words
/// removed, then word n-grams joined by one space. Thread-safe.
/// </summary>
internal sealed class TermAnalyzer
{
    private readonly StopWordList _stopWords;

    public TermAnalyzer(int ngramMin, int ngramMax, StopWordList stopWords)
    {
        NgramMin = ngramMin;
        NgramMax = ngramMax;
        _stopWords = stopWords;

        // Unigram stop words can be dropped by the consumer after its own term lookup (once per distinct term),
        // which saves a hash per token; n-grams must be formed from the filtered token stream.
        DeferredStopWords = ngramMin == 1 && ngramMax == 1 ? stopWords : null;
    }

    /// <summary>
    /// When not null, <see cref="Analyze"/> emits these stop words too and the consumer must drop them; a term lookup
    /// against a vocabulary fitted with the same analyzer drops them by itself, since they are never in it.
    /// </summary>
    public StopWordList? DeferredStopWords { get; }

    public int NgramMin { get; }

    public int NgramMax { get; }

    /// <summary>Receives one term; the span is only valid during the call.</summary>
    public delegate void TermAction<TState>(ReadOnlySpan<char> term, ref TState state);

    /// <summary>Whether <paramref name="rune"/> matches Python's Unicode <c>\w</c>.</summary>
    public static bool IsWordRune(Rune rune)
    {
        if (rune.IsAscii)
        {
            var c = (char)rune.Value;
            return char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        return Rune.IsLetter(rune) || Rune.IsNumber(rune);
    }

    /// <summary>Calls <paramref name="onTerm"/> for every term of <paramref name="text"/>: unigrams first, then longer n-grams.</summary>
    public void Analyze<TState>(string text, TermAction<TState> onTerm, ref TState state)
    {
        var lowered = ArrayPool<char>.Shared.Rent(Math.Max(16, text.Length));
        var tokens = ArrayPool<(int Start, int Length)>.Shared.Rent(Math.Max(16, (text.Length / 2) + 1));
        char[]? joined = null;
        try
        {
            var lower = lowered.AsSpan(0, text.Length);
            text.AsSpan().ToLowerInvariant(lower);
            var count = Tokenize(lower, tokens);
            if (NgramMin == 1)
            {
                for (var t = 0; t < count; t++)
                {
                    onTerm(lower.Slice(tokens[t].Start, tokens[t].Length), ref state);
                }
            }

            for (var n = Math.Max(2, NgramMin); n <= NgramMax && n <= count; n++)
            {
                for (var t = 0; t + n <= count; t++)
                {
                    var length = tokens[t + n - 1].Start + tokens[t + n - 1].Length - tokens[t].Start;
                    if (joined is null || joined.Length < length)
                    {
                        if (joined is not null)
                        {
                            ArrayPool<char>.Shared.Return(joined);
                        }

                        joined = ArrayPool<char>.Shared.Rent(Math.Max(64, length));
                    }

                    var written = 0;
                    for (var k = 0; k < n; k++)
                    {
                        if (k > 0)
                        {
                            joined[written++] = ' ';
                        }

                        var (start, len) = tokens[t + k];
                        lower.Slice(start, len).CopyTo(joined.AsSpan(written));
                        written += len;
                    }

                    onTerm(joined.AsSpan(0, written), ref state);
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(lowered);
            ArrayPool<(int, int)>.Shared.Return(tokens);
            if (joined is not null)
            {
                ArrayPool<char>.Shared.Return(joined);
            }
        }
    }

    /// <summary>Whether terms are unigrams only, the case <see cref="AnalyzeAscii"/> serves.</summary>
    public bool IsUnigram => NgramMin == 1 && NgramMax == 1;

    /// <summary>
    /// The unigrams of an all-ASCII <paramref name="text"/>, exactly those <see cref="Analyze"/> gives (on ASCII,
    /// lower-casing is <c>c | 0x20</c> for A-Z and <c>\w</c> is <c>[A-Za-z0-9_]</c>), each with its hash folded by
    /// <see cref="TermTable.Step"/> from <paramref name="seed"/> while the characters are scanned. Unigram stop words
    /// are emitted too (<see cref="DeferredStopWords"/>).
    /// </summary>
    /// <param name="text">ASCII text (checked by the caller).</param>
    /// <param name="scratch">At least as long as the text; receives the lower-cased token characters.</param>
    /// <param name="seed">Hash start value.</param>
    /// <param name="sink">Receives each term and its hash.</param>
    public static void AnalyzeAscii<TSink>(ReadOnlySpan<char> text, Span<char> scratch, uint seed, ref TSink sink)
        where TSink : struct, ITermSink
    {
        var table = AsciiClass;
        var i = 0;
        var n = text.Length;
        while (i < n)
        {
            var c = text[i];
            if (table[c & 0x7F] == 0)
            {
                i++;
                continue;
            }

            var start = i;
            var h = seed;
            do
            {
                var lower = (char)(c | (table[c & 0x7F] == 2 ? 0x20 : 0));
                scratch[i] = lower;
                h = TermTable.Step(h, lower);
                if (++i == n)
                {
                    break;
                }

                c = text[i];
            }
            while (table[c & 0x7F] != 0);

            if (i - start >= 2)
            {
                sink.Add(scratch[start..i], h);
            }
        }
    }

    // 0: not a word character, 1: word character kept as is, 2: upper-case letter (lower-cased by setting 0x20).
    private static ReadOnlySpan<byte> AsciiClass =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
        0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 1,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    ];

    // Maximal runs of two or more word characters (what \b\w\w+\b matches), stop words left out.
    private int Tokenize(ReadOnlySpan<char> text, (int Start, int Length)[] tokens)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            var runes = 0;
            while (i < text.Length)
            {
                if (text[i] < 128)
                {
                    var c = text[i];
                    if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                    {
                        break;
                    }

                    i++;
                    runes++;
                    continue;
                }

                if (Rune.DecodeFromUtf16(text[i..], out var rune, out var used) != OperationStatus.Done || !IsWordRune(rune))
                {
                    break;
                }

                i += used;
                runes++;
            }

            if (runes == 0)
            {
                i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                continue;
            }

            if (runes >= 2 && (DeferredStopWords is not null || !_stopWords.Contains(text.Slice(start, i - start))))
            {
                tokens[count++] = (start, i - start);
            }
        }

        return count;
    }
}

/// <summary>Receives the terms of <see cref="TermAnalyzer.AnalyzeAscii"/>.</summary>
internal interface ITermSink
{
    /// <summary>One term (valid during the call only) and its hash.</summary>
    void Add(ReadOnlySpan<char> term, uint hash);
}
