using System.Text;

namespace TopicKit.Text.Unicode;

/// <summary>
/// Unicode normalization forms NFC / NFD / NFKC / NFKD (UAX #15) implemented from the generated UCD tables
/// (<see cref="UnicodeTables"/>, made by generate_tables.py beside this file). TopicKit builds with
/// InvariantGlobalization, where <see cref="string.Normalize()"/> returns its input unchanged, so neither the
/// tokenizers nor the corpus readers can rely on it. Works on code points held in pooled buffers.
/// </summary>
internal static class UnicodeNormalizer
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    // Bit set over the BMP of NfcQuickCheckRanges, for the quick check on mostly-Latin corpus text.
    private static readonly ulong[] NfcUnstableBmp = BuildNfcUnstableBmp();

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
    public static void ToNfkc(ReadOnlySpan<char> text, ref ValueBuffer<char> output) =>
        Normalize(text, compatibility: true, compose: true, ref output);

    /// <summary>NFC (canonical decomposition, then composition); the same instance when already NFC.</summary>
    public static string ToNfc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsQuickNfc(text) ? text : NormalizeString(text, compatibility: false, compose: true);
    }

    /// <summary>NFD (canonical decomposition and ordering); the same instance when nothing changes.</summary>
    public static string ToNfd(string text) => NormalizeString(text, compatibility: false, compose: false);

    /// <summary>NFKC (compatibility decomposition, then canonical composition); the same instance when nothing changes.</summary>
    public static string ToNfkc(string text) => NormalizeString(text, compatibility: true, compose: true);

    /// <summary>NFKD (compatibility decomposition and canonical ordering); the same instance when nothing changes.</summary>
    public static string ToNfkd(string text) => NormalizeString(text, compatibility: true, compose: false);

    /// <summary>
    /// Appends the chosen normalization form of <paramref name="text"/> as UTF-16: NFD, NFKD, or with
    /// <paramref name="compose"/> NFC, NFKC. Unpaired surrogates become U+FFFD first.
    /// </summary>
    public static void Normalize(ReadOnlySpan<char> text, bool compatibility, bool compose, ref ValueBuffer<char> output)
    {
        // Code units below U+00A0 are starters that neither decompose nor are ever the second half of a composition,
        // and none of them is a surrogate: they pass through unchanged, except that the last one before the first
        // affected character may compose with what follows it.
        var first = text.IndexOfAnyInRange((char)FirstAffected, char.MaxValue);
        if (first < 0)
        {
            output.AddRange(text);
            return;
        }

        var keep = Math.Max(first - 1, 0);
        output.AddRange(text[..keep]);
        text = text[keep..];

        var decoded = new ValueBuffer<int>(text.Length);
        var decomposed = new ValueBuffer<int>(text.Length + 16);
        try
        {
            DecodeUtf16(text, ref decoded);
            Decompose(decoded.Span, compatibility, ref decomposed);
            var n = compose ? Compose(decomposed.Span) : decomposed.Count;
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

    private static string NormalizeString(string text, bool compatibility, bool compose)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyInRange((char)FirstAffected, char.MaxValue))
        {
            return text;
        }

        var buffer = new ValueBuffer<char>(text.Length + 8);
        try
        {
            Normalize(text, compatibility, compose, ref buffer);
            return buffer.Span.SequenceEqual(text) ? text : new string(buffer.Span);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    // UAX #15 quick check: text whose characters all have NFC_QC=Yes and combining class 0 is already NFC.
    private static bool IsQuickNfc(string text)
    {
        var span = text.AsSpan();
        var i = span.IndexOfAnyInRange((char)0x300, char.MaxValue);
        if (i < 0)
        {
            return true;
        }

        var unstable = NfcUnstableBmp;
        for (; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsSurrogate(c) || (unstable[c >> 6] & (1UL << c)) != 0)
            {
                return false;
            }
        }

        return true;
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
        // Only NFC_QC=Maybe characters are ever the second half of a composition: most pairs end here.
        if (second < 0x10000 && (NfcUnstableBmp[second >> 6] & (1UL << second)) == 0)
        {
            return -1;
        }

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

    private static ulong[] BuildNfcUnstableBmp()
    {
        var bits = new ulong[0x10000 / 64];
        var ranges = UnicodeTables.NfcQuickCheckRanges;
        for (var r = 0; r < ranges.Length && ranges[r] < 0x10000; r += 3)
        {
            for (var cp = ranges[r]; cp <= Math.Min(ranges[r + 1], 0xFFFF); cp++)
            {
                bits[cp >> 6] |= 1UL << cp;
            }
        }

        return bits;
    }
}
