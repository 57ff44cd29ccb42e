using TopicKit.Numerics;

namespace TopicKit.Duplicates;

/// <summary>
/// Exact all-pairs cosine search above a threshold: a blocked, register-tiled dot-product kernel over the rows packed
/// once, scanning each unordered pair once (upper triangle) and keeping only the candidates above the threshold.
/// </summary>
/// <remarks>
/// <para>
/// Memory: one packed, unit-normalised copy of the rows (N rounded up to 32, times d floats: 77 MB for 50,000 x 384),
/// N norms in double, and the pairs found (16 bytes each, capped by <see cref="PairSearchOptions.MaxPairs"/>). No
/// tile of scores is stored: the kernel compares its accumulators with the bound in registers.
/// </para>
/// <para>
/// Exactness: the kernel's single-precision dot products differ from the true cosine by at most (2d + 8) units of
/// 2^-24 (normalisation plus summation of unit vectors), so it keeps every pair above the threshold minus that
/// bound; each candidate is then re-scored in double precision from the original rows and kept only when it reaches
/// the threshold. Nothing above the threshold is missed and nothing below it is reported. The result is identical at
/// any thread count.
/// </para>
/// </remarks>
public sealed class ExactPairSearch : IPairSearch
{
    // Rows of one work item: the packed block (128 x d floats) stays in L2 while the column panels stream through L1.
    private const int BlockRows = 128;

    private readonly PairSearchOptions _options;

    /// <summary>A search with the given settings (default: threshold 0.95, all threads).</summary>
    public ExactPairSearch(PairSearchOptions? options = null)
    {
        _options = options ?? new PairSearchOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "exact";

    /// <summary>Forces one kernel (tests compare them); production code leaves it at <c>Auto</c>.</summary>
    internal PanelDotKernel.Variant Kernel { get; init; } = PanelDotKernel.Variant.Auto;

    /// <inheritdoc/>
    public IReadOnlyList<ScoredPair> FindPairs(Matrix vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        vectors.EnsureFinite("vectors");
        var n = vectors.Rows;
        var dim = vectors.Columns;
        if (n < 2 || dim == 0)
        {
            return [];
        }

        var norms = PairScoring.Norms(vectors);
        var inverse = new float[n];
        for (var i = 0; i < n; i++)
        {
            inverse[i] = norms[i] > 0 ? (float)(1.0 / norms[i]) : 0f;
        }

        var packed = new PackedPanels(vectors, inverse);
        var threshold = _options.Threshold;
        var bound = (float)(threshold - ((2.0 * dim + 8) * Math.Pow(2, -24) * 1.01));
        var kernel = PanelDotKernel.Resolve(Kernel);
        var chunk = kernel == PanelDotKernel.Variant.Vector512 ? PanelDotKernel.ChunkCoordinates : dim;
        var blocks = (n + BlockRows - 1) / BlockRows;
        var results = new ScoredPair[blocks][];
        long total = 0;
        var maxPairs = _options.MaxPairs;
        var maxDop = (long)n * n * dim < (1L << 24) ? 1 : _options.MaxDegreeOfParallelism;
        BlockParallel.For(
            blocks,
            maxDop,
            () => new float[BlockRows / PanelDotKernel.RowStep * PanelDotKernel.PartialFloats],
            (block, partial) =>
            {
                var r0 = block * BlockRows;
                var rEnd = Math.Min(n, r0 + BlockRows);
                var scratch = new PairScratch(n, n, upperOnly: true);
                for (var c0 = r0 / PackedPanels.ColumnStep * PackedPanels.ColumnStep; c0 < packed.PaddedRows; c0 += PackedPanels.ColumnStep)
                {
                    // Coordinate chunks outermost: one chunk of the column panels stays in L1 for all the row blocks.
                    for (var from = 0; from < dim; from += chunk)
                    {
                        var count = Math.Min(chunk, dim - from);
                        for (var r = r0; r < rEnd; r += PanelDotKernel.RowStep)
                        {
                            // Every column of this step lies at or left of the diagonal for these rows: nothing above it.
                            if (c0 + PackedPanels.ColumnStep - 1 <= r)
                            {
                                continue;
                            }

                            var slot = partial.AsSpan((r - r0) / PanelDotKernel.RowStep * PanelDotKernel.PartialFloats, PanelDotKernel.PartialFloats);
                            PanelDotKernel.Scan(packed, r, packed, c0, bound, kernel, ref scratch, from, count, slot);
                        }
                    }

                    if (scratch.A.Count > maxPairs)
                    {
                        throw TooMany(maxPairs, threshold);
                    }
                }

                var kept = PairScoring.Verify(vectors, norms, scratch, threshold);
                if (Interlocked.Add(ref total, kept.Length) > maxPairs)
                {
                    throw TooMany(maxPairs, threshold);
                }

                results[block] = kept;
            },
            cancellationToken);

        var all = new List<ScoredPair>((int)Math.Min(total, int.MaxValue));
        foreach (var r in results)
        {
            all.AddRange(r);
        }

        return all;
    }

    internal static ArgumentException TooMany(long maxPairs, double threshold) => new(
        $"more than {maxPairs:N0} pairs have cosine >= {threshold}; raise the threshold (most rows are that similar to each other).");
}
