using TopicKit.Clustering;
using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Duplicates;

/// <summary>
/// Cosine pair search for collections too large to score every pair: an inverted-file (IVF) index. Spherical k-means
/// on a sample gives <c>C</c> cells; every row joins the <see cref="PairSearchOptions.Probes"/> cells whose centres
/// are nearest to it; each cell is then searched exactly (<see cref="ExactPairSearch"/> over its members), and every
/// reported pair is re-scored exactly (double precision).
/// </summary>
/// <remarks>
/// <para>
/// A reported pair is always a true pair (its exact cosine reaches the threshold). A pair is missed only when its two
/// rows share none of their cells; near-duplicates lie so close together that they almost always share their nearest
/// cell, and the second probe catches rows near a cell boundary. Recall against the exact search is measured in
/// README "Performance" (duplicates).
/// </para>
/// <para>
/// Cost: with <c>p</c> probes a cell holds about <c>N p / C</c> rows, so the cells cost <c>N² p² d / 2C</c>
/// multiply-adds and the assignment <c>N C d</c>; <c>C = √(N p² / 2)</c> balances the two. Memory: the rows, the
/// centres, <c>N p</c> cell entries and one gathered cell per thread; never an N x N matrix.
/// </para>
/// </remarks>
public sealed class ApproximatePairSearch : IPairSearch
{
    private const int SampleRowsPerCell = 16;
    private const int TileRows = 64;
    private readonly PairSearchOptions _options;

    /// <summary>A search with the given settings (default: threshold 0.95, 2 probes, automatic cell count, seed 0).</summary>
    public ApproximatePairSearch(PairSearchOptions? options = null)
    {
        _options = options ?? new PairSearchOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "ivf";

    /// <summary>The number of cells used for <paramref name="rows"/> rows: <see cref="PairSearchOptions.Cells"/>, or √(N p² / 2).</summary>
    public int CellsFor(int rows)
    {
        var probes = _options.Probes;
        var cells = _options.Cells > 0 ? _options.Cells : (int)Math.Round(Math.Sqrt(rows * (double)probes * probes / 2));
        return Math.Clamp(cells, 1, Math.Max(1, rows / SampleRowsPerCell));
    }

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

        var cells = CellsFor(n);
        var probes = Math.Min(_options.Probes, cells);
        if (cells == 1)
        {
            return new ExactPairSearch(_options).FindPairs(vectors, cancellationToken);
        }

        var centres = Centres(vectors, cells, cancellationToken);
        var (offsets, members) = Assign(vectors, centres, probes, cancellationToken);
        return SearchCells(vectors, offsets, members, cancellationToken);
    }

    // Spherical k-means on a seeded sample of the non-zero rows (an all-zero row has cosine 0 with everything, so
    // it cannot be a duplicate and carries no direction).
    private Matrix Centres(Matrix vectors, int cells, CancellationToken cancellationToken)
    {
        var n = vectors.Rows;
        var dim = vectors.Columns;
        var nonZero = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            if (System.Numerics.Tensors.TensorPrimitives.Dot(vectors.RowReadOnly(i), vectors.RowReadOnly(i)) > 0)
            {
                nonZero.Add(i);
            }
        }

        var take = Math.Min(nonZero.Count, Math.Max(cells * SampleRowsPerCell, 10_000));
        var random = new SeededRandom((ulong)(uint)_options.Seed);
        for (var i = 0; i < take; i++)
        {
            var j = i + random.NextInt(nonZero.Count - i);
            (nonZero[i], nonZero[j]) = (nonZero[j], nonZero[i]);
        }

        var picked = nonZero.GetRange(0, take);
        picked.Sort();
        var sample = new Matrix(new float[take * dim], take, dim);
        for (var s = 0; s < take; s++)
        {
            vectors.RowReadOnly(picked[s]).CopyTo(sample.Row(s));
        }

