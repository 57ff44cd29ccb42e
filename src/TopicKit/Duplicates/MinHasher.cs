using System.Runtime.Intrinsics;
using TopicKit.Numerics;
using TopicKit.Text;

namespace TopicKit.Duplicates;

/// <summary>
/// Word shingles and MinHash signatures. Text is split into lower-case words of two or more word characters
/// (<see cref="WordScanner"/>), so case, whitespace and punctuation never matter; a shingle is
/// <see cref="ShingleSize"/> consecutive words (a text with fewer words is one shingle of all of them).
/// </summary>
/// <remarks>
/// Shingles are 64-bit hashes (FNV-1a per word, mixed per position), so the sets are sorted <c>ulong</c> arrays;
/// two distinct shingles share a hash with probability about 2^-64. Permutation p maps a shingle h to
/// SplitMix64(h ⊕ seed_p), a well-mixed hash family standing in for random permutations; a signature keeps the top
/// 32 bits of the minimum per permutation. Estimates of Jaccard similarity J from P permutations have standard
/// deviation √(J(1 − J)/P).
/// </remarks>
internal sealed class MinHasher
{
    private const int MaxWordLength = 64;
    private readonly ulong[] _seeds;

    /// <summary>A hasher with <paramref name="permutations"/> hash functions over shingles of <paramref name="shingleSize"/> words.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive size or count.</exception>
    public MinHasher(int shingleSize = 3, int permutations = 128, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shingleSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permutations);
        ShingleSize = shingleSize;
        Permutations = permutations;
        _seeds = new ulong[(permutations + 3) / 4 * 4];
        var state = seed;
        for (var i = 0; i < _seeds.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            _seeds[i] = Mix(state);
        }
    }

    /// <summary>Words per shingle.</summary>
    public int ShingleSize { get; }

    /// <summary>Hash functions, i.e. values per signature.</summary>
    public int Permutations { get; }

    /// <summary>The distinct shingle hashes of <paramref name="text"/>, sorted ascending; empty when it has no words.</summary>
    public ulong[] Shingles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<ulong>(text.Length / 6);
        WordScanner.Scan(text, stackalloc char[MaxWordLength], word => words.Add(HashWord(word)));
        if (words.Count == 0)
        {
            return [];
        }

        var count = Math.Max(1, words.Count - ShingleSize + 1);
        var shingles = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            var h = 0x243F6A8885A308D3UL;
            for (var t = i; t < Math.Min(words.Count, i + ShingleSize); t++)
            {
                h = Mix(h ^ words[t]);
            }

            shingles[i] = h;
        }

        Array.Sort(shingles);
        var distinct = 1;
        for (var i = 1; i < shingles.Length; i++)
        {
            if (shingles[i] != shingles[distinct - 1])
            {
                shingles[distinct++] = shingles[i];
            }
        }

        return distinct == shingles.Length ? shingles : shingles[..distinct];
    }

    /// <summary>Writes the signature of a shingle set into <paramref name="signature"/> (length <see cref="Permutations"/>); an empty set gives all <see cref="uint.MaxValue"/>.</summary>
    public void Signature(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        if (signature.Length != Permutations)
        {
            throw new ArgumentException($"the signature needs {Permutations} values, got {signature.Length}.", nameof(signature));
        }

        Span<ulong> minima = stackalloc ulong[_seeds.Length];
        minima.Fill(ulong.MaxValue);
        var seeds = _seeds.AsSpan();
        foreach (var shingle in shingles)
        {
            var x = Vector256.Create(shingle);
            for (var p = 0; p < seeds.Length; p += 4)
            {
                var h = MixVector(x ^ Vector256.Create(seeds.Slice(p, 4)));
                Vector256.Min(h, Vector256.Create((ReadOnlySpan<ulong>)minima.Slice(p, 4))).CopyTo(minima.Slice(p, 4));
            }
        }

        for (var p = 0; p < Permutations; p++)
        {
            signature[p] = (uint)(minima[p] >> 32);
        }
    }

    /// <summary>The signature of <paramref name="text"/>'s shingles.</summary>
    public uint[] Signature(string text)
    {
        var signature = new uint[Permutations];
        Signature(Shingles(text), signature);
        return signature;
    }

    /// <summary>The fraction of positions where two signatures agree: the MinHash estimate of Jaccard similarity.</summary>
    public static double EstimateJaccard(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            throw new ArgumentException("signatures must be non-empty and of one length.", nameof(b));
        }

        var equal = 0;
        for (var i = 0; i < a.Length; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }

        return (double)equal / a.Length;
    }

    /// <summary>Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted distinct sets; 0 when both are empty.</summary>
    public static double Jaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 0;
        }

        var common = SortedSpans.IntersectionCount(a, b);
        return (double)common / (a.Length + b.Length - common);
    }

    /// <summary>Containment |A ∩ B| / min(|A|, |B|) of two sorted distinct sets: 1 when one holds the other; 0 when either is empty.</summary>
    public static double Containment(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b) =>
        a.Length == 0 || b.Length == 0 ? 0 : (double)SortedSpans.IntersectionCount(a, b) / Math.Min(a.Length, b.Length);

    private static ulong HashWord(ReadOnlySpan<char> word)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var c in word)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        return h;
    }

    // SplitMix64's finaliser: a bijection on 64 bits with full avalanche.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static Vector256<ulong> MixVector(Vector256<ulong> z)
    {
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(0x94D049BB133111EBUL);
        return z ^ Vector256.ShiftRightLogical(z, 31);
    }
}
