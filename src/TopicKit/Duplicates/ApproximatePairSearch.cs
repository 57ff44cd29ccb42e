using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Duplicates;

/// <summary>
/// Cosine pair search for collections too large to score every pair: the k nearest neighbours of every row from an
/// NN-descent graph are the candidates, and each candidate is re-scored exactly (double precision) before it is kept.
/// </summary>
/// <remarks>
/// A reported pair is always a true pair (its exact cosine reaches the threshold); a pair can be missed when the
/// graph misses the neighbour, or when a row has more than k partners above the threshold. Memory: the graph (N x k
/// indices and distances) plus NN-descent's normalised copy of the rows and its candidate lists.
/// </remarks>
public sealed class ApproximatePairSearch : IPairSearch
{
    private readonly PairSearchOptions _options;

    /// <summary>A search with the given settings (default: threshold 0.95, k = 10, seed 0).</summary>
    public ApproximatePairSearch(PairSearchOptions? options = null)
    {
        _options = options ?? new PairSearchOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "nn-descent";

    /// <inheritdoc/>
    public IReadOnlyList<ScoredPair> FindPairs(Matrix vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        vectors.EnsureFinite("vectors");
        var n = vectors.Rows;
        if (n < 2 || vectors.Columns == 0)
        {
            return [];
        }

        var k = Math.Min(_options.Neighbors, n - 1);
        var graph = NNDescent.SearchSelf(vectors, k, DistanceMetric.Cosine, _options.Seed, _options.MaxDegreeOfParallelism, cancellationToken);
        var norms = PairScoring.Norms(vectors);

        // Graph distances are single precision; the slack keeps borderline pairs for the exact re-score to decide.
        var maxDistance = 1.0 - _options.Threshold + 1e-4;
        var seen = new HashSet<long>();
        var candidates = new PairScratch(n, n, upperOnly: true);
        for (var i = 0; i < n; i++)
        {
            var indices = graph.IndicesOf(i);
            var distances = graph.DistancesOf(i);
            for (var t = 0; t < k; t++)
            {
                if (distances[t] > maxDistance)
                {
                    break;
                }

                var j = indices[t];
                var (a, b) = i < j ? (i, j) : (j, i);
                if (a != b && seen.Add(((long)a * n) + b))
                {
                    candidates.Add(a, b, 0f);
                }
            }

            if (candidates.A.Count > _options.MaxPairs)
            {
                throw ExactPairSearch.TooMany(_options.MaxPairs, _options.Threshold);
            }
        }

        return PairScoring.Verify(vectors, norms, candidates, _options.Threshold);
    }
}

/// <summary>Chooses the pair search for a collection size.</summary>
internal static class PairSearch
{
    /// <summary>
    /// The search <paramref name="options"/> ask for: with <see cref="PairSearchMethod.Auto"/>, exact up to
    /// <see cref="PairSearchOptions.ApproximateAbove"/> rows and approximate (verified) above.
    /// </summary>
    public static IPairSearch For(int rows, PairSearchOptions? options = null)
    {
        options ??= new PairSearchOptions();
        return options.Method switch
        {
            PairSearchMethod.Exact => new ExactPairSearch(options),
            PairSearchMethod.Approximate => new ApproximatePairSearch(options),
            _ => rows > options.ApproximateAbove ? new ApproximatePairSearch(options) : new ExactPairSearch(options),
        };
    }
}
