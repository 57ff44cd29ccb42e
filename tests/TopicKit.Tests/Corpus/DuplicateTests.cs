using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

public class DuplicateTests
{
    private static Document Doc(string id, string? title, string abstractText, string source = "a.txt") =>
        new(id, title, abstractText, [], null, [], source, 0);

    [Fact]
    public void KeyFoldsCaseAndWhitespaceOnly()
    {
        var key = DuplicateKey.Compute(Doc("1", "Deep Learning", "We study  nets."));
        Assert.Equal(key, DuplicateKey.Compute(Doc("2", " deep\nLEARNING ", "we study nets.", "b.txt")));
        Assert.NotEqual(key, DuplicateKey.Compute(Doc("3", "Deep Learning", "We study nets")));
        Assert.NotEqual(key, DuplicateKey.Compute(Doc("4", null, "We study nets.")));
        Assert.Matches("^[0-9a-f]{32}$", key);
    }

    [Fact]
    public void TextCannotMoveBetweenTitleAndAbstract() =>
        Assert.NotEqual(DuplicateKey.Compute("ab", "c"), DuplicateKey.Compute("a", "bc"));

    [Fact]
    public void KeyIsStableAcrossRuns() =>
        // SHA-256 of "t\u001Fa" (UTF-8), first 16 bytes, computed independently with Python hashlib.
        Assert.Equal("46a89c784598ea89a5b85ee9f391ce9c", DuplicateKey.Compute("T", "A"));

    [Fact]
    public void GrouperReportsGroupsInFirstSeenOrderAndKeepsEveryDocument()
    {
        var docs = new[]
        {
            Doc("x1", "Alpha", "one"), Doc("y1", "Beta", "two"), Doc("x2", "ALPHA", "one"),
            Doc("z1", "Gamma", "three"), Doc("y2", "beta", "two "), Doc("x3", "alpha", " one"),
        };
        var grouper = new DuplicateGrouper();
        foreach (var d in docs)
        {
            grouper.Add(d);
        }

        Assert.Equal(6, grouper.Count);
        var groups = grouper.Groups();
        Assert.Equal(2, groups.Count);
        Assert.Equal(["x1", "x2", "x3"], groups[0].Ids);
        Assert.Equal(["y1", "y2"], groups[1].Ids);
        Assert.Equal(DuplicateKey.Compute(docs[0]), groups[0].Key);
        Assert.Empty(DuplicateGrouper.Group([Doc("a", "t", "u")]));
    }
}
