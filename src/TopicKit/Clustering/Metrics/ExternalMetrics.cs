namespace TopicKit.Clustering.Metrics;

/// <summary>Homogeneity, completeness and their weighted harmonic mean (V-measure).</summary>
/// <param name="Homogeneity">1 when every cluster holds points of one class only.</param>
/// <param name="Completeness">1 when all points of a class fall in one cluster.</param>
/// <param name="VMeasure">(1 + beta) h c / (beta h + c).</param>
public readonly record struct VMeasureScores(double Homogeneity, double Completeness, double VMeasure);

/// <summary>
/// Agreement between two labellings of the same points (reference classes vs predicted clusters), defined as in
/// scikit-learn: every distinct label, including a noise label such as -1, is one group. Logarithms are natural.
/// </summary>
public static class ExternalMetrics
{
    /// <summary>Adjusted Rand index: 1 for identical partitions, about 0 for random ones, may be negative.</summary>
    /// <remarks>Returns 1 in the degenerate cases scikit-learn does (e.g. both labellings a single group, or both all singletons, or no points).</remarks>
    public static double AdjustedRandIndex(ReadOnlySpan<int> classes, ReadOnlySpan<int> clusters) =>
        AdjustedRandIndex(ContingencyTable.Create(classes, clusters));

    /// <summary>Adjusted Rand index from a contingency table.</summary>
    public static double AdjustedRandIndex(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sumCells = 0.0;
        foreach (var c in table.CellCount)
        {
            sumCells += Pairs(c);
        }

        var sumClasses = 0.0;
        foreach (var c in table.ClassSizes)
        {
            sumClasses += Pairs(c);
        }

        var sumClusters = 0.0;
        foreach (var c in table.ClusterSizes)
        {
            sumClusters += Pairs(c);
        }

        var total = Pairs(table.N);
        var expected = total == 0 ? 0 : sumClasses * sumClusters / total;
        var max = (sumClasses + sumClusters) / 2;
        return max == expected ? 1.0 : (sumCells - expected) / (max - expected);
    }

    /// <summary>Mutual information (nats) between the two labellings.</summary>
    public static double MutualInformation(ReadOnlySpan<int> classes, ReadOnlySpan<int> clusters) =>
        MutualInformation(ContingencyTable.Create(classes, clusters));

    /// <summary>Mutual information (nats) from a contingency table.</summary>
    public static double MutualInformation(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.N == 0)
        {
            return 0;
        }

        double n = table.N;
        var mi = 0.0;
        for (var c = 0; c < table.CellCount.Length; c++)
        {
            double nij = table.CellCount[c];
            double ai = table.ClassSizes[table.CellClass[c]];
            double bj = table.ClusterSizes[table.CellCluster[c]];
            mi += nij / n * Math.Log(n * nij / (ai * bj));
        }

        // Rounding can leave a tiny negative value for independent labellings.
        return Math.Max(0, mi);
    }

    /// <summary>Normalised mutual information with the arithmetic-mean normaliser (scikit-learn's default): MI / ((H(C) + H(K)) / 2).</summary>
    /// <remarks>1 when both labellings are a single group (or there are no points).</remarks>
    public static double NormalizedMutualInformation(ReadOnlySpan<int> classes, ReadOnlySpan<int> clusters)
    {
        var table = ContingencyTable.Create(classes, clusters);
        if ((table.ClassLabels.Length == 1 && table.ClusterLabels.Length == 1) || table.N == 0)
        {
            return 1.0;
        }

        var mi = MutualInformation(table);
        if (mi == 0)
        {
            return 0.0;
        }

        var normaliser = Math.Max((Entropy(table.ClassSizes, table.N) + Entropy(table.ClusterSizes, table.N)) / 2, double.Epsilon);
        return mi / normaliser;
    }

    /// <summary>Homogeneity, completeness and V-measure (beta = 1 by default, the plain harmonic mean).</summary>
    /// <param name="classes">Reference labels.</param>
    /// <param name="clusters">Predicted labels.</param>
    /// <param name="beta">Weight of completeness relative to homogeneity.</param>
    public static VMeasureScores VMeasure(ReadOnlySpan<int> classes, ReadOnlySpan<int> clusters, double beta = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beta);
        var table = ContingencyTable.Create(classes, clusters);
        if (table.N == 0)
        {
            return new VMeasureScores(1, 1, 1);
        }

        var mi = MutualInformation(table);
        var hc = Entropy(table.ClassSizes, table.N);
        var hk = Entropy(table.ClusterSizes, table.N);
        var h = hc > 0 ? mi / hc : 1.0;
        var c = hk > 0 ? mi / hk : 1.0;
        var v = h + c == 0 ? 0.0 : (1 + beta) * h * c / ((beta * h) + c);
        return new VMeasureScores(h, c, v);
    }

    /// <summary>Shannon entropy (nats) of a labelling.</summary>
    public static double Entropy(ReadOnlySpan<int> labels)
    {
        var table = ContingencyTable.Create(labels, labels);
        return Entropy(table.ClassSizes, table.N);
    }

    private static double Entropy(long[] sizes, long n)
    {
        var h = 0.0;
        foreach (var s in sizes)
        {
            if (s > 0)
            {
                var p = (double)s / n;
                h -= p * Math.Log(p);
            }
        }

        return h;
    }

    private static double Pairs(long n) => n * (n - 1) / 2.0;
}
