using TopicKit.Cli.Commands;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;
using TopicKit.Tests.Embedding;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit embeddings list|export</c>: the cached vectors written in document order.</summary>
public sealed class EmbeddingsCommandTests : IDisposable
{
    private static readonly TopicKit.Corpus.Document[] Docs = EmbedCommandTests.Docs;

    private readonly EmbeddingTestKit _kit = new();

    public EmbeddingsCommandTests()
    {
        Workspace = _kit.File("ws");
        NoModels = _kit.File("no-models");
    }

    private string Workspace { get; }

    private string NoModels { get; }

    public void Dispose() => _kit.Dispose();

    private Task<JsonElement> Embed(params string[] args) => EmbedCommandTests.EmbedAsync(Workspace, NoModels, args);

    [Fact]
    public async Task ExportWritesDocumentOrderMatrixAndIdsAsNpyAndCsv()
    {
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        var model = EmbeddingTestKit.Model("tiny-bert");
        var embedded = await Embed("--model", model);
        var modelId = embedded.GetProperty("model_id").GetString()!;

        var npy = _kit.File("e.npy");
        var (code, stdout, stderr) = await CliRunner.RunAsync("embeddings", "export", "-w", Workspace, "--format", "npy", "--out", npy, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(modelId, JsonDocument.Parse(stdout).RootElement.GetProperty("model_id").GetString());
        Assert.Equal(Docs.Select(d => d.Id), File.ReadAllLines(npy + ".ids.txt"));
        var matrix = EmbeddingTestKit.ReadNpy(npy);
        Assert.Equal((5, 32), (matrix.Rows, matrix.Columns));
        using (var workspace = TopicKit.Storage.Workspace.Open(Workspace))
        {
            for (var i = 0; i < Docs.Length; i++)
            {
                var hash = EmbeddingStore.ComputeTextHash(EmbeddingText.For(Docs[i], EmbeddingTextField.TitleAbstract));
                Assert.Equal(workspace.Embeddings.Get(modelId, [hash]).Data, matrix.RowReadOnly(i).ToArray());
            }
        }

        var csv = _kit.File("e.csv");
        var ids = _kit.File("ids.txt");
        (code, _, stderr) = await CliRunner.RunAsync("embeddings", "export", "-w", Workspace, "--model", model, "--format", "csv", "--out", csv, "--ids", ids);
        Assert.True(code == 0, stderr);
        Assert.Equal(matrix.Data, MatrixCsv.Read(csv).Data);
        Assert.Equal(Docs.Select(d => d.Id), File.ReadAllLines(ids));

        // Exporting a model id straight from `embeddings list` works too.
        (code, _, stderr) = await CliRunner.RunAsync("embeddings", "export", "-w", Workspace, "--model", modelId, "--format", "npy", "--out", _kit.File("f.npy"));
        Assert.True(code == 0, stderr);
        Assert.Equal(matrix.Data, EmbeddingTestKit.ReadNpy(_kit.File("f.npy")).Data);
    }

    [Fact]
    public async Task ExportRefusesIncompleteOrMissingEmbeddings()
    {
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        var (code, _, stderr) = await CliRunner.RunAsync("embeddings", "export", "-w", Workspace, "--format", "npy", "--out", _kit.File("x.npy"));
        Assert.Equal(1, code);
        Assert.Contains("topickit embed", stderr, StringComparison.Ordinal);

        await Embed("--model", "lexical", "--dim", "4");
        await EmbeddingTestKit.IngestAsync(Workspace, [EmbeddingTestKit.Doc("late", "Late paper", "Arrived after embedding.", 0)]);
        (code, _, stderr) = await CliRunner.RunAsync("embeddings", "export", "-w", Workspace, "--model", "lexical", "--format", "npy", "--out", _kit.File("x.npy"));
        Assert.Equal(1, code);
        Assert.Contains("1 of 6 documents", stderr, StringComparison.Ordinal);
        Assert.Contains("'late'", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_kit.File("x.npy")));
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        CliConventions.AssertUsageError(await CliRunner.RunAsync("embeddings", "export", "-w", Workspace), "topickit embeddings export", "--format");
        CliConventions.AssertError(await CliRunner.RunAsync("embeddings", "list", "-w", _kit.File("absent")), ExitCodes.WorkspaceUnusable, "no workspace at");
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        await Embed("--model", "lexical", "--dim", "3");
        var same = _kit.File("same.txt");
        var clash = await CliRunner.RunAsync("embeddings", "export", "-w", Workspace, "--format", "npy", "--out", same, "--ids", same);

        CliConventions.AssertUsageError(clash, "topickit embeddings export", "--ids and --out both name");
        Assert.False(File.Exists(same));
        Assert.Empty(Directory.EnumerateFiles(_kit.Root, "*.partial"));
    }
}
