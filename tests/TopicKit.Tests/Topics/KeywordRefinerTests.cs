using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>MMR and KeyBERT-inspired re-ranking on word vectors with known geometry.</summary>
public sealed class KeywordRefinerTests
{
    // Topic centroid t = (1, 0, 0). alpha and beta are near-twins (cosine 0.999) at 0.90 and 0.88 from t;
    // gamma points elsewhere: cosine 0.80 to t and 0.458 to alpha.
    private static readonly Dictionary<string, float[]> Vectors = new(StringComparer.Ordinal)
    {
        ["alpha"] = Unit(0.9f, 0.43589f, 0f),
        ["beta"] = Unit(0.88f, 0.47497f, 0f),
        ["gamma"] = Unit(0.8f, -0.6f, 0f),
        ["alpha beta gamma"] = [1f, 0f, 0f],
    };

    [Fact]
    public void MmrTradesRelevanceForDiversity()
    {
        var candidates = new[] { Vectors["alpha"], Vectors["beta"], Vectors["gamma"] };
        float[] t = [1f, 0f, 0f];

        // diversity 0: by relevance. 0.5: after alpha, beta scores 0.5*0.88 - 0.5*0.999 < 0 and gamma 0.5*0.8 - 0.5*0.458 > 0.
        Assert.Equal([0, 1, 2], MaximalMarginalRelevance.Select(candidates, t, 3, 0));
        Assert.Equal([0, 2, 1], MaximalMarginalRelevance.Select(candidates, t, 3, 0.5));

        var docs = Docs();
        var plain = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None, TopN: 2), new MaximalMarginalRelevance(new TableEncoder(), 0)).Fit(docs);
        Assert.Equal(["alpha", "beta"], plain.GetTopic(0).Keywords.Select(k => k.Term));
        var diverse = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None, TopN: 2), new MaximalMarginalRelevance(new TableEncoder(), 0.5)).Fit(docs);
        Assert.Equal(["alpha", "gamma"], diverse.GetTopic(0).Keywords.Select(k => k.Term));
        Assert.Equal(plain.GetTopic(0).Keywords[0].Score, diverse.GetTopic(0).Keywords[0].Score);
    }

    [Fact]
    public void KeyBertRanksCandidatesBySimilarityToRepresentativeDocuments()
    {
        // The representative document "alpha beta gamma" embeds to (1, 0, 0).
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None, TopN: 3), new KeyBertInspired(new TableEncoder())).Fit(Docs());
        var keywords = r.GetTopic(0).Keywords;
        Assert.Equal(["alpha", "beta", "gamma"], keywords.Select(k => k.Term));
        Assert.Equal(0.9, keywords[0].Score, 4);
        Assert.Equal(0.88, keywords[1].Score, 4);
        Assert.Equal(0.8, keywords[2].Score, 4);
        Assert.Equal("0_alpha_beta_gamma", r.GetTopic(0).Label);
    }

    private static TopicDocuments Docs() =>
        new(["alpha beta gamma"], [0]) { Embeddings = new Matrix([1f, 0f, 0f], 1, 3) };

    private static float[] Unit(float x, float y, float z)
    {
        var n = MathF.Sqrt((x * x) + (y * y) + (z * z));
        return [x / n, y / n, z / n];
    }

    private sealed class TableEncoder : ISentenceEncoder
    {
        public int Dimension => 3;

        public string ModelId => "table";

        public Matrix Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            var m = new Matrix(texts.Count, 3);
            for (var i = 0; i < texts.Count; i++)
            {
                Vectors[texts[i]].CopyTo(m.Row(i));
            }

            return m;
        }
    }
}
