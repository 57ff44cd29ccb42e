using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>Linkage against hand-made trees, and the JSON/Newick exports.</summary>
public sealed class TopicHierarchyTests
{
    // Points 0, 1, 5, 7 on a line.
    private static readonly double[] Points = [0, 1, 5, 7];

    [Fact]
    public void WardMatchesTheCentroidFormula()
    {
        var steps = Agglomerative.Fit(Distances(), LinkageMethod.Ward);

        // Ward height = sqrt(2 n_a n_b / (n_a + n_b)) * |centroid_a - centroid_b|: {0,1} at 1, {5,7} at 2, then sqrt(2) * 5.5.
        Assert.Equal(new LinkageStep(0, 1, 1, 2), steps[0]);
        Assert.Equal(new LinkageStep(2, 3, 2, 2), steps[1]);
        Assert.Equal((4, 5, 4), (steps[2].Left, steps[2].Right, steps[2].Size));
        Assert.Equal(Math.Sqrt(2) * 5.5, steps[2].Distance, 12);
    }

    [Fact]
    public void AverageLinkageIsTheMeanPairDistance()
    {
        var steps = Agglomerative.Fit(Distances(), LinkageMethod.Average);
        Assert.Equal((5 + 7 + 4 + 6) / 4.0, steps[2].Distance, 12);
        Assert.Equal([0, 0, 1, 1], Agglomerative.Cut(4, steps, 2));
        Assert.Equal([0, 0, 1, 2], Agglomerative.Cut(4, steps, 1));
    }

    [Fact]
    public void NewickAndJsonOfAHandMadeTree()
    {
        // Leaves: topics 4, 7, 9. 4 and 7 merge at 0.5 (node 3), then 9 joins at 2.
        var tree = new TopicHierarchy([4, 7, 9], ["a", "b", "c"], [new LinkageStep(0, 1, 0.5, 2), new LinkageStep(2, 3, 2.0, 3)]);
        Assert.Equal("(9:2,(4:0.5,7:0.5):1.5);", tree.ToNewick());
        using var json = System.Text.Json.JsonDocument.Parse(tree.ToJson());
        var merges = json.RootElement.GetProperty("merges");
        Assert.Equal([4, 7, 9], merges[1].GetProperty("topics").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(9, json.RootElement.GetProperty("tree").GetProperty("children")[0].GetProperty("topic").GetInt32());
    }

    [Fact]
    public void TopicsWithSharedWordsJoinFirst()
    {
        var docs = new TopicDocuments(["apple banana", "apple banana cherry", "zebra lion", "zebra lion tiger"], [0, 1, 2, 3]);
        var r = new ClassTfidfRepresenter(new ClassTfidfOptions(StopWords: StopWordList.None)).Fit(docs);
        var h = TopicHierarchy.Build(r);
        Assert.Equal([0, 1], h.LeavesUnder(4).Order());
        Assert.Equal([2, 3], h.LeavesUnder(5).Order());
        var similarity = TopicVectors.Similarity(r, out var ids);
        Assert.Equal([0, 1, 2, 3], ids);
        Assert.Equal(0, similarity[0, 2], 12);
        Assert.True(similarity[0, 1] > 0.5);
    }

    private static double[,] Distances()
    {
        var d = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                d[i, j] = Math.Abs(Points[i] - Points[j]);
            }
        }

        return d;
    }
}
