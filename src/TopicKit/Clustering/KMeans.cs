using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>
/// k-means clustering: greedy k-means++ seeding, then Lloyd iterations (with Hamerly's bounds by default) or
/// mini-batch updates, keeping the best of <see cref="KMeansOptions.NInit"/> restarts by inertia.
/// </summary>
/// <remarks>
/// Bad input is rejected with a clear message: no points, k outside 1..N, a NaN/infinite value, or (cosine) an
/// all-zero row, whose direction is undefined; the message names the row, as cosine HDBSCAN's does. Data with fewer
/// than k distinct points is allowed and gives a well-defined result: some centroids coincide, labels go to the
/// lowest-index centroid among equals, and the clusters left empty are not reported (<see cref="KMeansResult.NonEmptyClusters"/>,
/// <see cref="KMeansResult.ToAssignment"/>). Every step is deterministic for a given seed at any thread count.
/// </remarks>
public sealed class KMeans : IClusterer
{
    /// <summary>Creates the clusterer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When an option is out of range.</exception>
    public KMeans(KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.K, 1, nameof(options.K));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NInit, 1, nameof(options.NInit));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIter, 1, nameof(options.MaxIter));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tol, nameof(options.Tol));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MiniBatchSize, nameof(options.MiniBatchSize));
        if (!Enum.IsDefined(options.Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Metric, "Unknown distance metric.");
        }

        if (!Enum.IsDefined(options.Algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Algorithm, "Unknown k-means algorithm.");
        }

        Options = options;
    }

    /// <summary>The settings.</summary>
    public KMeansOptions Options { get; }

    /// <inheritdoc />
    public IFittedClusterer Fit(Matrix data, CancellationToken cancellationToken = default) =>
        new KMeansModel(FitModel(data, cancellationToken), Options);

    /// <summary>Fits the model and returns centroids, labels, inertia and run statistics.</summary>
    /// <param name="data">Points (N x d), N ≥ k.</param>
    /// <param name="cancellationToken">Stops the work early with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">When there are no points or fewer points than clusters.</exception>
    /// <exception cref="InvalidDataException">When a value is NaN or infinite, or (cosine) a row is all zeros; the message names the row.</exception>
    public KMeansResult FitModel(Matrix data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var o = Options;
        if (data.Rows == 0)
        {
            throw new ArgumentException("k-means needs at least one point; the matrix has no rows.", nameof(data));
        }

        if (o.K > data.Rows)
        {
            throw new ArgumentException(
                $"k = {o.K} exceeds the number of points ({data.Rows}); choose k ≤ {data.Rows}.", nameof(data));
        }

        data.EnsureFinite("k-means input");
        var spherical = o.Metric == DistanceMetric.Cosine;
        if (spherical)
        {
            RowOps.EnsureNoZeroRows(data, "cosine k-means input");
        }

        // Euclidean runs on centred data (as scikit-learn does), for precision; centroids are shifted back at the end.
        var mean = spherical ? null : RowOps.ColumnMeans(data);
        var x = spherical ? RowOps.NormalizedCopy(data) : RowOps.CenteredCopy(data, mean);
        var xNorms = RowOps.SquaredNorms(x);
        var tolerance = o.Tol * MeanVariance(x, xNorms);

        if (o.MiniBatchSize > 0)
        {
            return Wrap(MiniBatchKMeans.Fit(x, o, spherical, cancellationToken), o.NInit, mean);
        }

        var hamerly = o.Algorithm != KMeansAlgorithm.Lloyd;
        var engine = new KMeansEngine(x, xNorms, o.K, spherical, hamerly, o.MaxDegreeOfParallelism);
        KMeansRun? best = null;
        for (var run = 0; run < o.NInit; run++)
        {
            var rng = new Random(RunSeed(o.Seed, run));
            var init = KMeansPlusPlus.Seed(x, xNorms, o.K, rng, o.MaxDegreeOfParallelism, cancellationToken);
            if (spherical)
            {
                RowOps.NormalizeInPlace(new Matrix(init, o.K, x.Columns));
            }

            var result = engine.Run(init, o.MaxIter, tolerance, cancellationToken);
            if (best is null || result.Inertia < best.Inertia)
            {
                best = result;
            }
        }

        return Wrap(best!, o.NInit, mean);
    }

    /// <summary>Seed of restart <paramref name="run"/>: a fixed mix of the user seed and the run number.</summary>
    internal static int RunSeed(int seed, int run)
    {
        var h = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)run * 0xC2B2AE3D27D4EB4FUL);
        h ^= h >> 29;
        return (int)(h & 0x7FFFFFFF);
    }

    /// <summary>Mean over features of the population variance (scikit-learn's tolerance scale).</summary>
    internal static double MeanVariance(Matrix x) => MeanVariance(x, RowOps.SquaredNorms(x));

    /// <summary>
    /// The same from the rows' squared norms: Σ_t var_t = (1/N) Σ_i ||x_i||² − ||mean||², so one vectorised pass for the
    /// column sums replaces two scalar passes over the data.
    /// </summary>
    internal static double MeanVariance(Matrix x, float[] squaredNorms)
    {
        if (x.Columns == 0 || x.Rows == 0)
        {
            return 0;
        }

        // Column sums in float over blocks of rows, accumulated across blocks in double.
        const int Block = 256;
        var blockSum = new float[x.Columns];
        var sum = new double[x.Columns];
        for (var r0 = 0; r0 < x.Rows; r0 += Block)
        {
            Array.Clear(blockSum);
            var end = Math.Min(x.Rows, r0 + Block);
            for (var i = r0; i < end; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(blockSum, x.RowReadOnly(i), blockSum);
            }

            for (var t = 0; t < sum.Length; t++)
            {
                sum[t] += blockSum[t];
            }
        }

        var norms = 0.0;
        foreach (var v in squaredNorms)
        {
            norms += v;
        }

        var meanSq = 0.0;
        foreach (var v in sum)
        {
            var m = v / x.Rows;
            meanSq += m * m;
        }

        return Math.Max(0, (norms / x.Rows) - meanSq) / x.Columns;
    }

    private KMeansResult Wrap(KMeansRun run, int nInit, double[]? mean)
    {
        var centroids = new Matrix(run.Centers, Options.K, run.Centers.Length / Options.K);
        if (mean is not null)
        {
            for (var c = 0; c < centroids.Rows; c++)
            {
                var row = centroids.Row(c);
                for (var t = 0; t < row.Length; t++)
                {
                    row[t] = (float)(row[t] + mean[t]);
                }
            }
        }

        return new(
            centroids,
            run.Labels,
            run.Distances,
            run.Inertia,
            run.Iterations,
            nInit,
            run.Converged,
            Options.Metric,
            Options.MaxDegreeOfParallelism);
    }
}
