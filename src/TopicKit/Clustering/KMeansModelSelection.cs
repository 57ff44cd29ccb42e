using TopicKit.Clustering.Metrics;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>One candidate k of a model selection.</summary>
/// <param name="K">Number of clusters.</param>
/// <param name="Inertia">Inertia of the fitted model.</param>
/// <param name="Silhouette">Mean silhouette on the evaluation sample (in the model's metric).</param>
/// <param name="Iterations">Iterations of the fitted model.</param>
public sealed record KMeansCandidate(int K, double Inertia, double Silhouette, int Iterations);

/// <summary>The outcome of choosing k: every candidate and the chosen one.</summary>
/// <param name="Candidates">One row per k tried, ascending k.</param>
/// <param name="ChosenK">The k with the highest silhouette (the smaller k on ties).</param>
/// <param name="Model">The model fitted with <paramref name="ChosenK"/>.</param>
public sealed record KMeansSelection(IReadOnlyList<KMeansCandidate> Candidates, int ChosenK, KMeansResult Model);

/// <summary>Chooses k for k-means over a range by the mean silhouette on a seeded sample of points.</summary>
public static class KMeansModelSelection
{
    /// <summary>Fits k-means for every k in [<paramref name="minK"/>, <paramref name="maxK"/>] and picks the best silhouette.</summary>
    /// <param name="data">Points (N x d).</param>
    /// <param name="minK">Smallest k, at least 2 (silhouette needs two clusters).</param>
    /// <param name="maxK">Largest k, at most N - 1.</param>
    /// <param name="options">Other k-means settings (its K is ignored); the metric also drives the silhouette.</param>
    /// <param name="sampleSize">Points on which the silhouette is computed (default 2,000; all points when N is smaller).</param>
    /// <param name="cancellationToken">Stops the work early.</param>
    /// <exception cref="ArgumentOutOfRangeException">When the range is empty or outside 2..N-1.</exception>
    public static KMeansSelection Select(
        Matrix data, int minK, int maxK, KMeansOptions? options = null, int sampleSize = 2000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new KMeansOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(minK, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxK, minK);
        if (maxK > data.Rows - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxK), maxK, $"maxK must be at most the number of points minus one ({data.Rows - 1}).");
        }

        var candidates = new List<KMeansCandidate>();
        KMeansResult? best = null;
        var bestScore = double.NegativeInfinity;
        for (var k = minK; k <= maxK; k++)
        {
            var model = new KMeans(options with { K = k }).FitModel(data, cancellationToken);
            var score = DistinctLabels(model.Labels) < 2
                ? -1.0
                : InternalMetrics.SilhouetteSampled(data, model.Labels, Math.Max(sampleSize, maxK + 2), options.Seed, options.Metric, options.MaxDegreeOfParallelism);
            candidates.Add(new KMeansCandidate(k, model.Inertia, score, model.Iterations));
            if (score > bestScore)
            {
                bestScore = score;
                best = model;
            }
        }

        return new KMeansSelection(candidates, best!.K, best);
    }

    private static int DistinctLabels(int[] labels) => labels.Distinct().Take(2).Count();
}
