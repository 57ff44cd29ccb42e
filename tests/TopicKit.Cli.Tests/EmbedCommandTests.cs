using TopicKit.Tests.Storage;
using TopicKit.Cli.Commands;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;
using TopicKit.Tests.Embedding;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit embed</c> on a real workspace through the command tree: caching, model choice, bad input, signals.</summary>
public sealed partial class EmbedCommandTests : IDisposable
{
    internal static readonly TopicKit.Corpus.Document[] Docs =
    [
        EmbeddingTestKit.Doc("p1", "Quantum error correction", "Surface codes protect qubits from noise with a threshold.", 0),
        EmbeddingTestKit.Doc("p2", null, "Galaxy clusters and dark matter halos seen through weak lensing.", 1),
        EmbeddingTestKit.Doc("p3", "Dark matter halos", "Weak lensing surveys constrain dark matter halos of galaxy clusters.", 2),
        EmbeddingTestKit.Doc("p4", "Qubit noise", "Decoders for surface codes reach the noise threshold of qubits.", 3),
        EmbeddingTestKit.Doc("p5", "Lensing of clusters", "Galaxy cluster lensing maps dark matter.", 4),
    ];

    private readonly EmbeddingTestKit _kit = new();

    public EmbedCommandTests()
    {
        Workspace = _kit.File("ws");
        NoModels = _kit.File("no-models");
    }

    private string Workspace { get; }

    private string NoModels { get; }

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task OnnxModelVectorsAreKeyedByTheExactTextAndOnlyMissingOnesAreComputed()
    {
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        var model = EmbeddingTestKit.Model("tiny-bert");

        var first = await Embed("--model", model, "--commit-every", "2");
        Assert.Equal(5, first.GetProperty("computed").GetInt32());
        Assert.Equal(0, first.GetProperty("cached").GetInt32());
        Assert.False(first.GetProperty("default_model").GetBoolean());
        var modelId = first.GetProperty("model_id").GetString()!;

        // The cache holds, under hash("Title. Abstract") (just the abstract when untitled), what the encoder gives directly.
        using var encoder = OnnxSentenceEncoder.Load(model);
        Assert.Equal(encoder.ModelId, modelId);
        var texts = new[]
        {
            "Quantum error correction. Surface codes protect qubits from noise with a threshold.",
            "Galaxy clusters and dark matter halos seen through weak lensing.",
        };
        var expected = encoder.Encode(texts);
        using (var workspace = TopicKit.Storage.Workspace.Open(Workspace))
        {
            var cached = workspace.Embeddings.Get(modelId, [.. texts.Select(EmbeddingStore.ComputeTextHash)]);
            for (var i = 0; i < texts.Length; i++)
            {
                Assert.True(EmbeddingTestKit.Cosine(expected.RowReadOnly(i), cached.RowReadOnly(i)) >= 0.99999f);
            }
        }

        var again = await Embed("--model", model);
        Assert.Equal((0, 5), (again.GetProperty("computed").GetInt32(), again.GetProperty("cached").GetInt32()));

        // Another text field is another key: computed anew, the title+abstract vectors stay.
        var abstracts = await Embed("--model", model, "--text", "abstract");
        Assert.Equal(4, abstracts.GetProperty("computed").GetInt32()); // p2 has no title: its text is unchanged
        Assert.Equal(1, abstracts.GetProperty("cached").GetInt32());
    }

