using TopicKit.Corpus;
using TopicKit.Tests.Infrastructure;
using TopicKit.Storage;
using static TopicKit.Tests.Storage.WorkspaceTestKit;

namespace TopicKit.Tests.Storage;


public class WorkspaceIngestTests
{
    [Fact]
    public async Task IngestStoresDocumentsInIngestionOrderWithAllFields()
    {
        using var folder = new TempFolder();
        var a = new List<Document>
        {
            new("2401.00001", "Folding proteins", "We fold  proteins.", ["Ada Lovelace", "Alan Turing"], new DateOnly(2024, 1, 3), ["q-bio.BM", "cs.LG"], "a.jsonl", 0),
            new("x-2", null, "No title here.", [], null, [], "a.jsonl", 1),
        };
        var b = Records("b.csv", "b", 2);
        using var workspace = Workspace.Open(folder.Combine("ws"));
        var first = await workspace.IngestAsync(Stream(a));
        var second = await workspace.IngestAsync(Stream(b), "data/b.csv");

        Assert.Equal((2, 2, 0), (first.Read, first.Added, first.Skipped));
        Assert.Equal("a.jsonl", first.Label);
        Assert.Equal("data/b.csv", second.Label);
        Assert.Equal(["2401.00001", "x-2"], first.DocumentIds);
        Assert.Equal(4, workspace.Documents.Count());
        var listed = workspace.Documents.List();
        Assert.Equal(4, listed.Count);
        AssertSameDocument(a[0], listed[0]);
        AssertSameDocument(a[1], listed[1]);
        AssertSameDocument(b[0], listed[2]);
        AssertSameDocument(b[1], listed[3]);
        AssertSameDocument(a[1], workspace.Documents.Get("x-2")!);
        Assert.Null(workspace.Documents.Get("missing"));
        Assert.Equal(["x-2", "b0"], workspace.Documents.List(offset: 1, limit: 2).Select(d => d.Id));
    }

    [Fact]
    public async Task ReingestingTheSameFileAddsNothingAndChangesNothing()
    {
        using var folder = new TempFolder();
        var file = Records("a.jsonl", "p", 5);
        using var workspace = Workspace.Open(folder.Combine("ws"));
        await workspace.IngestAsync(Stream(file));
        var before = Snapshot(workspace.Directory);

        var again = await workspace.IngestAsync(Stream(file));

        Assert.Equal((5, 0, 5), (again.Read, again.Added, again.Skipped));
        Assert.Equal(file.Select(d => d.Id), again.DocumentIds);
        Assert.Equal(before, Snapshot(workspace.Directory));
    }

    [Fact]
    public async Task FailureMidStreamLeavesTheStoreIdentical()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        await workspace.IngestAsync(Stream(Records("a.jsonl", "a", 3)));
        var before = Snapshot(workspace.Directory);

        var error = await Assert.ThrowsAsync<IOException>(() => workspace.IngestAsync(ThrowingAfter(Records("b.jsonl", "b", 10), 4)));

