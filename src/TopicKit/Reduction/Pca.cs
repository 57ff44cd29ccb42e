using TopicKit.Numerics;

namespace TopicKit.Reduction;

/// <summary>
/// Principal component analysis: exact (double-precision eigen-decomposition) or randomized (Halko et al.),
/// with deterministic component signs (the largest-magnitude loading of every component is positive).
/// </summary>
public sealed class Pca : IReducer
{
    /// <summary>Creates a PCA reducer.</summary>
    public Pca(PcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Components, 1, nameof(options.Components));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Oversampling, nameof(options.Oversampling));
        if (options.PowerIterations is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PowerIterations must be zero or more.");
        }

        Options = options;
    }

    /// <summary>The options this reducer was built with.</summary>
    public PcaOptions Options { get; }

    /// <inheritdoc />
    IFittedReducer IReducer.Fit(Matrix data, CancellationToken cancellationToken) => Fit(data, cancellationToken);

    /// <summary>Learns the principal axes of <paramref name="data"/> and projects it onto them.</summary>
    /// <exception cref="ArgumentException">When there are more components than min(rows, columns) or the data has no rows.</exception>
    public PcaModel Fit(Matrix data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var n = data.Rows;
        var d = data.Columns;
        if (n < 1 || d < 1)
        {
            throw new ArgumentException($"PCA needs a non-empty matrix; got {n} x {d}.", nameof(data));
        }

        var c = Options.Components;
        if (c > Math.Min(n, d))
        {
            throw new ArgumentException($"PCA of a {n} x {d} matrix can keep at most {Math.Min(n, d)} components; {c} were requested.", nameof(data));
        }

        data.EnsureFinite("PCA input");
        var mean = Options.Center ? PcaSolver.ColumnMeans(data) : new float[d];
        var centered = Options.Center ? PcaSolver.Subtract(data, mean) : data;
        var method = Options.Method;
        if (method == PcaMethod.Auto)
        {
            // Exact eigen-decomposition costs O(min(n,d)^3) plus the covariance; the randomized sketch wins
            // once the matrix is wide and few components are wanted.
            method = Math.Min(n, d) <= 256 || c >= 0.25 * Math.Min(n, d) ? PcaMethod.Exact : PcaMethod.Randomized;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (components, singular) = method == PcaMethod.Exact
            ? PcaSolver.Exact(centered, c)
            : PcaSolver.Randomized(centered, c, Options.Oversampling, Options.PowerIterations ?? (c < 0.1 * Math.Min(n, d) ? 7 : 4), Options.Seed, cancellationToken);
        PcaSolver.FixSigns(components, d);

        var denominator = Math.Max(n - 1, 1);
        var explained = new double[c];
        for (var i = 0; i < c; i++)
        {
            explained[i] = singular[i] * singular[i] / denominator;
        }

        var total = PcaSolver.TotalVariance(centered) / denominator;
        var ratio = new double[c];
        for (var i = 0; i < c; i++)
        {
            ratio[i] = total > 0 ? explained[i] / total : 0;
        }

        var componentMatrix = new Matrix(Array.ConvertAll(components, v => (float)v), c, d);
        return new PcaModel(componentMatrix, mean, explained, ratio, Options.Whiten, centered);
    }
}
