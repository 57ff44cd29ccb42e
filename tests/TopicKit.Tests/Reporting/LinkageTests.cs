using TopicKit.Reporting;

namespace TopicKit.Tests.Reporting;

public sealed class LinkageTests
{
    // Five leaves: (0,1)->5 at 1, (2,3)->6 at 2, (5,4)->7 at 3, (7,6)->8 at 5. Hand-drawn dendrogram: 0 1 4 | 2 3.
    private static readonly ReportMerge[] Merges =
    [
        new(0, 1, 1), new(2, 3, 2), new(5, 4, 3), new(7, 6, 5),
    ];

    [Fact]
    public void LeafOrderFollowsTheDendrogram() => Assert.Equal([0, 1, 4, 2, 3], Linkage.LeafOrder(Merges, 5));

    [Theory]
    [InlineData(1, "0 1 4 2 3")]
    [InlineData(2, "0 1 4|2 3")]
    [InlineData(3, "0 1|4|2 3")]
    [InlineData(5, "0|1|4|2|3")]
    public void CutUndoesTheLastMerges(int groups, string expected)
    {
        var cut = Linkage.Cut(Merges, 5, groups);
        Assert.Equal(expected, string.Join('|', cut.Select(g => string.Join(' ', g))));
    }

    [Fact]
    public void SegmentsDrawThreeElbowLinesPerMergeAtTheMergeHeight()
    {
        var segments = Linkage.Segments(Merges, 5, Linkage.LeafOrder(Merges, 5));
        Assert.Equal(12, segments.Count);
        // The root joins cluster 7 (leaves at positions 0,1,2: centre (0.5+2)/2) and cluster 6 (positions 3,4).
        Assert.Equal((5.0, 1.25, 5.0, 3.5), segments[^1]);
    }

    [Theory]
    [InlineData(0, 7, "does not exist yet")]
    [InlineData(0, 0, "a second time")]
    public void BadLinkageIsRejectedNamingTheRow(int left, int right, string message)
    {
        ReportMerge[] merges = [new(left, right, 1), new(2, 5, 2)];
        var e = Assert.Throws<ArgumentException>(() => Linkage.Validate(merges, 3));
        Assert.Contains("Hierarchy[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
