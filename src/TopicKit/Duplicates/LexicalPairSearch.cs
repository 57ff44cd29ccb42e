using TopicKit.Numerics;

namespace TopicKit.Duplicates;

/// <summary>Settings of the lexical (MinHash LSH) duplicate search.</summary>
public sealed record LexicalSearchOptions
{
    /// <summary>Pairs whose exact shingle Jaccard similarity reaches this are reported; in [0, 1]. Default 0.5.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Words per shingle. Default 3.</summary>
    public int ShingleSize { get; init; } = 3;

    /// <summary>MinHash permutations (signature length). Default 128.</summary>
    public int Permutations { get; init; } = 128;

    /// <summary>
    /// Weight of the false-positive area when choosing the banding. Default 0.1: candidates are verified by exact
    /// Jaccard, so a false candidate only costs time while a missed pair is lost.
    /// </summary>
    public double FalsePositiveWeight { get; init; } = 0.1;

    /// <summary>Weight of the false-negative area when choosing the banding. Default 0.9.</summary>
    public double FalseNegativeWeight { get; init; } = 0.9;

    /// <summary>Seed of the hash family. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads; -1 (default) for all, 1 for serial. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold outside [0, 1] or a non-positive size.</exception>
    public void Validate()
    {
        if (!(Threshold >= 0 && Threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, $"the Jaccard threshold must be between 0 and 1, got {Threshold}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ShingleSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Permutations);
    }
}

/// <summary>
/// Lexical near-duplicates: MinHash signatures of word shingles, LSH banding (bands and rows chosen from the
/// threshold by <see cref="LshParameters.Optimal"/>) to find candidates, and exact Jaccard over the shingle sets to
/// accept them.
/// </summary>
/// <remarks>
/// Memory: the shingle sets (8 bytes per distinct shingle, about 1.2 KB per abstract) and the signatures (4 bytes per
/// permutation per text) plus one bucket table per band at a time. A text without words has no shingles and is never a
/// lexical duplicate. Deterministic at any thread count.
/// </remarks>
public sealed class LexicalPairSearch
{
    private readonly LexicalSearchOptions _options;

    /// <summary>A search with the given settings (default: Jaccard 0.5, 3-word shingles, 128 permutations).</summary>
    public LexicalPairSearch(LexicalSearchOptions? options = null)
    {
        _options = options ?? new LexicalSearchOptions();
        _options.Validate();
        Hasher = new MinHasher(_options.ShingleSize, _options.Permutations, _options.Seed);
        Banding = LshParameters.Optimal(_options.Threshold, _options.Permutations, _options.FalsePositiveWeight, _options.FalseNegativeWeight);
    }

    /// <summary>The shingler and hash family.</summary>
    internal MinHasher Hasher { get; }

    /// <summary>The banding chosen for the threshold.</summary>
    public LshParameters Banding { get; }

    /// <summary>The pairs (A &lt; B, ordered) of <paramref name="texts"/> whose exact shingle Jaccard reaches the threshold.</summary>
    public IReadOnlyList<ScoredPair> FindPairs(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var n = texts.Count;
        var permutations = Hasher.Permutations;
        var shingles = new ulong[n][];
        var signatures = new uint[(long)n * permutations];
        const int Chunk = 256;
        BlockParallel.For(
            (n + Chunk - 1) / Chunk,
            _options.MaxDegreeOfParallelism,
            () => 0,
            (chunk, _) =>
            {
                for (var i = chunk * Chunk; i < Math.Min(n, (chunk + 1) * Chunk); i++)
                {
                    shingles[i] = Hasher.Shingles(texts[i] ?? string.Empty);
                    Hasher.Signature(shingles[i], signatures.AsSpan(i * permutations, permutations));
                }
            },
            cancellationToken);

        var candidates = Candidates(shingles, signatures, cancellationToken);
        var accepted = new ScoredPair[candidates.Length];
        var keep = new bool[candidates.Length];
        BlockParallel.For(
            (candidates.Length + Chunk - 1) / Chunk,
            _options.MaxDegreeOfParallelism,
            () => 0,
            (chunk, _) =>
            {
                for (var c = chunk * Chunk; c < Math.Min(candidates.Length, (chunk + 1) * Chunk); c++)
                {
                    var a = (int)(candidates[c] >> 32);
                    var b = (int)(candidates[c] & 0xFFFFFFFF);
                    var j = MinHasher.Jaccard(shingles[a], shingles[b]);
                    keep[c] = j >= _options.Threshold && j > 0;
                    accepted[c] = new ScoredPair(a, b, j);
                }
            },
            cancellationToken);

        var result = new List<ScoredPair>();
        for (var c = 0; c < candidates.Length; c++)
        {
            if (keep[c])
            {
                result.Add(accepted[c]);
            }
        }

        return result;
    }

    /// <summary>Exact Jaccard similarity of the shingle sets of two texts.</summary>
    public double Jaccard(string a, string b) => MinHasher.Jaccard(Hasher.Shingles(a), Hasher.Shingles(b));

    /// <summary>
    /// Word-set containment of two texts: the share of the smaller set of distinct words (lower-case, two or more word
    /// characters, as for shingles) that the other text also holds. 1 when one text's words are all in the other (a
    /// truncated, reordered or untitled copy); 0 when either has no words.
    /// </summary>
    public static double WordContainment(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return MinHasher.Containment(WordHasher.Shingles(a), WordHasher.Shingles(b));
    }

    // One-word shingles are the distinct words' hashes; the permutations are never used.
    private static readonly MinHasher WordHasher = new(shingleSize: 1, permutations: 1);

    // Candidate pairs as (a << 32 | b), a < b, sorted and distinct.
    private long[] Candidates(ulong[][] shingles, uint[] signatures, CancellationToken cancellationToken)
    {
        var n = shingles.Length;
        var permutations = Hasher.Permutations;
        var (bands, rows) = (Banding.Bands, Banding.Rows);
        var pairs = new HashSet<long>();
        var next = new int[n];
        var heads = new Dictionary<ulong, int>(n);
        for (var band = 0; band < bands; band++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            heads.Clear();
            for (var i = 0; i < n; i++)
            {
                next[i] = -1;
                if (shingles[i].Length == 0)
                {
                    continue;
                }

                var key = 0x9E3779B97F4A7C15UL * (ulong)(band + 1);
                var sig = signatures.AsSpan((i * permutations) + (band * rows), rows);
                foreach (var v in sig)
                {
                    key = (key ^ v) * 0x100000001B3UL;
                    key ^= key >> 29;
                }

                // Bucket lists are threaded through next[], newest first; candidates are every earlier member.
                if (heads.TryGetValue(key, out var head))
                {
                    for (var m = head; m >= 0; m = next[m])
                    {
                        pairs.Add(((long)m << 32) | (uint)i);
                    }

                    next[i] = head;
                }

                heads[key] = i;
            }
        }

        var result = pairs.ToArray();
        Array.Sort(result);
        return result;
    }
}
