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
    }

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

            if (runes >= 2 && !_stopWords.Contains(text.Slice(start, i - start)))
            {
                tokens[count++] = (start, i - start);
            }
        }

        return count;
    }
}
