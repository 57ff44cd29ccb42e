using TopicKit.Numerics;
using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>c-TF-IDF on a corpus small enough to compute by hand.</summary>
public sealed class ClassTfidfHandTests
{
    // Class 0 joined: apple x2, banana x2, cherry x1 (5 words); class 1: cherry x1, date x3, egg x1 (5 words).
    // One-letter tokens and punctuation are not words. A = int(10 / 2) = 5; f: apple 2, banana 2, cherry 2, date 3, egg 1.
    private static readonly TopicDocuments Tiny = new(
        ["Apple, banana; apple!", "banana cherry a b", "cherry   DATE", "date-date egg"],
        [0, 0, 1, 1]);

    [Fact]
    public void PlainFormulaByHand()
    {
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None, RepresentativeDocumentCount: 1)).Fit(Tiny);
        Assert.Equal(["apple", "banana", "cherry", "date", "egg"], r.Vocabulary);
        AssertTopic(r.GetTopic(0), ("apple", 0.4 * Math.Log(3.5)), ("banana", 0.4 * Math.Log(3.5)), ("cherry", 0.2 * Math.Log(3.5)));
        AssertTopic(r.GetTopic(1), ("date", 0.6 * Math.Log((5.0 / 3) + 1)), ("egg", 0.2 * Math.Log(6)), ("cherry", 0.2 * Math.Log(3.5)));
        Assert.Equal(2, r.GetTopic(0).Size);
        Assert.Equal("0_apple_banana_cherry", r.GetTopic(0).Label);
        Assert.Equal((float)(0.4 * Math.Log(3.5)), r.ClassTfidf.RowValues(0)[0]);
        Assert.Equal((float)Math.Log(6), r.Idf[4]);
    }

    [Fact]
    public void Bm25AndFrequentWordDampingByHand()
    {
        var options = new ClassTfidfOptions(StopWords: StopWordList.None, Bm25Weighting: true, ReduceFrequentWords: true);
        var r = new ClassTfidfRepresenter(options).Fit(Tiny);

        // idf = log(1 + (5 - f + 0.5) / (f + 0.5)); tf -> sqrt(tf).
        AssertTopic(r.GetTopic(0), ("apple", Math.Sqrt(0.4) * Math.Log(2.4)), ("banana", Math.Sqrt(0.4) * Math.Log(2.4)), ("cherry", Math.Sqrt(0.2) * Math.Log(2.4)));
        AssertTopic(r.GetTopic(1), ("egg", Math.Sqrt(0.2) * Math.Log(4)), ("date", Math.Sqrt(0.6) * Math.Log(12.0 / 7)), ("cherry", Math.Sqrt(0.2) * Math.Log(2.4)));
    }

    [Fact]
    public void StopWordsSeedWordsAndMinimumDocumentFrequency()
    {
        // Without "cherry": class totals 4 and 4, A = 4; f: apple 2, banana 2, date 3, egg 1.
        var options = new ClassTfidfOptions(StopWords: StopWordList.FromWords(["cherry"]), SeedWords: ["egg"], SeedMultiplier: 3);
        var r = new ClassTfidfRepresenter(options).Fit(Tiny);
        AssertTopic(r.GetTopic(0), ("apple", 0.5 * Math.Log(3)), ("banana", 0.5 * Math.Log(3)));
        AssertTopic(r.GetTopic(1), ("egg", 0.25 * 3 * Math.Log(5)), ("date", 0.75 * Math.Log((4.0 / 3) + 1)));

        // banana, cherry and date occur in two documents each; apple (twice in one document) and egg in one.
        var pruned = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None, MinDocumentFrequency: 2)).Fit(Tiny);
        Assert.Equal(["banana", "cherry", "date"], pruned.Vocabulary);
    }

    [Fact]
    public void TokensFollowPythonWordCharacters()
    {
        // Python's \w has letters, digits and _, but not combining marks: "nai\u0308ve" is "nai" + "ve".
        var docs = new TopicDocuments(["x_1 café nai\u0308ve 42 ½x"], [0]);
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None)).Fit(docs);
        Assert.Equal(["42", "café", "nai", "ve", "x_1", "½x"], r.Vocabulary);
    }

    [Fact]
    public void BigramsStayInsideDocumentsAndSkipStopWords()
    {
        var docs = new TopicDocuments(["red fox the jumps", "lazy dog"], [0, 0]);
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(NgramMin: 1, NgramMax: 2, StopWords: StopWordList.FromWords(["the"]))).Fit(docs);
        Assert.Equal(["dog", "fox", "fox jumps", "jumps", "lazy", "lazy dog", "red", "red fox"], r.Vocabulary);
    }

    [Fact]
    public void OutlierClassIsATopicAndDocumentsMapIntoTheSpace()
    {
        var docs = new TopicDocuments(["apple banana", "apple apple", "zebra"], [0, 0, -1]);
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None)).Fit(docs);
        Assert.Equal([-1, 0], r.Topics.Select(t => t.Id));
        Assert.True(r.HasOutlierTopic);
        var m = r.TransformDocuments(["banana banana apple", "nothing known"]);
        Assert.Equal(3, m.Columns);

        // tf 1/3 apple, 2/3 banana; A = int(4 / 2) = 2; idf apple log(2/3 + 1), banana log(2 + 1).
        Assert.Equal((float)(Math.Log((2.0 / 3) + 1) / 3), m[0, 0], 6);
        Assert.Equal((float)(2 * Math.Log(3) / 3), m[0, 1], 6);
        Assert.Equal(0f, m[1, 0]);
        var sim = r.DocumentTopicSimilarity(["zebra", "apple"]);
        Assert.Equal(1f, sim[0, 0], 5);
        Assert.Equal(0f, sim[0, 1]);
        Assert.Equal(0f, sim[1, 0]);
    }

    [Fact]
    public void RepresentativeDocumentsAreDistinctTexts()
    {
        // Centroid (0.76, 0.32): cosine 0.970 for row 3, 0.921 for rows 0-2 (one text, so rows 1 and 2 are skipped), 0.388 for row 4.
        var texts = new[] { "alpha beta", "alpha beta", " alpha beta ", "alpha gamma", "delta" };
        var embeddings = new Matrix([1f, 0f, 1f, 0f, 1f, 0f, 0.8f, 0.6f, 0f, 1f], 5, 2);
        var docs = new TopicDocuments(texts, [0, 0, 0, 0, 0]) { Embeddings = embeddings };
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None, RepresentativeDocumentCount: 3)).Fit(docs);
        var topic = r.GetTopic(0);
        Assert.Equal([3, 0, 4], topic.RepresentativeDocuments);

        // Centroid = mean of the rows.
        Assert.Equal([0.76f, 0.32f], topic.Centroid!, new ToleranceComparer(1e-6f));
    }

    private static void AssertTopic(Topic topic, params (string Term, double Score)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Term), topic.Keywords.Select(k => k.Term));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Score, topic.Keywords[i].Score, 12);
        }
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
