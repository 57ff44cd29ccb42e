using System.Text.Json;
using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>Our c-TF-IDF keywords against BERTopic 0.17's <c>ClassTfidfTransformer</c> on the 2,000 arXiv abstracts.</summary>
public sealed class ClassTfidfOracleTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("bm25_reduce_frequent")]
    public void KeywordsEqualBertopic(string variant)
    {
        var spec = TopicsTestData.Oracle.GetProperty("variants").GetProperty(variant);
        var options = new ClassTfidfOptions(
            StopWords: TopicsTestData.OracleStopWords,
            TopN: 10,
            Bm25Weighting: spec.GetProperty("bm25_weighting").GetBoolean(),
            ReduceFrequentWords: spec.GetProperty("reduce_frequent_words").GetBoolean());
        var arxiv = TopicsTestData.Arxiv;
        var representation = new ClassTfidfRepresenter(options).Fit(arxiv.Documents);

        Assert.Equal(TopicsTestData.Oracle.GetProperty("vocabulary_size").GetInt32(), representation.Vocabulary.Count);
        var classes = spec.GetProperty("classes");
        Assert.Equal(classes.EnumerateObject().Count(), representation.Topics.Count);
        foreach (var cls in classes.EnumerateObject())
        {
            var id = arxiv.Names.ToList().IndexOf(cls.Name);
            var topic = representation.GetTopic(id);
            Assert.Equal(cls.Value.GetProperty("size").GetInt32(), topic.Size);
            AssertKeywords(cls.Name, cls.Value.GetProperty("keywords"), topic.Keywords);
        }
    }

    internal static void AssertKeywords(string name, JsonElement expected, IReadOnlyList<TopicKeyword> actual)
    {
        var want = expected.EnumerateArray().Select(e => (Term: e.GetProperty("term").GetString()!, Score: e.GetProperty("score").GetDouble())).ToArray();
        Assert.True(
            want.Select(w => w.Term).SequenceEqual(actual.Select(a => a.Term)),
            $"{name}: expected {string.Join(' ', want.Select(w => w.Term))} but got {string.Join(' ', actual.Select(a => a.Term))}");
        for (var i = 0; i < want.Length; i++)
        {
            var relative = Math.Abs(actual[i].Score - want[i].Score) / Math.Abs(want[i].Score);
            Assert.True(relative <= 1e-6, $"{name} '{want[i].Term}': {actual[i].Score:R} vs {want[i].Score:R} (relative {relative:E2})");
        }
    }
}
