using TopicKit.Embedding;
using TopicKit.Storage;
using TopicKit.Tests.Embedding;

namespace TopicKit.Tests.Storage;

/// <summary>The chunked, resumable cache fill behind <c>topickit embed</c>.</summary>
public sealed class WorkspaceEmbedderTests : IDisposable
{
    private readonly EmbeddingTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task InterruptedRunKeepsCommittedChunksAndTheRerunComputesOnlyTheRest()
    {
        var docs = Enumerable.Range(0, 7).Select(i => EmbeddingTestKit.Doc($"d{i}", $"Paper {i}", $"Surface codes and qubit noise, variant {i % 3} of decoders.", i)).ToList();
        var directory = _kit.File("ws");
        await EmbeddingTestKit.IngestAsync(directory, docs);
        using var workspace = TopicKit.Storage.Workspace.Open(directory);
        var (encoder, fitted) = WorkspaceEmbedder.LoadOrFitLexical(workspace, EmbeddingTextField.TitleAbstract, new LexicalEncoderOptions(3));
        Assert.True(fitted);

        using var cancellation = new CancellationTokenSource();
        var reports = new List<WorkspaceEmbedProgress>();
        var progress = new Inline(p =>
        {
            reports.Add(p);
            if (p.Computed >= 2)
            {
                cancellation.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            WorkspaceEmbedder.EmbedMissing(workspace, encoder, new WorkspaceEmbedOptions(ChunkSize: 2), progress, cancellation.Token));
        Assert.Equal([new(0, 7), new(2, 7)], reports);
        Assert.Equal(2, workspace.Embeddings.ListModels().Single().Count);

        var resumed = WorkspaceEmbedder.EmbedMissing(workspace, encoder, new WorkspaceEmbedOptions(ChunkSize: 2));
        Assert.Equal((7, 2, 5), (resumed.UniqueTexts, resumed.Cached, resumed.Computed));
        var (ids, vectors) = WorkspaceEmbedder.GetDocumentVectors(workspace, encoder.ModelId, string.Empty, EmbeddingTextField.TitleAbstract);
        Assert.Equal(docs.Select(d => d.Id), ids);
        Assert.Equal(encoder.Encode([.. docs.Select(d => EmbeddingText.For(d, EmbeddingTextField.TitleAbstract))]).Data, vectors.Data);

        // The saved encoder is the one reloaded.
        var (reloaded, refitted) = WorkspaceEmbedder.LoadOrFitLexical(workspace, EmbeddingTextField.TitleAbstract);
        Assert.False(refitted);
        Assert.Equal(encoder.ModelId, reloaded.ModelId);
    }

    [Fact]
    public async Task IdenticalTextsShareOneVectorAndPrefixesAreKeyed()
    {
        var directory = _kit.File("ws");
        await EmbeddingTestKit.IngestAsync(directory, [
            EmbeddingTestKit.Doc("a", "Same", "Identical abstract text here.", 0),
            EmbeddingTestKit.Doc("b", "Same", "Identical abstract text here.", 1),
            EmbeddingTestKit.Doc("c", "Other", "A different abstract.", 2),
        ]);
        using var workspace = TopicKit.Storage.Workspace.Open(directory);
        using var prefixed = OnnxSentenceEncoder.Load(EmbeddingTestKit.Model("tiny-bert"), new SentenceEncoderOptions { Prefix = "passage: " });
        var result = WorkspaceEmbedder.EmbedMissing(workspace, prefixed);
        Assert.Equal((3, 2, 2), (result.Documents, result.UniqueTexts, result.Computed));

        // The key is the hash of the prefixed text, and export finds it through the recorded prefix.
        Assert.Empty(workspace.Embeddings.FindMissing(prefixed.ModelId, [EmbeddingStore.ComputeTextHash("passage: Other. A different abstract.")]));
        Assert.Equal("passage: ", WorkspaceEmbedder.RecordedPrefix(workspace, prefixed.ModelId));
        var (_, vectors) = WorkspaceEmbedder.GetDocumentVectors(workspace, prefixed.ModelId, "passage: ", EmbeddingTextField.TitleAbstract);
        Assert.Equal(vectors.RowReadOnly(0).ToArray(), vectors.RowReadOnly(1).ToArray());
        var direct = prefixed.Encode(["Other. A different abstract."]);
        Assert.True(EmbeddingTestKit.Cosine(direct.RowReadOnly(0), vectors.RowReadOnly(2)) >= 0.99999f);
    }

    [Fact]
    public void TextFieldsFollowTheIssue()
    {
        var titled = EmbeddingTestKit.Doc("x", "A title", "The abstract.", 0);
        var untitled = EmbeddingTestKit.Doc("y", null, "Only abstract.", 0);
        Assert.Equal("A title. The abstract.", EmbeddingText.For(titled, EmbeddingTextField.TitleAbstract));
        Assert.Equal("The abstract.", EmbeddingText.For(titled, EmbeddingTextField.Abstract));
        Assert.Equal("A title", EmbeddingText.For(titled, EmbeddingTextField.Title));
        Assert.Equal("Only abstract.", EmbeddingText.For(untitled, EmbeddingTextField.TitleAbstract));
        Assert.Equal("Only abstract.", EmbeddingText.For(untitled, EmbeddingTextField.Title));
        Assert.Equal(EmbeddingTextField.TitleAbstract, EmbeddingText.Parse("Title+Abstract"));
        Assert.Throws<ArgumentException>(() => EmbeddingText.Parse("body"));
    }

    private sealed class Inline(Action<WorkspaceEmbedProgress> report) : IProgress<WorkspaceEmbedProgress>
    {
        public void Report(WorkspaceEmbedProgress value) => report(value);
    }
}
