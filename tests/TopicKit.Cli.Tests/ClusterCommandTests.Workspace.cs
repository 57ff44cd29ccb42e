using System.Text.Json;
using TopicKit.Corpus;
using TopicKit.Numerics;
using TopicKit.Tests.Storage;
using TopicKit.Storage;
using static TopicKit.Tests.Clustering.ClusterTestKit;
using static TopicKit.Tests.Storage.WorkspaceTestKit;

namespace TopicKit.Cli.Tests;

// On a workspace's cached embeddings: model choice, the run record, rollback.
public sealed partial class ClusterCommandTests
{
    private const string Model = "test-encoder-v1";
    private (string Directory, List<Document> Documents, int[] Truth)? _seeded;

    /// <summary>A workspace of 40 documents in two groups with vectors of <see cref="Model"/>, made on first use.</summary>
    private (string Directory, List<Document> Documents, int[] Truth) Seeded => _seeded ??= Seed();

    private string SeededWorkspace => Seeded.Directory;

    private (string Directory, List<Document> Documents, int[] Truth) Seed()
    {
        var directory = _folder.Combine("ws");
        var documents = Records("papers.jsonl", "p", 40);
        var (vectors, truth) = Blobs(2, 20, 6, seed: 5);
        using var workspace = Workspace.Open(directory);
        workspace.IngestAsync(Stream(documents)).GetAwaiter().GetResult();
        // The embed command keys a vector by the hash of "Title. Abstract".
        workspace.Embeddings.Put(Model, documents.Select(d => EmbeddingStore.ComputeTextHash(d.Title + ". " + d.Abstract)).ToArray(), vectors);
        return (directory, documents, truth);
    }

    [Fact]
    public async Task KMeansWritesOneCompletedRunWithAResultPerDocumentAndTheSameCsv()
    {
        var output = _folder.Combine("labels.csv");

        var run = await CliRunner.RunAsync("cluster", "--workspace", SeededWorkspace, "-a", "kmeans", "--k", "2", "--out", output, "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(Model, json.RootElement.GetProperty("model").GetString());
        var runId = json.RootElement.GetProperty("run_id").GetInt64();
        var csv = ReadLabels(output);
        Assert.Equal("index,label,probability,outlier_score,doc_id", csv.Header);
        Assert.Equal(Seeded.Documents.Select(d => d.Id), csv.DocumentIds);
        AssertSamePartition(Seeded.Truth, csv.Labels);

        using var workspace = Workspace.Open(SeededWorkspace);
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
        var run = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "--min-cluster-size", "5", "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("umap:5", json.RootElement.GetProperty("reduce").GetString());
        Assert.Equal("cosine", json.RootElement.GetProperty("umap_metric").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("clusters").GetInt32());
        using var workspace = Workspace.Open(SeededWorkspace);
        var results = workspace.Runs.GetResults(json.RootElement.GetProperty("run_id").GetInt64());
        var labels = results.Select(r => r.Label).ToArray();
        // Noise is allowed at the fringes, but no clustered point may sit with the other group.
        for (var i = 0; i < labels.Length; i++)
        {
            for (var j = 0; j < labels.Length; j++)
            {
                if (labels[i] >= 0 && labels[j] >= 0)
                {
                    Assert.Equal(Seeded.Truth[i] == Seeded.Truth[j], labels[i] == labels[j]);
                }
            }
        }

        Assert.True(labels.Count(l => l >= 0) >= 30);
    }

    [Fact]
    public async Task DefaultModelIsTheOneWithMostVectorsAndPrefixesSelectOthers()
    {
        using (var workspace = Workspace.Open(SeededWorkspace))
        {
            // A second model holding vectors for only some documents: never the default, and an error when chosen.
            var few = Seeded.Documents.Take(10).Select(d => EmbeddingStore.ComputeTextHash(d.Title + ". " + d.Abstract)).ToArray();
            workspace.Embeddings.Put("aaa-partial", few, new Matrix(10, 3));
        }

        var byDefault = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "-a", "kmeans", "--k", "2", "--json");
        var byPrefix = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "-a", "kmeans", "--k", "2", "--model", "test-enc", "--json");
        var partial = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "-a", "kmeans", "--k", "2", "--model", "aaa");
        var unknown = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "-a", "kmeans", "--k", "2", "--model", "zzz");

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
        using (var workspace = Workspace.Open(SeededWorkspace))
        {
            var (vectors, _) = Blobs(2, 20, 4, seed: 8);
            workspace.Embeddings.Put("abstract-only", Seeded.Documents.Select(d => EmbeddingStore.ComputeTextHash(d.Abstract)).ToArray(), vectors);
        }

        var byDefault = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "--model", "abstract-only", "-a", "kmeans", "--k", "2");
        var byText = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "--model", "abstract-only", "--text", "abstract", "-a", "kmeans", "--k", "2", "--json");

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
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", CliRunner.SampleCorpus, "-w", ws)).ExitCode);
        var embed = await CliRunner.RunAsync("embed", "-w", ws, "--model", "lexical", "--dim", "24", "--json");
        Assert.True(embed.ExitCode == 0, embed.Stderr);
        using var embedded = JsonDocument.Parse(embed.Stdout);
        var modelId = embedded.RootElement.GetProperty("model_id").GetString();
        var documents = embedded.RootElement.GetProperty("documents").GetInt32();

        var run = await CliRunner.RunAsync("cluster", "-w", ws, "--min-cluster-size", "5", "--json");

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
            await workspace.IngestAsync(Stream(Seeded.Documents));
        }

        var run = await CliRunner.RunAsync("cluster", "-w", empty);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("has no embeddings; run `topickit embed` first", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellationLeavesTheWorkspaceAndTheOutputUntouched()
    {
        var before = Snapshot(SeededWorkspace);
        var output = _folder.Combine("never.csv");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var run = await CliRunner.RunAsync(cancelled.Token, ["cluster", "-w", SeededWorkspace, "-a", "kmeans", "--k", "2", "--out", output]);

        Assert.Equal(130, run.ExitCode);
        Assert.Contains("cancelled; nothing was written", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(SeededWorkspace));
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

        var mismatch = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "--embeddings", wrong, "-a", "kmeans", "--k", "2");
        var matched = await CliRunner.RunAsync("cluster", "-w", SeededWorkspace, "--embeddings", right, "-a", "kmeans", "--k", "2", "--json");

        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("has 20 rows but workspace", mismatch.Stderr, StringComparison.Ordinal);
        Assert.True(matched.ExitCode == 0, matched.Stderr);
        using var json = JsonDocument.Parse(matched.Stdout);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("run_id").ValueKind);
    }

}
