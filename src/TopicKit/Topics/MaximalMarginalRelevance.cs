using TopicKit.Embedding;

namespace TopicKit.Topics;

/// <summary>
/// Keyword diversification by maximal marginal relevance (KeyBERT's <c>mmr</c>, as BERTopic's
/// <c>MaximalMarginalRelevance</c>): starting from the candidate closest to the topic, it repeatedly adds the
/// candidate maximising <c>(1 - diversity) * sim(word, topic) - diversity * max sim(word, chosen)</c>. The topic
/// vector is the topic's centroid when its length matches the encoder's, else the embedding of the joined candidates.
/// The chosen keywords keep their c-TF-IDF order and scores, as BERTopic does.
/// </summary>
public sealed class MaximalMarginalRelevance : IKeywordRefiner
{
    /// <summary>Creates the refiner.</summary>
    /// <param name="encoder">Embeds the candidate words (and the topic, when no usable centroid exists).</param>
    /// <param name="diversity">0 = pure relevance, 1 = pure diversity (default 0.1, BERTopic's).</param>
    public MaximalMarginalRelevance(ISentenceEncoder encoder, double diversity = 0.1)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (!(diversity >= 0 && diversity <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(diversity), "diversity must be between 0 and 1.");
        }

        Encoder = encoder;
        Diversity = diversity;
    }

    /// <summary>The word encoder.</summary>
    public ISentenceEncoder Encoder { get; }

    /// <summary>The diversity weight.</summary>
    public double Diversity { get; }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<TopicKeyword>> Refine(TopicRepresentation representation, TopicDocuments documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(representation);
        var words = new KeywordEmbeddings(Encoder, representation, cancellationToken);
        var topN = representation.Options.TopN;
        var result = new IReadOnlyList<TopicKeyword>[representation.Topics.Count];
        for (var k = 0; k < result.Length; k++)
        {
            var topic = representation.Topics[k];
            var candidates = topic.Keywords;
            if (candidates.Count <= 1)
            {
                result[k] = candidates;
                continue;
            }

            var target = topic.Centroid is { } c && c.Length == Encoder.Dimension
                ? c
                : Encoder.Encode([string.Join(' ', candidates.Select(w => w.Term))], cancellationToken).Data;
            var chosen = Select(candidates.Select(w => words[w.Term].ToArray()).ToArray(), target, topN, Diversity);
            result[k] = candidates.Where((_, i) => chosen.Contains(i)).ToArray();
        }

        return result;
    }

    /// <summary>The indices MMR picks from unit-length <paramref name="candidates"/>, in the order picked.</summary>
    internal static List<int> Select(float[][] candidates, ReadOnlySpan<float> target, int count, double diversity)
    {
        var relevance = new double[candidates.Length];
        for (var i = 0; i < relevance.Length; i++)
        {
            relevance[i] = KeywordEmbeddings.Cosine(candidates[i], target);
        }

        var chosen = new List<int>();
        var closest = new double[candidates.Length];
        Array.Fill(closest, double.NegativeInfinity);
        var left = Enumerable.Range(0, candidates.Length).ToList();
        while (chosen.Count < Math.Min(count, candidates.Length))
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            foreach (var i in left)
            {
                var score = chosen.Count == 0 ? relevance[i] : ((1 - diversity) * relevance[i]) - (diversity * closest[i]);
                if (score > bestScore)
                {
                    best = i;
                    bestScore = score;
                }
            }

            chosen.Add(best);
            left.Remove(best);
            foreach (var i in left)
            {
                closest[i] = Math.Max(closest[i], KeywordEmbeddings.Cosine(candidates[i], candidates[best]));
            }
        }

        return chosen;
    }
}
