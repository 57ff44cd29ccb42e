using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>Diversity, NPMI coherence, V-measure, ARI and stability against hand values.</summary>
public sealed class TopicEvaluationTests
{
    // Topic 0: "aa bb" twice; topic 1: "aa cc", "cc dd".
    private static readonly TopicDocuments Docs = new(["aa bb", "aa bb", "aa cc", "cc dd"], [0, 0, 1, 1]);

    [Fact]
    public void DiversityAndCoherenceByHand()
    {
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None)).Fit(Docs);

        // Top words {aa, bb} and {aa, cc, dd}: 4 distinct of 5.
        Assert.Equal(0.8, TopicEvaluation.Diversity(r), 12);

        // Topic 0: (aa, bb) p = 3/4, 2/4, joint 2/4 -> log(4/3) / log 2.
        // Topic 1: (aa, cc) log(2/3) / log 4; (aa, dd) never together -> -1; (cc, dd) log 2 / log 4 = 0.5.
        var t0 = Math.Log(4.0 / 3) / Math.Log(2);
        var t1 = ((Math.Log(2.0 / 3) / Math.Log(4)) - 1 + 0.5) / 3;
        Assert.Equal((t0 + t1) / 2, TopicEvaluation.Coherence(r, Docs.Texts), 12);
    }

    [Fact]
    public void LabelAgreementMeasures()
    {
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None)).Fit(Docs);
        var same = TopicEvaluation.Evaluate(Docs, r, referenceLabels: [5, 5, 7, 7], otherSeedLabels: [1, 1, 0, 0]);
        Assert.Equal(1.0, same.VMeasure!.Value, 12);
        Assert.Equal(1.0, same.AdjustedRandIndex!.Value, 12);
        Assert.Equal(1.0, same.Stability!.Value, 12);
        Assert.Equal(2, same.Topics);
        Assert.Equal(0, same.OutlierShare);

        // Against [0, 1, 0, 1] every cell of the contingency table is 1:
        // sum C(n_ij, 2) = 0, a = b = 2 -> expected = 2 * 2 / 6 = 2/3, max = 2 -> ARI = (0 - 2/3) / (2 - 2/3) = -0.5.
        var crossed = TopicEvaluation.Evaluate(Docs, r, referenceLabels: [0, 1, 0, 1]);
        Assert.Equal(-0.5, crossed.AdjustedRandIndex!.Value, 12);
        Assert.Equal(0.0, crossed.VMeasure!.Value, 12);
    }
}
