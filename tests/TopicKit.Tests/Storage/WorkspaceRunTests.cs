using TopicKit.Tests.Infrastructure;
using TopicKit.Storage;
using static TopicKit.Tests.Storage.WorkspaceTestKit;

namespace TopicKit.Tests.Storage;


public class WorkspaceRunTests
{
    [Fact]
    public async Task RunsKeepParametersStatusAndResultsInDocumentOrder()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        await workspace.IngestAsync(Stream(Records("a.jsonl", "d", 3)));
        var before = DateTimeOffset.UtcNow;

        var run = workspace.Runs.Create("hdbscan", "{\"min_cluster_size\": 5}");

        Assert.Equal("hdbscan", run.Kind);
        Assert.Equal("{\"min_cluster_size\": 5}", run.ParametersJson);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Null(run.FinishedUtc);
        Assert.InRange(run.CreatedUtc, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        workspace.Runs.PutResults(run.Id, [new RunResult("d2", -1, 0f, 0.9f), new RunResult("d0", 0, 0.75f, 0.125f)]);
        workspace.Runs.PutResults(run.Id, [new RunResult("d1", 1, 1f, 0f)]);
        Assert.Equal(
            [new RunResult("d0", 0, 0.75f, 0.125f), new RunResult("d1", 1, 1f, 0f), new RunResult("d2", -1, 0f, 0.9f)],
            workspace.Runs.GetResults(run.Id));

        var done = workspace.Runs.SetStatus(run.Id, RunStatus.Completed);
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.NotNull(done.FinishedUtc);
        var second = workspace.Runs.Create("kmeans", "{}");
        Assert.Equal([run.Id, second.Id], workspace.Runs.List().Select(r => r.Id));
        Assert.True(second.Id > run.Id);

        Assert.True(workspace.Runs.Delete(run.Id));
        Assert.Empty(workspace.Runs.GetResults(run.Id));
        Assert.Null(workspace.Runs.Get(run.Id));
        Assert.False(workspace.Runs.Delete(run.Id));
    }

    [Fact]
    public async Task ARunAndItsArtifactsCommitTogetherAndAreDeletedTogether()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        await workspace.IngestAsync(Stream(Records("a.jsonl", "d", 2)));
        static IEnumerable<KeyValuePair<string, byte[]>> Artifacts(long id) =>
            [new($"topics/run-{id}", [1, 2, 3]), new($"map/run-{id}", [4])];

        var run = workspace.Runs.Record("topics", "{}", [new RunResult("d0", 0, 1f, 0f), new RunResult("d1", 1, 1f, 0f)], Artifacts);
        Assert.Equal([1, 2, 3], workspace.Artifacts.Get($"topics/run-{run.Id}"));
        Assert.Equal([4], workspace.Artifacts.Get($"map/run-{run.Id}"));

        // A result naming an unknown document: neither the run nor its artifacts are stored.
        var runs = workspace.Runs.List().Count;
        var artifacts = workspace.Artifacts.List().Count;
        Assert.Throws<KeyNotFoundException>(() => workspace.Runs.Record("topics", "{}", [new RunResult("nope", 0, 1f, 0f)], Artifacts));
        Assert.Equal(runs, workspace.Runs.List().Count);
        Assert.Equal(artifacts, workspace.Artifacts.List().Count);

        // Deleting the run takes its artifacts along, not those of another run whose id ends in the same digits.
        workspace.Artifacts.Put($"topics/run-1{run.Id}", [9]);
        workspace.Artifacts.Put("lexical-encoder", [8]);
        Assert.True(workspace.Runs.Delete(run.Id));
        Assert.Null(workspace.Artifacts.Get($"topics/run-{run.Id}"));
        Assert.Null(workspace.Artifacts.Get($"map/run-{run.Id}"));
        Assert.Equal([9], workspace.Artifacts.Get($"topics/run-1{run.Id}"));
        Assert.Equal([8], workspace.Artifacts.Get("lexical-encoder"));
    }

    [Fact]
    public async Task BadResultsAndParametersAreRefusedWithoutPartialWrites()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        await workspace.IngestAsync(Stream(Records("a.jsonl", "d", 2)));
        var run = workspace.Runs.Create("kmeans", "{}");
        var before = Snapshot(workspace.Directory);

        var error = Assert.Throws<KeyNotFoundException>(() => workspace.Runs.PutResults(run.Id, [new RunResult("d0", 0, 1f, 0f), new RunResult("nope", 0, 1f, 0f)]));
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => workspace.Runs.PutResults(run.Id + 1, [new RunResult("d0", 0, 1f, 0f)]));
        Assert.Throws<KeyNotFoundException>(() => workspace.Runs.SetStatus(run.Id + 1, RunStatus.Failed));
        Assert.Throws<ArgumentException>(() => workspace.Runs.Create("kmeans", "{not json"));

        Assert.Equal(before, Snapshot(workspace.Directory));
    }

    [Fact]
    public void ArtifactsStoreReplaceListAndDeleteBytes()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        byte[] first = [0, 1, 2, 255];
        workspace.Artifacts.Put("lexical/encoder", first);
        workspace.Artifacts.Put("z", []);
        workspace.Artifacts.Put("lexical/encoder", [7, 7]);

        Assert.Equal([7, 7], workspace.Artifacts.Get("lexical/encoder")!);
        Assert.Equal([], workspace.Artifacts.Get("z")!);
        Assert.Null(workspace.Artifacts.Get("missing"));
        Assert.Equal([("lexical/encoder", 2L), ("z", 0L)], workspace.Artifacts.List().Select(a => (a.Name, a.Length)));
        Assert.True(workspace.Artifacts.Delete("z"));
        Assert.False(workspace.Artifacts.Delete("z"));
        Assert.Single(workspace.Artifacts.List());
    }

    [Fact]
    public async Task RecordRollsBackTheWholeRunWhenAResultNamesAnUnknownDocument()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Combine("ws"));
        var documents = Records("papers.jsonl", "p", 2);
        await workspace.IngestAsync(Stream(documents));
        var before = workspace.Runs.List().Count;

        Assert.Throws<KeyNotFoundException>(() => workspace.Runs.Record(
            "cluster", "{}", [new RunResult(documents[0].Id, 0, 1f, 0f), new RunResult("no-such-doc", 0, 1f, 0f)]));

        Assert.Equal(before, workspace.Runs.List().Count);
        var recorded = workspace.Runs.Record("cluster", "{\"k\":1}", [new RunResult(documents[0].Id, 3, 0.5f, 0.25f)]);
        Assert.Equal(RunStatus.Completed, recorded.Status);
        Assert.Equal(new RunResult(documents[0].Id, 3, 0.5f, 0.25f), Assert.Single(workspace.Runs.GetResults(recorded.Id)));
    }
}
