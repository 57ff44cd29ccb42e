using TopicKit.Numerics;
using TopicKit.Search;

namespace TopicKit.Tests.Search;

public sealed class SearchIndexTests
{
    [Fact]
    public void SemanticTopKEqualsBruteForceAndAQueryEqualToADocumentFindsItFirst()
    {
        var rng = new SeededRandom(3);
        var x = new Matrix(300, 16);
        for (var i = 0; i < x.Data.Length; i++)
        {
            x.Data[i] = (float)rng.NextGaussian();
        }

        x.Row(7).CopyTo(x.Row(8));
        var index = SemanticIndex.Build(x);
        for (var q = 0; q < 20; q++)
        {
            var query = x.RowReadOnly(q * 13).ToArray();
            var expected = Enumerable.Range(0, x.Rows)
                .Select(i => (Row: i, Score: TopicKit.Tests.Onnx.OnnxTestData.Cosine(query, x.RowReadOnly(i))))
                .OrderByDescending(p => Math.Round(p.Score, 5)).ThenBy(p => p.Row).Take(10).Select(p => p.Row).ToArray();
            var hits = index.Query(query, 10);
            Assert.Equal(expected, hits.Select(h => h.Row).ToArray());
            Assert.Equal(q * 13, hits[0].Row);
            Assert.Equal(1.0, hits[0].Score, 5);
        }

        // Identical rows tie at 1: the lower row comes first; Similar leaves the row itself out.
        Assert.Equal([7, 8], index.Query(x.RowReadOnly(7), 2).Select(h => h.Row));
        Assert.Equal(8, index.Similar(7, 3)[0].Row);
        Assert.DoesNotContain(index.Similar(7, 50), h => h.Row == 7);
    }

    [Fact]
    public void Bm25ScoresMatchTheFormulaByHand()
    {
        string[] docs = ["apple banana apple", "banana cherry", "cherry cherry cherry durian"];
        var index = Bm25Index.Build(docs);
        // N = 3, avgdl = 3; "apple": df 1, idf = ln(1 + 2.5/1.5); doc 0: tf 2, |d| 3.
        var idf = Math.Log(1 + (2.5 / 1.5));
        var expected = idf * 2 * 2.2 / (2 + 1.2);
        var scores = index.Scores("apple");
        Assert.Equal(expected, scores[0], 12);
        Assert.Equal(0, scores[1]);
        var hits = index.Query("cherry", 5);
        Assert.Equal([2, 1], hits.Select(h => h.Row));
    }

    [Fact]
    public void ReciprocalRankFusionSumsOneOverSixtyPlusRank()
    {
        var fused = HybridSearch.Fuse([[new SearchHit(1, 9), new SearchHit(2, 8)], [new SearchHit(2, 5), new SearchHit(3, 4)]], 3);
        Assert.Equal(2, fused[0].Row);
        Assert.Equal((1.0 / 62) + (1.0 / 61), fused[0].Score, 12);
        Assert.Equal([2, 1, 3], fused.Select(h => h.Row));
    }
}
