using System.Text;

namespace TopicKit.Text.Unicode;

/// <summary>
/// Unicode normalization forms NFD / NFKD / NFKC implemented from the generated UCD tables.
/// TopicKit builds with InvariantGlobalization, where <see cref="string.Normalize()"/> returns its input
/// unchanged, so the tokenizers cannot rely on it. Works on code points held in pooled buffers.
/// </summary>
internal static class UnicodeNormalizer
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    /// <summary>Smallest code point with a decomposition or a non-zero combining class (U+00A0 NBSP).</summary>
    internal const int FirstAffected = 0xA0;

    /// <summary>Canonical combining class of <paramref name="cp"/> (0 for starters).</summary>
    public static int CombiningClass(int cp)
    {
        if (cp < 0x300)
        {
            return 0;
        }

        return RangeTable.Find(UnicodeTables.CombiningClassRanges, cp);
    }

    /// <summary>
    /// Decodes UTF-16 into code points, replacing every unpaired surrogate by U+FFFD (the documented
    /// policy for invalid input, so no stage ever sees half a character).
    /// </summary>
    public static void DecodeUtf16(ReadOnlySpan<char> text, ref ValueBuffer<int> output)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                output.Add(c);
                i++;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                output.Add(char.ConvertToUtf32(c, text[i + 1]));
                i += 2;
            }
            else
            {
                output.Add(0xFFFD);
                i++;
            }
        }
    }

    /// <summary>Appends <paramref name="cp"/> as UTF-16.</summary>
    public static void AppendUtf16(int cp, ref ValueBuffer<char> output)
    {
        if (cp < 0x10000)
        {
            output.Add((char)cp);
        }
        else
        {
            cp -= 0x10000;
            output.Add((char)(0xD800 + (cp >> 10)));
            output.Add((char)(0xDC00 + (cp & 0x3FF)));
        }
    }

    /// <summary>Appends the NFD (or NFKD when <paramref name="compatibility"/>) of <paramref name="input"/>, canonically ordered.</summary>
    public static void Decompose(ReadOnlySpan<int> input, bool compatibility, ref ValueBuffer<int> output)
    {
        var start = output.Count;
        var needsOrdering = false;
        foreach (var cp in input)
        {
            if (cp < FirstAffected)
            {
                output.Add(cp);
                continue;
            }

            if (cp - SBase is >= 0 and < SCount)
            {
                var s = cp - SBase;
                output.Add(LBase + (s / NCount));
                output.Add(VBase + (s % NCount / TCount));
                if (s % TCount != 0)
                {
                    output.Add(TBase + (s % TCount));
                }

                continue;
            }

            var expansion = Lookup(cp, compatibility);
            if (expansion.IsEmpty)
            {
                output.Add(cp);
                needsOrdering |= cp >= 0x300;
            }
            else
            {
                output.AddRange(expansion);
                needsOrdering = true;
            }
        }

        if (needsOrdering)
        {
            CanonicalOrder(output.Span[start..]);
        }
    }

    /// <summary>Canonical composition in place (the second half of NFC/NFKC); returns the new length.</summary>
    public static int Compose(Span<int> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var starter = CombiningClass(text[0]) == 0 ? 0 : -1;
        var lastClass = starter == 0 ? 0 : 256;
        var write = 1;
        for (var read = 1; read < text.Length; read++)
        {
            var cp = text[read];
            var cls = CombiningClass(cp);
            var adjacent = starter == write - 1;
            if (starter >= 0 && (adjacent || (lastClass != 0 && lastClass < cls)))
            {
                var composite = ComposePair(text[starter], cp);
                if (composite >= 0)
                {
                    text[starter] = composite;
                    continue;
                }
            }

            if (cls == 0)
            {
                starter = write;
                lastClass = 0;
            }
            else
            {
                lastClass = cls;
            }

            text[write++] = cp;
        }

        return write;
    }

    /// <summary>Appends NFKC(<paramref name="text"/>) as UTF-16; unpaired surrogates become U+FFFD first.</summary>
    public static void ToNfkc(ReadOnlySpan<char> text, ref ValueBuffer<char> output)
    {
        // Text made only of code units below U+00A0 is already NFKC and has no surrogates.
        if (!text.ContainsAnyInRange((char)FirstAffected, char.MaxValue))
        {
            output.AddRange(text);
            return;
        }

        var decoded = new ValueBuffer<int>(text.Length);
        var decomposed = new ValueBuffer<int>(text.Length + 16);
        try
        {
            DecodeUtf16(text, ref decoded);
            Decompose(decoded.Span, compatibility: true, ref decomposed);
            var n = Compose(decomposed.Span);
            foreach (var cp in decomposed.Span[..n])
            {
                AppendUtf16(cp, ref output);
            }
        }
        finally
        {
            decoded.Dispose();
            decomposed.Dispose();
        }
    }

    /// <summary>NFKC of a string (convenience for tests and small inputs).</summary>
    public static string ToNfkc(string text)
    {
        var buffer = new ValueBuffer<char>(text.Length);
        try
        {
            ToNfkc(text, ref buffer);
            return new string(buffer.Span);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>NFD of a string (convenience for tests).</summary>
    public static string ToNfd(string text)
    {
        var decoded = new ValueBuffer<int>(text.Length);
        var decomposed = new ValueBuffer<int>(text.Length);
        var chars = new ValueBuffer<char>(text.Length);
        try
        {
            DecodeUtf16(text, ref decoded);
            Decompose(decoded.Span, compatibility: false, ref decomposed);
            foreach (var cp in decomposed.Span)
            {
                AppendUtf16(cp, ref chars);
            }

            return new string(chars.Span);
        }
        finally
        {
            decoded.Dispose();
            decomposed.Dispose();
            chars.Dispose();
        }
    }

    private static ReadOnlySpan<int> Lookup(int cp, bool compatibility)
    {
        var keys = compatibility ? UnicodeTables.CompatibilityDecompositionKeys : UnicodeTables.CanonicalDecompositionKeys;
        var index = keys.BinarySearch(cp);
        if (index < 0)
        {
            return [];
        }

        var offsets = compatibility ? UnicodeTables.CompatibilityDecompositionOffsets : UnicodeTables.CanonicalDecompositionOffsets;
        var data = compatibility ? UnicodeTables.CompatibilityDecompositionData : UnicodeTables.CanonicalDecompositionData;
        return data[offsets[index]..offsets[index + 1]];
    }

    private static void CanonicalOrder(Span<int> text)
    {
        // Stable insertion sort of each run of non-starters by combining class; runs are short.
        for (var i = 1; i < text.Length; i++)
        {
            var cp = text[i];
            var cls = CombiningClass(cp);
            if (cls == 0)
            {
                continue;
            }

            var j = i - 1;
            while (j >= 0)
            {
                var prevCls = CombiningClass(text[j]);
                if (prevCls <= cls)
                {
                    break;
                }

                text[j + 1] = text[j];
                j--;
            }

            text[j + 1] = cp;
        }
    }

    private static int ComposePair(int first, int second)
    {
        if (first - LBase is >= 0 and < LCount && second - VBase is >= 0 and < VCount)
        {
            return SBase + ((((first - LBase) * VCount) + (second - VBase)) * TCount);
        }

        if (first - SBase is >= 0 and < SCount && (first - SBase) % TCount == 0 && second - TBase is > 0 and < TCount)
        {
            return first + (second - TBase);
        }

        var pairs = UnicodeTables.CompositionPairs;
        var lo = 0;
        var hi = (pairs.Length / 3) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var i = mid * 3;
            var cmp = pairs[i] != first ? pairs[i].CompareTo(first) : pairs[i + 1].CompareTo(second);
            if (cmp == 0)
            {
                return pairs[i + 2];
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}
