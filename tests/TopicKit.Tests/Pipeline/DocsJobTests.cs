using TopicKit.Corpus;
using TopicKit.Pipeline;
using TopicKit.Storage;

namespace TopicKit.Tests.Pipeline;

public sealed class DocsJobTests
{
    [Fact]
    public async Task ListPagesThroughTheDocumentsInIngestionOrder()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        string[] order = ["p-speech", "p-speech-v2", "p-galaxy", "p-protein", "p-galaxy-copy", "p-climate"];

        var all = DocsJob.List(new DocsListRequest(ws));
        Assert.Equal(order, all.Documents.Select(d => d.Id));
        Assert.Equal(6, all.Total);
        Assert.False(all.HasMore);

        var page = DocsJob.List(new DocsListRequest(ws) { Offset = 2, Limit = 3 });
        Assert.Equal(order[2..5], page.Documents.Select(d => d.Id));
        Assert.True(page.HasMore);
        Assert.Empty(DocsJob.List(new DocsListRequest(ws) { Offset = 6 }).Documents);
        Assert.Equal("Offset", Assert.Throws<ArgumentOutOfRangeException>(() => DocsJob.List(new DocsListRequest(ws) { Offset = -1 })).ParamName);
        Assert.Equal("Limit", Assert.Throws<ArgumentOutOfRangeException>(() => DocsJob.List(new DocsListRequest(ws) { Limit = -1 })).ParamName);
    }

    [Fact]
    public async Task ShowGivesTheStoredDocumentAndTheIdItsSourceGaveIt()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));
        // Same id, other content: ingestion keeps both and renames the newcomer.
        var clash = new Document("p-climate", "Another paper", "Entirely different text about sea ice.", [], null, [], "c.jsonl", 0);
        using (var workspace = Workspace.Open(ws))
        {
            var renamed = Assert.Single((await workspace.IngestAsync(Storage.WorkspaceTestKit.Stream([clash]))).Renamed);
            Assert.Equal("p-climate", renamed.OriginalId);
        }

        var shown = DocsJob.Show(new DocShowRequest(ws, "p-galaxy"));
        Storage.WorkspaceTestKit.AssertSameDocument(JobTestCorpus.Documents[2], shown.Document);
        Assert.Null(shown.OriginalId);

        var list = DocsJob.List(new DocsListRequest(ws) { Offset = 6 });
        var newcomer = DocsJob.Show(new DocShowRequest(ws, list.Documents[0].Id));
        Assert.NotEqual("p-climate", newcomer.Document.Id);
        Assert.Equal("p-climate", newcomer.OriginalId);
        Assert.Equal("Another paper", newcomer.Document.Title);

        var unknown = Assert.Throws<KeyNotFoundException>(() => DocsJob.Show(new DocShowRequest(ws, "nope")));
        Assert.StartsWith("no document with id 'nope'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatsCountTheCorpusAndAMissingWorkspaceIsNotCreated()
    {
        using var folder = new TempFolder();
        var ws = await JobTestCorpus.CreateAsync(folder.Combine("ws"));

        var stats = DocsJob.Stats(new DocsStatsRequest(ws));
        Assert.Equal(6, stats.Documents);
        Assert.Equal(6, stats.WithTitle);
        Assert.Equal(4, stats.WithDate);
        Assert.Equal(1, stats.DuplicateGroups);
        Assert.Equal(2, stats.DocumentsInDuplicateGroups);
        Assert.Equal([("a.jsonl", 4), ("b.jsonl", 2)], stats.BySource.Select(e => (e.Key, e.Count)).OrderBy(e => e.Key, StringComparer.Ordinal));

        var missing = folder.Combine("missing");
        Assert.ThrowsAny<WorkspaceException>(() => DocsJob.Stats(new DocsStatsRequest(missing)));
        Assert.ThrowsAny<WorkspaceException>(() => DocsJob.List(new DocsListRequest(missing)));
        Assert.False(Directory.Exists(missing));
    }
}
