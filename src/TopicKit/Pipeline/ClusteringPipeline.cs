using System.Diagnostics;
using System.Globalization;
using TopicKit.Clustering;
using TopicKit.Clustering.Metrics;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Reduction;

namespace TopicKit.Pipeline;

/// <summary>
/// Reduce-then-cluster over an embeddings matrix: optional UMAP or PCA, then HDBSCAN or k-means (fixed k or the best
/// silhouette over a k range), then a summary (cluster sizes, noise share, sampled silhouette).
/// </summary>
/// <remarks>
/// Every option is checked against the data before any long work starts, so bad input fails at once with a message
/// naming the option and the limit. Deterministic for a given seed at any thread count.
/// </remarks>
public static class ClusteringPipeline
{
    /// <summary>Runs the pipeline.</summary>
    /// <param name="data">Input vectors (N x d), finite.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives a short message as each stage starts (may be <see langword="null"/>).</param>
    /// <param name="cancellationToken">Stops the work early with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">An option does not fit the data (k &gt; N, min cluster size &gt; N, no rows, ...).</exception>
    /// <exception cref="InvalidDataException">A value is NaN or infinite (the message names the row and column).</exception>
    public static ClusteringPipelineResult Run(
        Matrix data, ClusteringPipelineOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ClusteringPipelineOptions();
        var reduction = Validate(data, options);
        data.EnsureFinite("clustering input");
        cancellationToken.ThrowIfCancellationRequested();

        var watch = Stopwatch.StartNew();
        var space = data;
        if (reduction.Kind != ReductionKind.None)
        {
            progress?.Report(Invariant($"reducing {data.Rows} x {data.Columns} with {reduction}"));
            space = Reduce(data, reduction, options, cancellationToken);
        }

        var reduceTime = watch.Elapsed;
        var clusterMetric = reduction.Kind == ReductionKind.Umap ? DistanceMetric.Euclidean : options.Metric ?? DistanceMetric.Euclidean;
        cancellationToken.ThrowIfCancellationRequested();
        watch.Restart();
        ClusterAssignment assignment;
        KMeansResult? kmeans = null;
        IReadOnlyList<KMeansCandidate>? candidates = null;
        HdbscanResult? hdbscan = null;
        if (options.Algorithm == ClusterAlgorithm.Hdbscan)
        {
            progress?.Report(Invariant($"hdbscan on {space.Rows} x {space.Columns} (min cluster size {options.MinClusterSize}, min samples {options.MinSamples ?? options.MinClusterSize})"));
            hdbscan = new Hdbscan(new HdbscanOptions
            {
                MinClusterSize = options.MinClusterSize,
                MinSamples = options.MinSamples,
                ClusterSelectionMethod = options.Method,
                Metric = clusterMetric,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            }).FitDetailed(space, cancellationToken);
            assignment = hdbscan.ToAssignment();
        }
        else
        {
            var kmeansOptions = new KMeansOptions
            {
                K = options.K,
                NInit = options.NInit,
                Seed = options.Seed,
                Metric = clusterMetric,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            };
            if (options.KRange is { } range)
            {
                progress?.Report(Invariant($"k-means for k = {range.Min}..{range.Max} on {space.Rows} x {space.Columns}, choosing k by silhouette"));
                var selection = KMeansModelSelection.Select(
                    space, range.Min, range.Max, kmeansOptions, options.SilhouetteSampleSize, cancellationToken);
                kmeans = selection.Model;
                candidates = selection.Candidates;
            }
            else
            {
                progress?.Report(Invariant($"k-means with k = {options.K} on {space.Rows} x {space.Columns}"));
                kmeans = new KMeans(kmeansOptions).FitModel(space, cancellationToken);
            }

            assignment = kmeans.ToAssignment();
        }

        var clusterTime = watch.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();
        var (silhouette, silhouettePoints) = ComputeSilhouette(space, assignment, clusterMetric, options, progress);
        return new ClusteringPipelineResult(assignment, reduction, space.Columns, clusterMetric, silhouette, silhouettePoints)
        {
            KMeans = kmeans,
            Candidates = candidates,
            Hdbscan = hdbscan,
            ReduceTime = reduceTime,
            ClusterTime = clusterTime,
        };
    }

