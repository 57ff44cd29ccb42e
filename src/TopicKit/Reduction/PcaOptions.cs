namespace TopicKit.Reduction;

/// <summary>How <see cref="Pca"/> computes the principal axes.</summary>
public enum PcaMethod
{
    /// <summary>Exact for narrow data or many components, randomized otherwise.</summary>
    Auto = 0,

    /// <summary>Exact eigen-decomposition of the covariance (or Gram) matrix in double precision.</summary>
    Exact = 1,

    /// <summary>Randomized range finder (Halko, Martinsson and Tropp 2011) with QR-orthonormalised power iterations.</summary>
    Randomized = 2,
}

/// <summary>Options of <see cref="Pca"/>.</summary>
/// <param name="Components">Number of principal components to keep (1 to min(rows, columns)).</param>
public sealed record PcaOptions(int Components)
{
    /// <summary>Subtract the column means before the decomposition. Default <c>true</c>.</summary>
    public bool Center { get; init; } = true;

    /// <summary>Scale each output column to unit variance. Default <c>false</c>.</summary>
    public bool Whiten { get; init; }

    /// <summary>Decomposition method. Default <see cref="PcaMethod.Auto"/>.</summary>
    public PcaMethod Method { get; init; } = PcaMethod.Auto;

    /// <summary>Seed of the random test matrix of the randomized method. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Extra random directions beyond <see cref="Components"/> in the randomized method. Default 10.</summary>
    public int Oversampling { get; init; } = 10;

    /// <summary>
    /// Power iterations of the randomized method; <c>null</c> (default) picks 7 when the components are fewer than a
    /// tenth of min(rows, columns) and 4 otherwise, as scikit-learn does.
    /// </summary>
    public int? PowerIterations { get; init; }
}