        Assert.Contains("after 4 records", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(workspace.Directory));
        Assert.Equal(3, workspace.Documents.Count());
        // The lock and transaction were released: the same file ingests fully afterwards.
        var retry = await workspace.IngestAsync(Stream(Records("b.jsonl", "b", 10)));
        Assert.Equal(10, retry.Added);
    }

    [Fact]
    public async Task InvalidRecordMidStreamRollsBackTheWholeFile()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        var file = Records("b.jsonl", "b", 5);
        file[3] = file[3] with { Id = " " };
        var before = Snapshot(workspace.Directory);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => workspace.IngestAsync(Stream(file)));

        Assert.Equal("b.jsonl: record 3 has an empty id.", error.Message);
        Assert.Equal(before, Snapshot(workspace.Directory));
    }

    [Fact]
    public async Task CancellationMidFileRollsBackThatFileOnly()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        await workspace.IngestAsync(Stream(Records("a.jsonl", "a", 2)));
        var before = Snapshot(workspace.Directory);
        using var cts = new CancellationTokenSource();

        async IAsyncEnumerable<Document> CancelAfterThree()
        {
            var i = 0;
            foreach (var document in Records("b.jsonl", "b", 8))
            {
                if (i++ == 3)
                {
                    await cts.CancelAsync();
                }

                yield return document;
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workspace.IngestAsync(CancelAfterThree(), cancellationToken: cts.Token));

        Assert.Equal(before, Snapshot(workspace.Directory));
        Assert.Equal(["a0", "a1"], workspace.Documents.List().Select(d => d.Id));
    }

    [Fact]
    public async Task ExactDuplicatesAreStoredAndGroupedAcrossFilesAndWithinAFile()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        const string text = "A shared abstract about graph neural networks.";
        await workspace.IngestAsync(Stream([Doc("x", "a.jsonl", 0, text, "Same"), Doc("u", "a.jsonl", 1, "Unique one.")]));

        var result = await workspace.IngestAsync(Stream(
        [
            Doc("y", "b.jsonl", 0, text, "Same"),
            Doc("v", "b.jsonl", 1, "Unique two."),
            Doc("z", "b.jsonl", 2, text, "Same"),
        ]));

        Assert.Equal(3, result.Added);
        var group = Assert.Single(result.DuplicateGroups);
        Assert.Equal(["x", "y", "z"], group);
        Assert.Equal(5, workspace.Documents.Count());
        Assert.Equal([["x", "y", "z"]], workspace.Documents.GetDuplicateGroups());
        Assert.Equal([["x", "y", "z"]], workspace.Documents.GetDuplicateGroups(["z"]));
        Assert.Empty(workspace.Documents.GetDuplicateGroups(["u", "v"]));

        // Re-ingesting b reports the same group (its records are in it) and adds nothing.
        var again = await workspace.IngestAsync(Stream(
            [Doc("y", "b.jsonl", 0, text, "Same"), Doc("v", "b.jsonl", 1, "Unique two."), Doc("z", "b.jsonl", 2, text, "Same")]));
        Assert.Equal(0, again.Added);
        Assert.Equal([["x", "y", "z"]], again.DuplicateGroups);
    }

    [Fact]
    public async Task CollidingIdsOfOtherDocumentsGetDeterministicSuffixes()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        await workspace.IngestAsync(Stream([Doc("p1", "a.jsonl", 0, "First paper.")]));

        var b = await workspace.IngestAsync(Stream([Doc("p1", "b.jsonl", 0, "Different paper."), Doc("p1", "b.jsonl", 1, "Third paper.")]));

        Assert.Equal(["p1~2", "p1~3"], b.DocumentIds);
        Assert.Equal(
            [new RenamedDocument("p1", "p1~2", "b.jsonl", 0), new RenamedDocument("p1", "p1~3", "b.jsonl", 1)],
            b.Renamed);
        Assert.Equal("Different paper.", workspace.Documents.Get("p1~2")!.Abstract);
        Assert.Equal("First paper.", workspace.Documents.Get("p1")!.Abstract);
        Assert.Equal("p1", workspace.Documents.GetOriginalId("p1~3"));

        // Identity is (source, content, occurrence), so re-ingesting b finds both renamed records.
        var again = await workspace.IngestAsync(Stream([Doc("p1", "b.jsonl", 0, "Different paper."), Doc("p1", "b.jsonl", 1, "Third paper.")]));
        Assert.Equal((0, 2), (again.Added, again.Skipped));
        Assert.Equal(["p1~2", "p1~3"], again.DocumentIds);
        Assert.Empty(again.Renamed);
    }

    [Fact]
    public async Task AllOrNothingIngestionOfSeveralFilesRollsBackEveryFile()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        var before = Snapshot(workspace.Directory);

        await Assert.ThrowsAsync<IOException>(() => workspace.IngestAllAsync(
            [(Stream(Records("a.jsonl", "a", 3)), "a.jsonl"), (ThrowingAfter(Records("b.jsonl", "b", 3), 2), "b.jsonl")]));
        Assert.Equal(before, Snapshot(workspace.Directory));

        var results = await workspace.IngestAllAsync(
            [(Stream(Records("a.jsonl", "a", 3)), "a.jsonl"), (Stream(Records("b.jsonl", "b", 3)), "b.jsonl")]);
        Assert.Equal([3, 3], results.Select(r => r.Added));
        Assert.Equal(6, workspace.Documents.Count());
    }

    [Fact]
    public async Task StatsCountSourcesYearsCategoriesTitlesWordsAndAuthors()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        await workspace.IngestAsync(Stream(
        [
            new Document("1", "T1", "one two three", ["Ann", "Bob"], new DateOnly(2007, 4, 1), ["hep-ph", "hep-th"], "a.csv", 0),
            new Document("2", null, "one two three four five", ["Ann"], new DateOnly(2007, 5, 2), ["math.CO"], "a.csv", 1),
            new Document("3", "T3", "  a\tb\nc d  ", [], new DateOnly(2006, 1, 1), ["hep-ph"], "b.jsonl", 0),
            new Document("4", " ", "x y z w v u", ["Cy"], null, [], "a.csv", 2),
            new Document("5", "T1", "one two three", ["Dee"], null, ["hep-ph"], "b.jsonl", 1),
        ]));

        var stats = workspace.Documents.GetStats();

        Assert.Equal(5, stats.Documents);
        Assert.Equal(3, stats.WithTitle);
        Assert.Equal(3, stats.WithDate);
        Assert.Equal(4, stats.WithAuthors);
        Assert.Equal(4, stats.WithCategories);
        Assert.Equal((3 + 5 + 4 + 6 + 3) / 5.0, stats.AverageAbstractWords, 12);
        Assert.Equal((3, 6), (stats.MinAbstractWords, stats.MaxAbstractWords));
        Assert.Equal(5 / 5.0, stats.AverageAuthors, 12);
        Assert.Equal(4, stats.DistinctAuthors);
        Assert.Equal((1, 2), (stats.DuplicateGroups, stats.DocumentsInDuplicateGroups));
        Assert.Equal([new CountEntry("a.csv", 3), new CountEntry("b.jsonl", 2)], stats.BySource);
        Assert.Equal([new CountEntry("2006", 1), new CountEntry("2007", 2)], stats.ByYear);
        Assert.Equal([new CountEntry("hep-ph", 3), new CountEntry("math.CO", 1)], stats.ByPrimaryCategory);
    }

    [Fact]
    public void StatsOfAnEmptyWorkspaceAreZero()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        var stats = workspace.Documents.GetStats();
        Assert.Equal(0, stats.Documents);
        Assert.Equal(0, stats.AverageAbstractWords);
        Assert.Empty(stats.BySource);
        Assert.Empty(workspace.Documents.List());
    }
}

