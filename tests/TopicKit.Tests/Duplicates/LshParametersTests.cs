using TopicKit.Duplicates;

namespace TopicKit.Tests.Duplicates;

public sealed class LshParametersTests
{
    // ∫₀ᵗ 1 − (1 − s^r)^b ds by the binomial expansion, term by term: exact for small b.
    private static double FalsePositive(int b, int r, double t)
    {
        var sum = t;
        for (var k = 0; k <= b; k++)
        {
            sum -= Binomial(b, k) * Math.Pow(-1, k) * Math.Pow(t, (r * k) + 1) / ((r * k) + 1);
        }

        return sum;
    }

    // ∫ₜ¹ (1 − s^r)^b ds = F(1) − F(t) with F(x) = Σ C(b,k)(−1)^k x^{rk+1}/(rk+1).
    private static double FalseNegative(int b, int r, double t)
    {
        double F(double x)
        {
            var sum = 0.0;
            for (var k = 0; k <= b; k++)
            {
                sum += Binomial(b, k) * Math.Pow(-1, k) * Math.Pow(x, (r * k) + 1) / ((r * k) + 1);
            }

            return sum;
        }

        return F(1) - F(t);
    }

    private static double Binomial(int n, int k)
    {
        var c = 1.0;
        for (var i = 1; i <= k; i++)
        {
            c = c * (n - k + i) / i;
        }

        return c;
    }

    [Fact]
    public void AreasMatchClosedForms()
    {
        // b = r = 1: P(s) = s, so FP = t²/2 and FN = (1 − t)²/2.
        var one = new LshParameters(1, 1);
        Assert.Equal(0.5 * 0.7 * 0.7, one.FalsePositiveArea(0.7), 12);
        Assert.Equal(0.5 * 0.3 * 0.3, one.FalseNegativeArea(0.7), 12);

        // b = 2, r = 3 at t = 0.5 by hand: ∫₀^½ 2s³ − s⁶ ds = 2/64 − 1/896 = 0.030133928...
        Assert.Equal((2.0 / 64) - (1.0 / 896), new LshParameters(2, 3).FalsePositiveArea(0.5), 12);
        foreach (var (b, r, t) in new[] { (4, 2, 0.3), (5, 3, 0.5), (8, 2, 0.8), (3, 5, 0.6) })
        {
            var p = new LshParameters(b, r);
            Assert.Equal(FalsePositive(b, r, t), p.FalsePositiveArea(t), 10);
            Assert.Equal(FalseNegative(b, r, t), p.FalseNegativeArea(t), 10);
        }
    }

    [Theory]
    [InlineData(0.5, 16, 0.5, 0.5)]
    [InlineData(0.8, 12, 0.5, 0.5)]
    [InlineData(0.3, 16, 0.1, 0.9)]
    [InlineData(0.6, 10, 0.9, 0.1)]
    public void OptimalMinimisesTheWeightedClosedFormError(double t, int permutations, double wfp, double wfn)
    {
        var best = (Error: double.PositiveInfinity, B: 0, R: 0);
        for (var b = 1; b <= permutations; b++)
        {
            for (var r = 1; r <= permutations / b; r++)
            {
                var e = (wfp * FalsePositive(b, r, t)) + (wfn * FalseNegative(b, r, t));
                if (e < best.Error - 1e-12)
                {
                    best = (e, b, r);
                }
            }
        }

        Assert.Equal(new LshParameters(best.B, best.R), LshParameters.Optimal(t, permutations, wfp, wfn));
    }

    [Fact]
    public void DefaultBandingAtHalfIsThirtyTwoBandsOfFour()
    {
        // With false negatives weighted 0.9 (candidates are verified), 128 permutations at Jaccard 0.5 pick b=32, r=4.
        var p = new LexicalPairSearch().Banding;
        Assert.Equal(new LshParameters(32, 4), p);
        Assert.True(p.CandidateProbability(0.6) > 0.98);
    }
}