    [Fact]
    public async Task LexicalIsFittedOnceSavedReusedAndRefittedOnRequest()
    {
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        var fitted = await Embed("--model", "lexical", "--dim", "4");
        Assert.True(fitted.GetProperty("lexical_fitted").GetBoolean());
        Assert.Equal(5, fitted.GetProperty("computed").GetInt32());
        var id = fitted.GetProperty("model_id").GetString()!;

        var reused = await Embed("--model", "lexical");
        Assert.False(reused.GetProperty("lexical_fitted").GetBoolean());
        Assert.Equal(id, reused.GetProperty("model_id").GetString());
        Assert.Equal(0, reused.GetProperty("computed").GetInt32());

        // New documents are encoded by the saved encoder; nothing else is recomputed.
        await EmbeddingTestKit.IngestAsync(Workspace, [EmbeddingTestKit.Doc("p6", "Surface code decoders", "Qubit noise threshold of decoders.", 0)]);
        var extended = await Embed("--model", "lexical");
        Assert.Equal(id, extended.GetProperty("model_id").GetString());
        Assert.Equal(1, extended.GetProperty("computed").GetInt32());

        var refit = await Embed("--model", "lexical", "--refit", "--dim", "4");
        Assert.True(refit.GetProperty("lexical_fitted").GetBoolean());
        Assert.NotEqual(id, refit.GetProperty("model_id").GetString());
        Assert.Equal(6, refit.GetProperty("computed").GetInt32());

        // Both fits' vectors stay cached under their own ids: refits never mix vectors.
        var (code, stdout, stderr) = await CliRunner.RunAsync("embeddings", "list", "-w", Workspace, "--json");
        Assert.True(code == 0, stderr);
        using var list = JsonDocument.Parse(stdout);
        var models = list.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("model_id").GetString()!, m => m.GetProperty("count").GetInt64());
        Assert.Equal(6, models[id]);
        Assert.Equal(6, models[refit.GetProperty("model_id").GetString()!]);
    }

    [Fact]
    public async Task DefaultModelIsAnInstalledRegistryModelElseLexicalAndIsAnnounced()
    {
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        var (code, stdout, stderr) = await CliRunner.RunAsync("embed", "-w", Workspace, "--models-dir", NoModels, "--json", "--dim", "4");
        Assert.True(code == 0, stderr);
        Assert.Contains("using model 'lexical'", stderr, StringComparison.Ordinal);
        Assert.Contains("offline default", stderr, StringComparison.Ordinal);
        Assert.StartsWith("lexical-tfidf-svd:", JsonDocument.Parse(stdout).RootElement.GetProperty("model_id").GetString(), StringComparison.Ordinal);

        var modelsDir = _kit.File("models");
        _kit.InstallAsRegistryModel(modelsDir, "all-minilm-l6-v2");
        (code, stdout, stderr) = await CliRunner.RunAsync("embed", "-w", Workspace, "--models-dir", modelsDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("using installed model 'all-minilm-l6-v2'", stderr, StringComparison.Ordinal);
        Assert.Contains("Embedded 5 new texts", stdout, StringComparison.Ordinal);
        Assert.Contains("all-minilm-l6-v2@sha256:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledEmbedCommitsNothingPartialAndExitsWith130()
    {
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var (code, _, stderr) = await CliRunner.RunAsync(cancelled.Token, "embed", "-w", Workspace, "--model", EmbeddingTestKit.Model("tiny-bert"));
        Assert.Equal(130, code);
        Assert.Contains("re-run", stderr, StringComparison.Ordinal);
        using var workspace = TopicKit.Storage.Workspace.Open(Workspace);
        Assert.Empty(workspace.Embeddings.ListModels());
    }

    [Fact]
    public async Task EmbedWithoutAWorkspaceIsAClearError()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("embed", "-w", _kit.File("absent"), "--model", "lexical");
        Assert.NotEqual(0, code);
        Assert.Contains("absent", stderr, StringComparison.Ordinal);
    }

    private Task<JsonElement> Embed(params string[] args) => EmbedAsync(Workspace, NoModels, args);

    /// <summary>Runs <c>embed --json</c> on <paramref name="workspace"/> with an empty models folder; asserts success.</summary>
    internal static async Task<JsonElement> EmbedAsync(string workspace, string noModels, params string[] args)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync(["embed", "-w", workspace, "--models-dir", noModels, "--json", .. args]);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        CliConventions.AssertUsageError(await CliRunner.RunAsync("embed", "-w", Workspace, "--commit-every", "0"), "topickit embed", "--commit-every must be a whole number >= 1, got '0'");
        CliConventions.AssertUsageError(await CliRunner.RunAsync("embed", "-w", Workspace, "--wait", "1e308"), "topickit embed", "--wait must be a number from 0 to 86400");
        CliConventions.AssertError(await CliRunner.RunAsync("embed", "-w", _kit.File("absent")), ExitCodes.WorkspaceUnusable, "no workspace at");
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        CliConventions.AssertError(await CliRunner.RunAsync("embed", "-w", Workspace, "--models-dir", NoModels, "--model", "nope"), ExitCodes.BadInput, "unknown model 'nope'");
    }

    [Fact]
    public async Task WaitIsTheLockTimeoutAndJsonReportsACancelledRun()
    {
        await EmbeddingTestKit.IngestAsync(Workspace, Docs);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var cancelledRun = await CliRunner.RunAsync(cancelled.Token, "embed", "-w", Workspace, "--model", EmbeddingTestKit.Model("tiny-bert"), "--json");

        using (var holder = TopicKit.Storage.Workspace.Open(Workspace))
        {
            await using var held = await HeldWriterLock.StartAsync(holder, EmbeddingTestKit.Doc("held", "Held", "Holding the writer lock.", 9));
            var locked = await CliRunner.RunAsync("embed", "-w", Workspace, "--models-dir", NoModels, "--model", "lexical", "--wait", "0.2");
            CliConventions.AssertError(locked, ExitCodes.WorkspaceLocked, "waited 0.2 s for its writer lock");
        }

        Assert.Equal(ExitCodes.Cancelled, cancelledRun.ExitCode);
        using var json = JsonDocument.Parse(cancelledRun.Stdout);
        Assert.True(json.RootElement.GetProperty("cancelled").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("computed").GetInt32());
        Assert.StartsWith("tiny-bert@sha256:", json.RootElement.GetProperty("model_id").GetString(), StringComparison.Ordinal);
        Assert.Contains("re-run", cancelledRun.Stderr, StringComparison.Ordinal);
    }
}