public class WorkspaceFileIngestTests
{
    [Fact]
    public async Task AFileWithABadRecordIsRolledBackAndAGoodOneIsReadThroughTheCorpusReader()
    {
        using var folder = new TempFolder();
        var good = folder.Combine("good.jsonl");
        System.IO.File.WriteAllLines(good,
        [
            """{"id": "g1", "title": "One", "abstract": "First abstract.", "authors": ["Ann"], "date": "2024-02-03", "categories": ["cs.CL"]}""",
            """{"id": "g2", "title": "Two", "abstract": "Second abstract.", "authors": [], "categories": []}""",
        ]);
        var bad = folder.Combine("bad.jsonl");
        System.IO.File.WriteAllLines(bad,
        [
            """{"id": "b1", "title": "Fine", "abstract": "A fine record."}""",
            """{"id": "b2", "title": "Broken", "abstract": """,
        ]);
        using var workspace = Workspace.Open(folder.Combine("ws"));

        var result = await workspace.IngestFileAsync(good);
        var before = Snapshot(workspace.Directory);
        var error = await Assert.ThrowsAsync<CorpusFormatException>(() => workspace.IngestFileAsync(bad, CorpusFormat.Json));

        Assert.Equal((2, good), (result.Added, result.Label));
        Assert.Contains("bad.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(workspace.Directory));
        AssertSameDocument(
            new Document("g1", "One", "First abstract.", ["Ann"], new DateOnly(2024, 2, 3), ["cs.CL"], "good.jsonl", 0),
            workspace.Documents.Get("g1")!);
    }
}