        var k = Math.Min(cells, take);
        var options = new KMeansOptions
        {
            K = k,
            NInit = 1,
            MaxIter = 10,
            Seed = _options.Seed,
            Metric = DistanceMetric.Cosine,
            MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism,
        };
        var centroids = new KMeans(options).FitModel(sample, cancellationToken).Centroids;
        RowOps.NormalizeInPlace(centroids);
        return centroids;
    }

    // Each row's `probes` best cells by dot product with the unit centres (the row's own norm does not change the
    // order), then the cell lists in CSR form with members in row order.
    private (int[] Offsets, int[] Members) Assign(Matrix vectors, Matrix centres, int probes, CancellationToken cancellationToken)
    {
        var n = vectors.Rows;
        var dim = vectors.Columns;
        var cells = centres.Rows;
        var chosen = new int[n * probes];
        var tiles = (n + TileRows - 1) / TileRows;
        BlockParallel.For(
            tiles,
            _options.MaxDegreeOfParallelism,
            () => new float[TileRows * cells],
            (tile, dots) =>
            {
                var r0 = tile * TileRows;
                var rc = Math.Min(TileRows, n - r0);
                DotKernel.Tile(vectors.Data.AsSpan(r0 * dim, rc * dim), rc, centres.Data, cells, dim, dots, cells);
                for (var r = 0; r < rc; r++)
                {
                    TopCells(dots.AsSpan(r * cells, cells), chosen.AsSpan((r0 + r) * probes, probes));
                }
            },
            cancellationToken);

        var offsets = new int[cells + 1];
        foreach (var c in chosen)
        {
            offsets[c + 1]++;
        }

        for (var c = 0; c < cells; c++)
        {
            offsets[c + 1] += offsets[c];
        }

        var fill = offsets[..cells];
        var members = new int[chosen.Length];
        for (var i = 0; i < n; i++)
        {
            for (var p = 0; p < probes; p++)
            {
                members[fill[chosen[(i * probes) + p]]++] = i;
            }
        }

        return (offsets, members);
    }

    // The indices of the largest scores, best first; ties by the lower cell index.
    private static void TopCells(ReadOnlySpan<float> scores, Span<int> best)
    {
        best.Fill(-1);
        for (var c = 0; c < scores.Length; c++)
        {
            var s = scores[c];
            var at = best.Length;
            while (at > 0 && (best[at - 1] < 0 || scores[best[at - 1]] < s))
            {
                at--;
            }

            if (at == best.Length)
            {
                continue;
            }

            for (var t = best.Length - 1; t > at; t--)
            {
                best[t] = best[t - 1];
            }

            best[at] = c;
        }
    }

    // Every cell searched exactly on its own (one thread per cell, cells spread over threads), pairs mapped back to
    // rows, then merged: a pair found in two shared cells is kept once.
    private ScoredPair[] SearchCells(Matrix vectors, int[] offsets, int[] members, CancellationToken cancellationToken)
    {
        var dim = vectors.Columns;
        var cells = offsets.Length - 1;
        var found = new ScoredPair[cells][];
        var inner = new ExactPairSearch(_options with { MaxDegreeOfParallelism = 1, Method = PairSearchMethod.Exact });
        long total = 0;
        BlockParallel.For(
            cells,
            _options.MaxDegreeOfParallelism,
            () => 0,
            (cell, _) =>
            {
                var start = offsets[cell];
                var count = offsets[cell + 1] - start;
                if (count < 2)
                {
                    found[cell] = [];
                    return;
                }

                var sub = new Matrix(new float[count * dim], count, dim);
                for (var m = 0; m < count; m++)
                {
                    vectors.RowReadOnly(members[start + m]).CopyTo(sub.Row(m));
                }

                var local = inner.FindPairs(sub, cancellationToken);
                var mapped = new ScoredPair[local.Count];
                for (var p = 0; p < mapped.Length; p++)
                {
                    var (a, b) = (members[start + local[p].A], members[start + local[p].B]);
                    mapped[p] = new ScoredPair(Math.Min(a, b), Math.Max(a, b), local[p].Score);
                }

                if (Interlocked.Add(ref total, mapped.Length) > 2 * _options.MaxPairs)
                {
                    throw ExactPairSearch.TooMany(_options.MaxPairs, _options.Threshold);
                }

                found[cell] = mapped;
            },
            cancellationToken);

        var all = new List<ScoredPair>((int)Math.Min(total, int.MaxValue));
        foreach (var f in found)
        {
            all.AddRange(f);
        }

        all.Sort((x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        var unique = new List<ScoredPair>(all.Count);
        foreach (var pair in all)
        {
            if (unique.Count == 0 || unique[^1].A != pair.A || unique[^1].B != pair.B)
            {
                unique.Add(pair);
            }
        }

        if (unique.Count > _options.MaxPairs)
        {
            throw ExactPairSearch.TooMany(_options.MaxPairs, _options.Threshold);
        }

        return [.. unique];
    }
}

/// <summary>Chooses the pair search for a collection size.</summary>
internal static class PairSearch
{
    /// <summary>
    /// The search <paramref name="options"/> ask for: with <see cref="PairSearchMethod.Auto"/>, exact up to
    /// <see cref="PairSearchOptions.ApproximateAbove"/> rows and approximate (verified) above.
    /// </summary>
    public static IPairSearch For(int rows, PairSearchOptions? options = null)
    {
        options ??= new PairSearchOptions();
        return options.Method switch
        {
            PairSearchMethod.Exact => new ExactPairSearch(options),
            PairSearchMethod.Approximate => new ApproximatePairSearch(options),
            _ => rows > options.ApproximateAbove ? new ApproximatePairSearch(options) : new ExactPairSearch(options),
        };
    }
}
