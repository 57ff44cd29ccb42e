using TopicKit.Cli.Commands;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Tests.Embedding.Models;

namespace TopicKit.Cli.Tests;

/// <summary><c>topickit models list|pull|verify|path</c> through the command tree.</summary>
public sealed class ModelsCommandTests : IDisposable
{
    private readonly TempFolder temp = new("topickit-models-");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task ListJsonShowsEveryKnownModelWithSizeAndInstallState()
    {
        ModelResolverTests.FakeInstall(temp.Path, "gte-small-int8");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("models", "list", "--json", "--models-dir", temp.Path);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(ModelRegistry.Default.Names.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.True(rows["gte-small-int8"].GetProperty("installed").GetBoolean());
        Assert.False(rows["all-minilm-l6-v2"].GetProperty("installed").GetBoolean());
        Assert.Equal(Path.Combine(temp.Path, "gte-small-int8"), rows["gte-small-int8"].GetProperty("path").GetString());
        Assert.Equal(384, rows["bge-small-en-v1.5"].GetProperty("dimension").GetInt32());
        Assert.Equal("cls", rows["bge-small-en-v1.5"].GetProperty("pooling").GetString());

        // The MiniLM download is the fp32 graph plus the eight upstream tokenizer/config files.
        var tokenizerBytes = Directory.EnumerateFiles(SharedData.Path("models", "all-MiniLM-L6-v2-tokenizer")).Sum(f => new FileInfo(f).Length);
        Assert.Equal(90387606 + tokenizerBytes, rows["all-minilm-l6-v2"].GetProperty("size_bytes").GetInt64());
        Assert.Equal(22972370 + tokenizerBytes, rows["all-minilm-l6-v2-int8"].GetProperty("size_bytes").GetInt64());
    }

    [Fact]
    public async Task PathPrintsTheInstalledFolderOrFailsWithThePullHint()
    {
        var dir = ModelResolverTests.FakeInstall(temp.Path, "bge-small-en-v1.5");

        var ok = await CliRunner.RunAsync("models", "path", "bge-small-en-v1.5", "--models-dir", temp.Path);
        var missing = await CliRunner.RunAsync("models", "path", "gte-small-int8", "--models-dir", temp.Path);
        var unknown = await CliRunner.RunAsync("models", "path", "nope", "--models-dir", temp.Path);

        Assert.Equal((0, dir), (ok.ExitCode, ok.Stdout.Trim()));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("topickit: error: model gte-small-int8 is not installed; run `topickit models pull gte-small-int8`", missing.Stderr.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("known models: all-minilm-l6-v2", unknown.Stderr, StringComparison.Ordinal);
        Assert.Single(unknown.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task VerifyReportsMissingAndCorruptFilesWithExitCodeOne()
    {
        var dir = ModelResolverTests.FakeInstall(temp.Path, "all-minilm-l6-v2-int8");
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), [1, 2, 3]);

        var (exit, stdout, stderr) = await CliRunner.RunAsync("models", "verify", "--json", "--models-dir", temp.Path);

        Assert.Equal(1, exit);
        Assert.Contains("verification failed for all-minilm-l6-v2-int8", stderr, StringComparison.Ordinal);
        var result = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList());
        Assert.False(result.GetProperty("ok").GetBoolean());
        var files = result.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal("corrupt", files["model.onnx"].GetProperty("status").GetString());
        Assert.Equal("afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1", files["model.onnx"].GetProperty("expected_sha256").GetString());
        Assert.Equal("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", files["model.onnx"].GetProperty("actual_sha256").GetString());
        Assert.Equal("missing", files["vocab.txt"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task PullOfACorruptServerCopyFailsCleanlyThroughTheCli()
    {
        await using var server = new LoopbackFileServer();
        var junk = ModelTestFixtures.RandomBytes(4096, seed: 7);
        server.Serve("/Xenova/all-MiniLM-L6-v2/resolve/main/onnx/model_quantized.onnx", junk);

        var (exit, stdout, stderr) = await CliRunner.RunAsync("models", "pull", "all-minilm-l6-v2-int8", "--models-dir", temp.Path, "--base-url", server.BaseUrl.ToString());

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("expected sha256 afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1", stderr, StringComparison.Ordinal);
        Assert.Contains(ModelTestFixtures.Sha(junk), stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "all-minilm-l6-v2-int8")));
        Assert.Empty(Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task UnknownModelAndBadBaseUrlAreOneLineErrors()
    {
        var unknown = await CliRunner.RunAsync("models", "pull", "nope", "--models-dir", temp.Path);
        var badUrl = await CliRunner.RunAsync("models", "pull", "gte-small-int8", "--models-dir", temp.Path, "--base-url", "ftp://x");

        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("topickit: error: unknown model 'nope'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, badUrl.ExitCode);
        Assert.Contains("--base-url must be an absolute http or https URL", badUrl.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        CliConventions.AssertUsageError(await CliRunner.RunAsync("models", "pull", "--models-dir", temp.Path), "topickit models pull", "Required argument missing");
        CliConventions.AssertError(await CliRunner.RunAsync("models", "path", "nope", "--models-dir", temp.Path), ExitCodes.BadInput, "unknown model 'nope'");
        CliConventions.AssertError(await CliRunner.RunAsync("models", "verify", "nope", "--models-dir", temp.Path), ExitCodes.BadInput, "unknown model 'nope'");
    }
}