    /// <summary>Checks the options against the data and returns the reduction that will run.</summary>
    private static ReductionSpec Validate(Matrix data, ClusteringPipelineOptions options)
    {
        var n = data.Rows;
        if (n == 0)
        {
            throw new ArgumentException("the input matrix has no rows; there is nothing to cluster.");
        }

        if (data.Columns == 0)
        {
            throw new ArgumentException($"the input matrix has {n} rows but no columns; there is nothing to cluster.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.SilhouetteSampleSize, 2, nameof(options.SilhouetteSampleSize));
        if (options.Algorithm == ClusterAlgorithm.Hdbscan)
        {
            if (options.MinClusterSize < 2)
            {
                throw new ArgumentException(Invariant($"MinClusterSize must be at least 2 (got {options.MinClusterSize})."), nameof(options.MinClusterSize));
            }

            if (options.MinClusterSize > n)
            {
                throw new ArgumentException(Invariant($"MinClusterSize {options.MinClusterSize} is larger than the {n} points; use at most {n}."), nameof(options.MinClusterSize));
            }

            if (options.MinSamples is { } minSamples && (minSamples < 1 || minSamples > n))
            {
                throw new ArgumentException(Invariant($"MinSamples must be between 1 and the {n} points (got {minSamples})."), nameof(options.MinSamples));
            }
        }
        else if (options.KRange is { } range)
        {
            if (range.Min < 2 || range.Max < range.Min)
            {
                throw new ArgumentException(Invariant($"KRange {range.Min}..{range.Max} is empty or starts below 2; the silhouette needs at least 2 clusters."), nameof(options.KRange));
            }

            if (range.Max > n - 1)
            {
                throw new ArgumentException(Invariant($"KRange {range.Min}..{range.Max} goes beyond N - 1 = {n - 1} (the silhouette needs fewer clusters than points)."), nameof(options.KRange));
            }
        }
        else
        {
            if (options.K < 1)
            {
                throw new ArgumentException(Invariant($"K must be at least 1 (got {options.K})."), nameof(options.K));
            }

            if (options.K > n)
            {
                throw new ArgumentException(Invariant($"K {options.K} is larger than the {n} points; use at most {n}."), nameof(options.K));
            }
        }

        if (options.Algorithm == ClusterAlgorithm.KMeans && options.NInit < 1)
        {
            throw new ArgumentException(Invariant($"NInit must be at least 1 (got {options.NInit})."), nameof(options.NInit));
        }

        var reduction = options.EffectiveReduction;
        if (reduction.Kind == ReductionKind.None || reduction.Components >= data.Columns)
        {
            // Reducing to as many dimensions as the input has (or more) adds nothing but noise from the optimiser.
            return ReductionSpec.None;
        }

        if (reduction.Kind == ReductionKind.Pca && reduction.Components > n)
        {
            throw new ArgumentException(Invariant($"Reduction {reduction} needs at least {reduction.Components} rows; the input has {n}. Use fewer components or Reduction none."), nameof(options.Reduction));
        }

        if (reduction.Kind == ReductionKind.Umap)
        {
            if (options.UmapNeighbors < 2)
            {
                throw new ArgumentException(Invariant($"UmapNeighbors must be at least 2 (got {options.UmapNeighbors})."), nameof(options.UmapNeighbors));
            }

            if (n <= reduction.Components + 1)
            {
                throw new ArgumentException(Invariant($"Reduction {reduction} needs more than {reduction.Components + 1} rows; the input has {n}. Use Reduction none for so few points."), nameof(options.Reduction));
            }
        }

        return reduction;
    }

    private static Matrix Reduce(Matrix data, ReductionSpec reduction, ClusteringPipelineOptions options, CancellationToken cancellationToken)
    {
        IReducer reducer = reduction.Kind == ReductionKind.Pca
            ? new Pca(new PcaOptions(reduction.Components) { Seed = options.Seed })
            : new Umap(new UmapOptions
            {
                NComponents = reduction.Components,
                NNeighbors = options.UmapNeighbors,
                MinDist = options.UmapMinDist,
                Metric = options.Metric ?? DistanceMetric.Cosine,
                Seed = options.Seed,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            });
        return reducer.Fit(data, cancellationToken).Embedding;
    }

    private static (double? Value, int Points) ComputeSilhouette(
        Matrix space, ClusterAssignment assignment, DistanceMetric metric, ClusteringPipelineOptions options, IProgress<string>? progress)
    {
        var clustered = 0;
        var occupied = new bool[assignment.ClusterCount];
        foreach (var label in assignment.Labels)
        {
            if (label >= 0)
            {
                clustered++;
                occupied[label] = true;
            }
        }

        // k-means on data with fewer distinct points than k leaves clusters empty; only occupied ones count.
        var clusters = occupied.Count(o => o);
        if (clusters < 2 || clusters > clustered - 1)
        {
            return (null, 0);
        }

        var points = Math.Min(clustered, options.SilhouetteSampleSize);
        progress?.Report(Invariant($"silhouette on {points} of {clustered} clustered points"));
        double value;
        try
        {
            value = InternalMetrics.SilhouetteSampled(space, assignment.Labels, points, options.Seed, metric, options.MaxDegreeOfParallelism);
        }
        catch (ArgumentException)
        {
            // A sample can miss all but one cluster (many tiny clusters, small sample): the index is undefined there.
            return (null, 0);
        }

        return double.IsFinite(value) ? (value, points) : (null, 0);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
