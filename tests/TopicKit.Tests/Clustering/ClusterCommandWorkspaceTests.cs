using System.Text.Json;
using TopicKit.Corpus;
using TopicKit.Numerics;
using TopicKit.Tests.Storage;
using TopicKit.Storage;
using static TopicKit.Tests.Clustering.ClusterCliKit;
using static TopicKit.Tests.Storage.WorkspaceTestKit;

namespace TopicKit.Tests.Clustering;


/// <summary><c>topickit cluster</c> on a workspace's cached embeddings: model choice, the run record, rollback.</summary>
public sealed class ClusterCommandWorkspaceTests : IDisposable
{
    private const string Model = "test-encoder-v1";
    private readonly TempFolder _folder = new();
    private readonly string _workspace;
    private readonly List<Document> _documents;
    private readonly int[] _truth;

    public ClusterCommandWorkspaceTests()
    {
        _workspace = _folder.Combine("ws");
        _documents = Records("papers.jsonl", "p", 40);
        var (vectors, truth) = Blobs(2, 20, 6, seed: 5);
        _truth = truth;
        using var workspace = Workspace.Open(_workspace);
        workspace.IngestAsync(Stream(_documents)).GetAwaiter().GetResult();
        // The embed command keys a vector by the hash of "Title. Abstract".
        workspace.Embeddings.Put(Model, _documents.Select(d => EmbeddingStore.ComputeTextHash(d.Title + ". " + d.Abstract)).ToArray(), vectors);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task KMeansWritesOneCompletedRunWithAResultPerDocumentAndTheSameCsv()
    {
        var output = _folder.Combine("labels.csv");

        var run = await CliTestKit.RunAsync("cluster", "--workspace", _workspace, "-a", "kmeans", "--k", "2", "--out", output, "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(Model, json.RootElement.GetProperty("model").GetString());
        var runId = json.RootElement.GetProperty("run_id").GetInt64();
        var csv = ReadLabels(output);
        Assert.Equal("index,label,probability,outlier_score,doc_id", csv.Header);
        Assert.Equal(_documents.Select(d => d.Id), csv.DocumentIds);
        AssertSamePartition(_truth, csv.Labels);

        using var workspace = Workspace.Open(_workspace);
        var record = Assert.Single(workspace.Runs.List());
        Assert.Equal(runId, record.Id);
        Assert.Equal("cluster", record.Kind);
        Assert.Equal(RunStatus.Completed, record.Status);
        Assert.NotNull(record.FinishedUtc);
        using var parameters = JsonDocument.Parse(record.ParametersJson);
        Assert.Equal("kmeans", parameters.RootElement.GetProperty("algorithm").GetString());
        Assert.Equal(2, parameters.RootElement.GetProperty("k").GetInt32());
        Assert.Equal(Model, parameters.RootElement.GetProperty("model").GetString());
        var results = workspace.Runs.GetResults(runId);
        Assert.Equal(csv.DocumentIds, results.Select(r => r.DocumentId));
        Assert.Equal(csv.Labels, results.Select(r => r.Label));
        Assert.Equal(csv.OutlierScores.Select(d => (float)d), results.Select(r => r.OutlierScore));
    }

    [Fact]
    public async Task DefaultHdbscanReducesWithUmapAndFindsTheTwoGroups()
    {
        var run = await CliTestKit.RunAsync("cluster", "-w", _workspace, "--min-cluster-size", "5", "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("umap:5", json.RootElement.GetProperty("reduce").GetString());
        Assert.Equal("cosine", json.RootElement.GetProperty("umap_metric").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("clusters").GetInt32());
        using var workspace = Workspace.Open(_workspace);
        var results = workspace.Runs.GetResults(json.RootElement.GetProperty("run_id").GetInt64());
        var labels = results.Select(r => r.Label).ToArray();
        // Noise is allowed at the fringes, but no clustered point may sit with the other group.
        for (var i = 0; i < labels.Length; i++)
        {
            for (var j = 0; j < labels.Length; j++)
            {
                if (labels[i] >= 0 && labels[j] >= 0)
                {
                    Assert.Equal(_truth[i] == _truth[j], labels[i] == labels[j]);
                }
            }
        }

        Assert.True(labels.Count(l => l >= 0) >= 30);
    }

    [Fact]
    public async Task DefaultModelIsTheOneWithMostVectorsAndPrefixesSelectOthers()
    {
        using (var workspace = Workspace.Open(_workspace))
        {
            // A second model holding vectors for only some documents: never the default, and an error when chosen.
            var few = _documents.Take(10).Select(d => EmbeddingStore.ComputeTextHash(d.Title + ". " + d.Abstract)).ToArray();
            workspace.Embeddings.Put("aaa-partial", few, new Matrix(10, 3));
        }

        var byDefault = await CliTestKit.RunAsync("cluster", "-w", _workspace, "-a", "kmeans", "--k", "2", "--json");
        var byPrefix = await CliTestKit.RunAsync("cluster", "-w", _workspace, "-a", "kmeans", "--k", "2", "--model", "test-enc", "--json");
        var partial = await CliTestKit.RunAsync("cluster", "-w", _workspace, "-a", "kmeans", "--k", "2", "--model", "aaa");
        var unknown = await CliTestKit.RunAsync("cluster", "-w", _workspace, "-a", "kmeans", "--k", "2", "--model", "zzz");

        Assert.True(byDefault.ExitCode == 0, byDefault.Stderr);
        using (var json = JsonDocument.Parse(byDefault.Stdout))
        {
            Assert.Equal(Model, json.RootElement.GetProperty("model").GetString());
        }

        Assert.True(byPrefix.ExitCode == 0, byPrefix.Stderr);
        Assert.Equal(1, partial.ExitCode);
        Assert.Contains("30 of 40 documents (e.g. 'p10') have no title+abstract embedding for model aaa-partial; run `topickit embed`", partial.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no embeddings for model 'zzz'", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextSelectsVectorsEmbeddedFromAnotherPartOfTheDocuments()
    {
        using (var workspace = Workspace.Open(_workspace))
        {
            var (vectors, _) = Blobs(2, 20, 4, seed: 8);
            workspace.Embeddings.Put("abstract-only", _documents.Select(d => EmbeddingStore.ComputeTextHash(d.Abstract)).ToArray(), vectors);
        }

        var byDefault = await CliTestKit.RunAsync("cluster", "-w", _workspace, "--model", "abstract-only", "-a", "kmeans", "--k", "2");
        var byText = await CliTestKit.RunAsync("cluster", "-w", _workspace, "--model", "abstract-only", "--text", "abstract", "-a", "kmeans", "--k", "2", "--json");

        Assert.Equal(1, byDefault.ExitCode);
        Assert.Contains("have no title+abstract embedding for model abstract-only", byDefault.Stderr, StringComparison.Ordinal);
        Assert.True(byText.ExitCode == 0, byText.Stderr);
        using var json = JsonDocument.Parse(byText.Stdout);
        Assert.Equal("abstract", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("columns").GetInt32());
    }

    [Fact]
    public async Task IngestEmbedThenClusterEndToEnd()
    {
        var ws = _folder.Combine("e2e");
        Assert.Equal(0, (await CliTestKit.RunAsync("ingest", CliTestKit.SampleCorpus, "-w", ws)).ExitCode);
        var embed = await CliTestKit.RunAsync("embed", "-w", ws, "--model", "lexical", "--dim", "24", "--json");
        Assert.True(embed.ExitCode == 0, embed.Stderr);
        using var embedded = JsonDocument.Parse(embed.Stdout);
        var modelId = embedded.RootElement.GetProperty("modelId").GetString();
        var documents = embedded.RootElement.GetProperty("documents").GetInt32();

        var run = await CliTestKit.RunAsync("cluster", "-w", ws, "--min-cluster-size", "5", "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(modelId, json.RootElement.GetProperty("model").GetString());
        Assert.Equal(documents, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal("umap:5", json.RootElement.GetProperty("reduce").GetString());
        using var workspace = Workspace.Open(ws);
        var results = workspace.Runs.GetResults(json.RootElement.GetProperty("run_id").GetInt64());
        Assert.Equal(workspace.Documents.List().Select(d => d.Id), results.Select(r => r.DocumentId));
        Assert.Equal(json.RootElement.GetProperty("noise").GetInt32(), results.Count(r => r.Label == -1));
    }

    [Fact]
    public async Task NoEmbeddingsSaysToRunEmbedFirst()
    {
        var empty = _folder.Combine("empty-ws");
        using (var workspace = Workspace.Open(empty))
        {
            await workspace.IngestAsync(Stream(_documents));
        }

        var run = await CliTestKit.RunAsync("cluster", "-w", empty);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("has no embeddings; run `topickit embed` first", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellationLeavesTheWorkspaceAndTheOutputUntouched()
    {
        var before = Snapshot(_workspace);
        var output = _folder.Combine("never.csv");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var run = await CliTestKit.RunAsync(["cluster", "-w", _workspace, "-a", "kmeans", "--k", "2", "--out", output], cancelled.Token);

        Assert.Equal(130, run.ExitCode);
        Assert.Contains("cancelled; nothing was written", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(_workspace));
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task AMatrixFileWithTheWorkspaceMustHaveOneRowPerDocument()
    {
        var wrong = _folder.Combine("wrong.npy");
        NpyFile.Write(wrong, Blobs(2, 10, 6, seed: 6).Data);
        var right = _folder.Combine("right.npy");
        NpyFile.Write(right, Blobs(2, 20, 6, seed: 5).Data);

        var mismatch = await CliTestKit.RunAsync("cluster", "-w", _workspace, "--embeddings", wrong, "-a", "kmeans", "--k", "2");
        var matched = await CliTestKit.RunAsync("cluster", "-w", _workspace, "--embeddings", right, "-a", "kmeans", "--k", "2", "--json");

        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("has 20 rows but workspace", mismatch.Stderr, StringComparison.Ordinal);
        Assert.True(matched.ExitCode == 0, matched.Stderr);
        using var json = JsonDocument.Parse(matched.Stdout);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("run_id").ValueKind);
    }

    [Fact]
    public void RecordRollsBackTheWholeRunWhenAResultNamesAnUnknownDocument()
    {
        using var workspace = Workspace.Open(_workspace);
        var before = workspace.Runs.List().Count;

        Assert.Throws<KeyNotFoundException>(() => workspace.Runs.Record(
            "cluster", "{}", [new RunResult(_documents[0].Id, 0, 1f, 0f), new RunResult("no-such-doc", 0, 1f, 0f)]));

        Assert.Equal(before, workspace.Runs.List().Count);
        var recorded = workspace.Runs.Record("cluster", "{\"k\":1}", [new RunResult(_documents[0].Id, 3, 0.5f, 0.25f)]);
        Assert.Equal(RunStatus.Completed, recorded.Status);
        Assert.Equal(new RunResult(_documents[0].Id, 3, 0.5f, 0.25f), Assert.Single(workspace.Runs.GetResults(recorded.Id)));
    }
}
