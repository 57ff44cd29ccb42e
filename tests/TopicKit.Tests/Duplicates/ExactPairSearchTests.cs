using TopicKit.Duplicates;
using TopicKit.Numerics;

namespace TopicKit.Tests.Duplicates;

public sealed class ExactPairSearchTests
{
    // Brute force in double precision over every pair: the independent expectation.
    private static List<(int, int)> BruteForce(Matrix x, double threshold)
    {
        var result = new List<(int, int)>();
        for (var i = 0; i < x.Rows; i++)
        {
            for (var j = i + 1; j < x.Rows; j++)
            {
                double dot = 0, ni = 0, nj = 0;
                for (var t = 0; t < x.Columns; t++)
                {
                    dot += (double)x[i, t] * x[j, t];
                    ni += (double)x[i, t] * x[i, t];
                    nj += (double)x[j, t] * x[j, t];
                }

                var cos = ni == 0 || nj == 0 ? 0 : dot / Math.Sqrt(ni * nj);
                if (cos >= threshold)
                {
                    result.Add((i, j));
                }
            }
        }

        return result;
    }

    private static Matrix Random(int n, int dim, ulong seed, int copies)
    {
        var rng = new SeededRandom(seed);
        var x = new Matrix(n, dim);
        for (var i = 0; i < x.Data.Length; i++)
        {
            x.Data[i] = (float)rng.NextGaussian();
        }

        // Identical rows, scaled copies (cosine exactly 1), near copies and an all-zero row.
        for (var c = 0; c < copies; c++)
        {
            var src = rng.NextInt(n);
            var dst = rng.NextInt(n);
            var scale = c % 3 == 0 ? 1f : 2.5f;
            for (var t = 0; t < dim; t++)
            {
                x[dst, t] = (x[src, t] * scale) + (c % 2 == 0 ? 0f : 0.05f * (float)rng.NextGaussian());
            }
        }

        x.Row(n / 2).Clear();
        return x;
    }

    public static TheoryData<int, int, double, string> Cases() => new()
    {
        { 77, 5, 0.6, "Auto" },
        { 200, 24, 0.3, "Vector512" },
        { 200, 24, 0.3, "Vector256" },
        { 131, 384, 0.1, "Auto" },
        { 131, 384, 0.1, "Vector256" },
        { 65, 130, 0.05, "Scalar" },
        { 300, 3, 0.95, "Auto" },
        { 33, 200, 0.0, "Auto" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesBruteForceIncludingTiesCopiesAndZeroRows(int n, int dim, double threshold, string kernel)
    {
        var x = Random(n, dim, (ulong)(n * 31 + dim), copies: n / 5);
        var search = new ExactPairSearch(new PairSearchOptions { Threshold = threshold }) { Kernel = Enum.Parse<PanelDotKernel.Variant>(kernel) };
        var pairs = search.FindPairs(x);
        Assert.Equal(BruteForce(x, threshold), pairs.Select(p => (p.A, p.B)).ToList());
        Assert.All(pairs, p => Assert.True(p.Score >= threshold && p.A < p.B));
    }

    [Fact]
    public void IdenticalRowsScoreOneAndTheResultDoesNotDependOnThreads()
    {
        var x = Random(500, 64, 5, copies: 120);
        for (var t = 0; t < 64; t++)
        {
            x[10, t] = x[400, t];
        }

        var serial = new ExactPairSearch(new PairSearchOptions { Threshold = 0.4, MaxDegreeOfParallelism = 1 }).FindPairs(x);
        var parallel = new ExactPairSearch(new PairSearchOptions { Threshold = 0.4 }).FindPairs(x);
        Assert.Equal(serial, parallel);
        Assert.Contains(serial, p => p.A == 10 && p.B == 400 && Math.Abs(p.Score - 1) < 1e-12);
    }

    [Fact]
    public void ApproximateSearchReportsOnlyVerifiedPairsAndFindsPlantedCopies()
    {
        var x = Random(2000, 32, 9, copies: 0);
        for (var c = 0; c < 50; c++)
        {
            for (var t = 0; t < 32; t++)
            {
                x[1000 + c, t] = x[c, t] * 1.5f;
            }
        }

        var truth = BruteForce(x, 0.9);
        var found = new ApproximatePairSearch(new PairSearchOptions { Threshold = 0.9 }).FindPairs(x).Select(p => (p.A, p.B)).ToList();
        Assert.Empty(found.Except(truth));
        Assert.True(found.Count >= 0.95 * truth.Count, $"{found.Count} of {truth.Count}");
        Assert.True(truth.Count >= 50);
    }

    [Fact]
    public void ApproximateSearchOnClusteredRowsIsSortedThreadIndependentAndFindsNearCopies()
    {
        // 40 tight clusters (like topics) with 120 near copies at cosine ~0.99 and the all-zero row of Random().
        var rng = new SeededRandom(21);
        var centres = Random(40, 48, 22, copies: 0);
        var x = Random(4000, 48, 23, copies: 0);
        for (var i = 0; i < x.Rows; i++)
        {
            if (i == x.Rows / 2)
            {
                continue;
            }

            var c = rng.NextInt(40);
            for (var t = 0; t < 48; t++)
            {
                x[i, t] = (3f * centres[c, t]) + x[i, t];
            }
        }

        for (var copy = 0; copy < 120; copy++)
        {
            var (src, dst) = (rng.NextInt(x.Rows), rng.NextInt(x.Rows));
            if (src == x.Rows / 2 || dst == x.Rows / 2)
            {
                continue;
            }

            for (var t = 0; t < 48; t++)
            {
                x[dst, t] = x[src, t] + (0.3f * (float)rng.NextGaussian());
            }
        }

        var options = new PairSearchOptions { Threshold = 0.95, Method = PairSearchMethod.Approximate };
        var search = new ApproximatePairSearch(options);
        Assert.True(search.CellsFor(x.Rows) > 1);
        var parallel = search.FindPairs(x);
        var serial = new ApproximatePairSearch(options with { MaxDegreeOfParallelism = 1 }).FindPairs(x);
        Assert.Equal(serial, parallel);
        for (var p = 1; p < parallel.Count; p++)
        {
            Assert.True(parallel[p - 1].A < parallel[p].A || (parallel[p - 1].A == parallel[p].A && parallel[p - 1].B < parallel[p].B));
        }

        var truth = BruteForce(x, 0.95);
        var found = parallel.Select(p => (p.A, p.B)).ToList();
        Assert.Empty(found.Except(truth));
        Assert.True(truth.Count >= 60, $"{truth.Count} true pairs");
        Assert.True(found.Count >= 0.95 * truth.Count, $"{found.Count} of {truth.Count}");
        Assert.All(parallel, p => Assert.True(p.Score >= 0.95));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void ThresholdOutsideUnitIntervalIsRejected(double threshold) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactPairSearch(new PairSearchOptions { Threshold = threshold }));

    [Fact]
    public void NonFiniteRowsAreNamed()
    {
        var x = Random(40, 8, 1, 0);
        x[7, 3] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() => new ExactPairSearch().FindPairs(x));
        Assert.Contains("row 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyPairsStopsWithAClearError()
    {
        var x = new Matrix(100, 4);
        x.Data.AsSpan().Fill(1f);
        var e = Assert.Throws<ArgumentException>(() => new ExactPairSearch(new PairSearchOptions { Threshold = 0.5, MaxPairs = 100 }).FindPairs(x));
        Assert.Contains("raise the threshold", e.Message, StringComparison.Ordinal);
    }
}
