using System.Globalization;
using System.Text;

namespace TopicKit.Corpus;

/// <summary>
/// Unicode Normalization Form C (UAX #15) in managed code. TopicKit runs with InvariantGlobalization, where
/// <see cref="string.Normalize()"/> returns non-ASCII text unchanged, so composition must not depend on ICU.
/// Tables come from <see cref="UnicodeNfcData"/>; Hangul syllables are composed algorithmically.
/// </summary>
internal static class UnicodeNfc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Tables Data = new();

    /// <summary>Returns the NFC form of <paramref name="text"/> (the same instance when nothing changes).</summary>
    public static string Normalize(string text)
    {
        if (IsQuickNfc(text))
        {
            return text;
        }

        var cps = Decompose(text);
        Reorder(cps);
        Compose(cps);
        return ToText(cps, text);
    }

    /// <summary>Returns the NFD form of <paramref name="text"/> (canonical decomposition and ordering).</summary>
    public static string Decomposed(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c >= 0xC0)
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            return text;
        }

        var cps = Decompose(text);
        Reorder(cps);
        return ToText(cps, text);
    }

    private static string ToText(List<int> cps, string original)
    {
        var sb = new StringBuilder(cps.Count);
        foreach (var cp in cps)
        {
            if (cp >= 0x10000)
            {
                sb.Append(char.ConvertFromUtf32(cp));
            }
            else if (cp >= 0)
            {
                sb.Append((char)cp);
            }
        }

        var result = sb.ToString();
        return result == original ? original : result;
    }

    // Quick check: text in which no character can decompose away, reorder or combine with its predecessor is NFC.
    private static bool IsQuickNfc(string text)
    {
        foreach (var c in text)
        {
            if (c >= 0x300 && (char.IsSurrogate(c) || Data.MayChange(c)))
            {
                return false;
            }
        }

        return true;
    }

    private static List<int> Decompose(string text)
    {
        var cps = new List<int>(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                cp = 0xFFFD; // a lone surrogate cannot be represented in UTF-8 output
            }

            AppendDecomposed(cps, cp);
        }

        return cps;
    }

    private static void AppendDecomposed(List<int> output, int cp)
    {
        if (cp is >= SBase and < SBase + SCount)
        {
            var s = cp - SBase;
            output.Add(LBase + (s / NCount));
            output.Add(VBase + (s % NCount / TCount));
            if (s % TCount != 0)
            {
                output.Add(TBase + (s % TCount));
            }

            return;
        }

        if (Data.Decomposition.TryGetValue(cp, out var parts))
        {
            foreach (var p in parts)
            {
                AppendDecomposed(output, p);
            }

            return;
        }

        output.Add(cp);
    }

    // Canonical ordering: stable sort of each run of non-starters by combining class.
    private static void Reorder(List<int> cps)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var cc = Data.Ccc(cps[i]);
            if (cc == 0)
            {
                continue;
            }

            var j = i;
            while (j > 0 && Data.Ccc(cps[j - 1]) > cc)
            {
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
                j--;
            }
        }
    }

    // Canonical composition (the UAX #15 reference algorithm); composed-away code points are marked -1.
    private static void Compose(List<int> cps)
    {
        if (cps.Count == 0)
        {
            return;
        }

        var starter = 0;
        var lastCc = Data.Ccc(cps[0]) == 0 ? 0 : 256; // a leading non-starter blocks everything after it
        for (var i = 1; i < cps.Count; i++)
        {
            var cp = cps[i];
            var cc = Data.Ccc(cp);
            if ((lastCc < cc || lastCc == 0) && TryCompose(cps[starter], cp, out var composed))
            {
                cps[starter] = composed;
                cps[i] = -1;
                continue;
            }

            if (cc == 0)
            {
                starter = i;
            }

            lastCc = cc;
        }
    }

    private static bool TryCompose(int first, int second, out int composed)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
        {
            composed = SBase + ((((first - LBase) * VCount) + (second - VBase)) * TCount);
            return true;
        }

        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
        {
            composed = first + (second - TBase);
            return true;
        }

        return Data.Composition.TryGetValue(((long)first << 21) | (uint)second, out composed);
    }

    private sealed class Tables
    {
        private readonly Dictionary<int, byte> _ccc = [];
        private readonly bool[] _bmpMayChange = new bool[0x10000];

        public Tables()
        {
            foreach (var item in UnicodeNfcData.Decompositions.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                var cp = Hex(item.AsSpan(0, eq));
                var rest = item[(eq + 1)..];
                var noCompose = rest.EndsWith('!');
                var parts = rest.TrimEnd('!').Split(',').Select(p => Hex(p)).ToArray();
                Decomposition[cp] = parts;
                if (!noCompose && parts.Length == 2)
                {
                    // A primary composite is stable; only its second part can combine with a predecessor.
                    Composition[((long)parts[0] << 21) | (uint)parts[1]] = cp;
                    Mark(parts[1]);
                }
                else
                {
                    // Singletons, exclusions and non-starter decompositions never survive NFC.
                    Mark(cp);
                }
            }

            foreach (var item in UnicodeNfcData.CombiningClasses.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = item.IndexOf(':', StringComparison.Ordinal);
                var range = item.AsSpan(0, colon);
                var cc = byte.Parse(item.AsSpan(colon + 1), CultureInfo.InvariantCulture);
                var dash = range.IndexOf('-');
                var first = Hex(dash < 0 ? range : range[..dash]);
                var last = dash < 0 ? first : Hex(range[(dash + 1)..]);
                for (var cp = first; cp <= last; cp++)
                {
                    _ccc[cp] = cc;
                    Mark(cp);
                }
            }

            // Hangul vowel and trailing jamo combine with what precedes them.
            for (var cp = VBase; cp < VBase + VCount; cp++)
            {
                Mark(cp);
            }

            for (var cp = TBase + 1; cp < TBase + TCount; cp++)
            {
                Mark(cp);
            }
        }

        public Dictionary<int, int[]> Decomposition { get; } = [];

        public Dictionary<long, int> Composition { get; } = [];

        public bool MayChange(char c) => _bmpMayChange[c];

        public int Ccc(int cp) => cp >= 0 && _ccc.TryGetValue(cp, out var cc) ? cc : 0;

        private void Mark(int cp)
        {
            if (cp < 0x10000)
            {
                _bmpMayChange[cp] = true;
            }
        }

        private static int Hex(ReadOnlySpan<char> s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
