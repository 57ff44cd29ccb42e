using TopicKit.Neighbors;

namespace TopicKit.Clustering;

/// <summary>Which full-batch iteration scheme k-means runs.</summary>
public enum KMeansAlgorithm
{
    /// <summary>Hamerly's bounds for full-batch runs (they skip most distance computations once clusters settle).</summary>
    Auto = 0,

    /// <summary>Plain Lloyd iterations: every point against every centroid each iteration (blocked dot-product tiles).</summary>
    Lloyd = 1,

    /// <summary>
    /// Lloyd iterations with Hamerly's triangle-inequality bounds (one upper and one lower bound per point): a point is
    /// only re-scored when its bounds can no longer prove its centroid is still the nearest. Same fixed point as Lloyd.
    /// </summary>
    Hamerly = 2,
}

/// <summary>Settings of <see cref="KMeans"/>; defaults follow scikit-learn 1.4+ where it has one.</summary>
public sealed record KMeansOptions
{
    /// <summary>Number of clusters (default 8, as scikit-learn).</summary>
    public int K { get; init; } = 8;

    /// <summary>
    /// Independent k-means++ restarts; the run with the lowest inertia wins. Default 3, where scikit-learn's
    /// <c>n_init='auto'</c> means 1 for k-means++: one TopicKit run costs about a fifth of scikit-learn's, so three
    /// restarts still finish in about half of scikit-learn's single-run time and reach a lower inertia than its
    /// default (README "Performance", k-means). Set 1 to compare run for run.
    /// </summary>
    public int NInit { get; init; } = 3;

    /// <summary>Maximum Lloyd iterations per run (default 300). For mini-batch runs: maximum passes over the data.</summary>
    public int MaxIter { get; init; } = 300;

    /// <summary>
    /// Relative convergence tolerance (default 1e-4), scaled as in scikit-learn: a run stops when the summed squared
    /// centroid shift falls to <c>Tol × mean per-feature variance of the data</c> (of the normalised rows for cosine),
    /// or when no label changes.
    /// </summary>
    public double Tol { get; init; } = 1e-4;

    /// <summary>Seed of the k-means++ sampling (and of mini-batch sampling); the same seed gives bit-identical results at any thread count.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Euclidean (default) or cosine. Cosine runs spherical k-means: rows are L2-normalised, centroids are
    /// re-normalised after every update, and distances/inertia are Euclidean on the unit sphere (= 2 − 2 cos).
    /// </summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Full-batch iteration scheme (default <see cref="KMeansAlgorithm.Auto"/>). Ignored in mini-batch mode.</summary>
    public KMeansAlgorithm Algorithm { get; init; } = KMeansAlgorithm.Auto;

    /// <summary>
    /// 0 (default) for full-batch k-means; a positive batch size runs mini-batch k-means (scikit-learn's
    /// MiniBatchKMeans scheme: per-centroid learning rate 1/count, early stop when the smoothed batch inertia stops
    /// improving for 10 batches), followed by one full assignment pass. Unlike scikit-learn, centres that attract few
    /// points are not randomly reassigned during mini-batch steps.
    /// </summary>
    public int MiniBatchSize { get; init; }

    /// <summary>Threads to use (-1 = all). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
