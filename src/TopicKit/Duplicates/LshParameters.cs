namespace TopicKit.Duplicates;

/// <summary>
/// The banding of a MinHash LSH index: <see cref="Bands"/> bands of <see cref="Rows"/> signature values each. Two
/// sets of Jaccard similarity s share at least one band with probability 1 − (1 − s^r)^b.
/// </summary>
/// <param name="Bands">Number of bands b.</param>
/// <param name="Rows">Signature values per band r; b·r never exceeds the number of permutations.</param>
public readonly record struct LshParameters(int Bands, int Rows)
{
    /// <summary>Probability that two sets of Jaccard similarity <paramref name="s"/> become candidates.</summary>
    public double CandidateProbability(double s) => 1 - Math.Pow(1 - Math.Pow(s, Rows), Bands);

    /// <summary>∫₀ᵗ P(candidate | s) ds: the weight of pairs below the threshold that still become candidates.</summary>
    public double FalsePositiveArea(double threshold)
    {
        var self = this;
        return Integrate(self.CandidateProbability, 0, threshold);
    }

    /// <summary>∫ₜ¹ (1 − P(candidate | s)) ds: the weight of pairs above the threshold that are missed.</summary>
    public double FalseNegativeArea(double threshold)
    {
        var self = this;
        return Integrate(s => 1 - self.CandidateProbability(s), threshold, 1);
    }

    /// <summary>
    /// The (b, r) with b·r ≤ <paramref name="permutations"/> minimising
    /// <paramref name="falsePositiveWeight"/> · FP area + <paramref name="falseNegativeWeight"/> · FN area, the rule of
    /// datasketch's <c>MinHashLSH._optimal_param</c> (ties keep the first in order of b, then r).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold outside [0, 1], no permutations, or negative weights.</exception>
    public static LshParameters Optimal(double threshold, int permutations, double falsePositiveWeight = 0.5, double falseNegativeWeight = 0.5)
    {
        if (!(threshold >= 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"the Jaccard threshold must be between 0 and 1, got {threshold}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permutations);
        ArgumentOutOfRangeException.ThrowIfNegative(falsePositiveWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(falseNegativeWeight);
        var best = new LshParameters(1, 1);
        var bestError = double.PositiveInfinity;
        for (var b = 1; b <= permutations; b++)
        {
            for (var r = 1; r <= permutations / b; r++)
            {
                var candidate = new LshParameters(b, r);
                var error = (falsePositiveWeight * candidate.FalsePositiveArea(threshold))
                    + (falseNegativeWeight * candidate.FalseNegativeArea(threshold));
                if (error < bestError)
                {
                    bestError = error;
                    best = candidate;
                }
            }
        }

        return best;
    }

    // Composite Gauss-Legendre (5 nodes, 64 panels): exact for polynomials up to degree 9 per panel and far below
    // 1e-10 off for the smooth S-curves here, which is all the comparison between banding choices needs.
    private static double Integrate(Func<double, double> f, double a, double b)
    {
        if (b <= a)
        {
            return 0;
        }

        ReadOnlySpan<double> nodes = [0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640];
        ReadOnlySpan<double> weights = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891];
        const int Panels = 64;
        var h = (b - a) / Panels;
        var sum = 0.0;
        for (var p = 0; p < Panels; p++)
        {
            var mid = a + ((p + 0.5) * h);
            for (var i = 0; i < nodes.Length; i++)
            {
                sum += weights[i] * f(mid + (0.5 * h * nodes[i]));
            }
        }

        return sum * 0.5 * h;
    }
}
