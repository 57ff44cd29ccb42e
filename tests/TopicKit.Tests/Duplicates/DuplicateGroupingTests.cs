using TopicKit.Corpus;
using TopicKit.Duplicates;

namespace TopicKit.Tests.Duplicates;

public sealed class DuplicateGroupingTests
{
    private static Document Doc(string id, string? title, string text, DateOnly? date, string source, params string[] authors) =>
        new(id, title, text, authors, date, [], source, 0);

    [Fact]
    public void UnionFindMergesChainsAndKeepsSingletonsApart()
    {
        var sets = new UnionFind(8);
        Assert.True(sets.Union(0, 3));
        Assert.True(sets.Union(3, 5));
        Assert.False(sets.Union(5, 0));
        Assert.True(sets.Union(6, 7));
        Assert.Equal(sets.Find(0), sets.Find(5));
        Assert.NotEqual(sets.Find(0), sets.Find(6));
        Assert.Equal([[0, 3, 5], [6, 7]], sets.Sets().Select(s => s.ToArray()).ToArray());
        Assert.Equal(8, sets.Sets(minSize: 1).Sum(s => s.Length));
    }

    [Fact]
    public void GroupsCarryPairsDifferingMetadataAndTheCanonicalByTheDocumentedRule()
    {
        var docs = new[]
        {
            Doc("a", "Title", "short", new DateOnly(2020, 1, 1), "x.csv", "Ann"),
            Doc("b", null, "a longer abstract", null, "y.jsonl"),
            Doc("c", "Title", "a longer abstract", new DateOnly(2019, 5, 1), "z.bib", "Ann"),
            Doc("d", "Other", "unrelated", null, "x.csv"),
            Doc("e", "Title", "a longer abstract", new DateOnly(2018, 5, 1), "z.bib", "Ann"),
        };
        var pairs = new[]
        {
            new DuplicatePair(0, 1, 0.97, null, false),
            new DuplicatePair(1, 2, 0.99, null, false),
            new DuplicatePair(2, 4, null, 1.0, true),
        };
        var groups = DuplicateGrouping.Build(docs.Length, pairs, docs);
        var g = Assert.Single(groups);
        Assert.Equal([0, 1, 2, 4], g.Members);
        Assert.Equal(3, g.Pairs.Count);

        // a, c and e all have 3 metadata points (title, date, authors); c and e have the longer abstract; e is earlier.
        Assert.Equal(4, g.Canonical);
        Assert.Equal(["title", "date", "source", "authors"], g.DifferingFields);

        var representatives = TopicRepresentatives.From(docs.Length, groups);
        Assert.Equal([3, 4], representatives.Rows);
        Assert.Equal([4, 4, 4, 3, 4], representatives.CanonicalOf);
        Assert.Equal(["E", "E", "E", "D", "E"], representatives.Expand(["D", "E"]));
    }

    [Fact]
    public void CanonicalTieGoesToTheFirstAndBadPairsAreRejected()
    {
        var docs = new[] { Doc("a", "T", "same", null, "s"), Doc("b", "T", "same", null, "s") };
        var g = Assert.Single(DuplicateGrouping.Build(2, [new DuplicatePair(0, 1, null, 1, true)], docs));
        Assert.Equal(0, g.Canonical);
        Assert.Empty(g.DifferingFields);
        Assert.Throws<ArgumentException>(() => DuplicateGrouping.Build(2, [new DuplicatePair(1, 1, null, 1, false)]));
        Assert.Throws<ArgumentException>(() => DuplicateGrouping.Build(2, [new DuplicatePair(0, 2, null, 1, false)]));
    }
}
