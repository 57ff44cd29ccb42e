using TopicKit.Duplicates;

namespace TopicKit.Tests.Duplicates;

public sealed class MinHashTests
{
    // Two texts of distinct made-up words sharing `common` of their 3-shingles: each text is one run of unique words,
    // so the shingle sets are known exactly.
    private static (string A, string B, double Jaccard) Pair(int common, int onlyA, int onlyB, int salt)
    {
        string W(string tag, int i) => $"w{tag}{salt}x{i}";
        var shared = Enumerable.Range(0, common + 2).Select(i => W("c", i)).ToList();
        var a = string.Join(' ', shared.Concat(Enumerable.Range(0, onlyA).Select(i => W("a", i))));
        var b = string.Join(' ', shared.Concat(Enumerable.Range(0, onlyB).Select(i => W("b", i))));
        return (a, b, 0);
    }

    [Theory]
    [InlineData(100, 100, 100)]
    [InlineData(300, 50, 40)]
    [InlineData(50, 200, 220)]
    [InlineData(150, 0, 10)]
    public void EstimateIsWithinTheTheoreticalErrorOfTheExactJaccard(int common, int onlyA, int onlyB)
    {
        var hasher = new MinHasher(shingleSize: 3, permutations: 256);
        var worst = 0.0;
        for (var salt = 0; salt < 20; salt++)
        {
            var (a, b, _) = Pair(common, onlyA, onlyB, salt);
            var sa = hasher.Shingles(a);
            var sb = hasher.Shingles(b);
            var exact = MinHasher.Jaccard(sa, sb);
            Assert.Equal((double)common / (common + onlyA + onlyB), exact, 12);
            var estimate = MinHasher.EstimateJaccard(hasher.Signature(a), hasher.Signature(b));
            var sigma = Math.Sqrt(exact * (1 - exact) / hasher.Permutations);
            worst = Math.Max(worst, Math.Abs(estimate - exact) / Math.Max(sigma, 1e-9));
            Assert.True(Math.Abs(estimate - exact) <= (4.5 * sigma) + (1.0 / hasher.Permutations), $"salt {salt}: estimate {estimate} vs exact {exact} (sigma {sigma})");
        }

        Assert.True(worst > 0.1, "estimates should scatter around the exact value, not equal it");
    }

    [Fact]
    public void ShinglesIgnoreCasePunctuationAndWhitespaceAndJaccardIsHandComputed()
    {
        var hasher = new MinHasher(shingleSize: 2);
        Assert.Equal(hasher.Shingles("Alpha beta, GAMMA\n\tdelta."), hasher.Shingles("alpha  BETA gamma delta"));

        // {ab, bc, cd} vs {ab, bc, ce}: 2 common of 4 distinct.
        Assert.Equal(0.5, MinHasher.Jaccard(hasher.Shingles("aa bb cc dd"), hasher.Shingles("aa bb cc ee")), 12);
        Assert.Single(hasher.Shingles("lonely"));
        Assert.Empty(hasher.Shingles("  , . "));
        Assert.Equal(1.0, MinHasher.EstimateJaccard(hasher.Signature("aa bb cc"), hasher.Signature("AA bb, cc")));
    }
}
