using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Tests.Infrastructure;
using static TopicKit.Tests.Embedding.Models.ModelTestFixtures;

namespace TopicKit.Tests.Embedding.Models;

public sealed class ModelDownloaderTests : IDisposable
{
    private readonly TempFolder temp = new("topickit-models-");
    private readonly byte[] onnx = RandomBytes(300_000, seed: 1);
    private readonly byte[] vocab = RandomBytes(5_000, seed: 2);
    private readonly byte[] pooling = RandomBytes(200, seed: 3);

    public void Dispose() => temp.Dispose();

    private ModelManifest StandardManifest(string name = "toy") => Manifest(name,
        Pinned("model.onnx", "onnx/model_quantized.onnx", onnx),
        Pinned("vocab.txt", "vocab.txt", vocab),
        Pinned("1_Pooling/config.json", "1_Pooling/config.json", pooling));

    private void ServeStandard(LoopbackFileServer server)
    {
        server.Serve(UrlPath("onnx/model_quantized.onnx"), onnx);
        server.Serve(UrlPath("vocab.txt"), vocab);
        server.Serve(UrlPath("1_Pooling/config.json"), pooling);
    }

    [Fact]
    public async Task PullDownloadsVerifiesAndRenamesIntoPlace()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        var manifest = StandardManifest();
        var store = Store(temp.Path, manifest);
        using var downloader = new ModelDownloader(store, Options(server));

        var result = await downloader.PullAsync("toy");

        var dir = Path.Combine(temp.Path, "toy");
        Assert.Equal(dir, result.Directory);
        Assert.False(result.AlreadyInstalled);
        Assert.Equal(onnx, File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
        Assert.Equal(vocab, File.ReadAllBytes(Path.Combine(dir, "vocab.txt")));
        Assert.Equal(pooling, File.ReadAllBytes(Path.Combine(dir, "1_Pooling", "config.json")));
        Assert.False(Directory.Exists(dir + ".partial"));
        Assert.False(File.Exists(dir + ".lock"));
        Assert.Empty(Directory.EnumerateFiles(dir, "*.partial", SearchOption.AllDirectories));
        Assert.True(store.IsInstalled(manifest));
        Assert.All(server.Requests, r => Assert.Null(r.Range));
        Assert.Equal(3, server.Requests.Count);

        // The manifest lacks modules.json and sentence_bert_config.json, so they are generated; 1_Pooling came from upstream.
        var modules = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "modules.json"))).RootElement;
        Assert.Equal(["", "1_Pooling", "2_Normalize"], modules.EnumerateArray().Select(m => m.GetProperty("path").GetString()));
        var st = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sentence_bert_config.json"))).RootElement;
        Assert.Equal(16, st.GetProperty("max_seq_length").GetInt32());
        Assert.Contains(result.Files, f => f.Path == "modules.json" && f.Generated);
        Assert.Contains(result.Files, f => f.Path == "model.onnx" && !f.Generated && f.Sha256 == Sha(onnx) && f.Size == onnx.Length);

        var verification = store.Verify(manifest);
        Assert.True(verification.IsValid);
        Assert.Equal(5, verification.Files.Count);

        var again = await downloader.PullAsync("toy");
        Assert.True(again.AlreadyInstalled);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task CorruptFileIsDeletedAndReportedWithBothHashes()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        var wrong = (byte[])vocab.Clone();
        wrong[1234] ^= 0x5A;
        server.Serve(UrlPath("vocab.txt"), wrong);
        var store = Store(temp.Path, StandardManifest());
        using var downloader = new ModelDownloader(store, Options(server, maxAttempts: 3));

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("toy"));

        Assert.Equal(Sha(vocab), ex.ExpectedSha256);
        Assert.Equal(Sha(wrong), ex.ActualSha256);
        Assert.Contains(Sha(vocab), ex.Message, StringComparison.Ordinal);
        Assert.Contains(Sha(wrong), ex.Message, StringComparison.Ordinal);
        Assert.Contains("vocab.txt", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsResumable);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "toy")));
        var staging = Path.Combine(temp.Path, "toy.partial");
        Assert.False(File.Exists(Path.Combine(staging, "vocab.txt")));
        Assert.False(File.Exists(Path.Combine(staging, "vocab.txt.partial")));
        // A verification failure is not retried: the corrupt bytes would only come back.
        Assert.Single(server.Requests, r => r.Path == UrlPath("vocab.txt"));
    }

    [Fact]
    public async Task InterruptedDownloadKeepsPartialAndResumesWithRangeOnNextPull()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        server.Serve(UrlPath("onnx/model_quantized.onnx"), new Route { Content = onnx, DropAfter = 100_000 });
        var manifest = StandardManifest();
        var store = Store(temp.Path, manifest);
        using var downloader = new ModelDownloader(store, Options(server, maxAttempts: 1));

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync(manifest));

        Assert.True(ex.IsResumable);
        Assert.Contains("pull toy", ex.Message, StringComparison.Ordinal);
        var final = Path.Combine(temp.Path, "toy");
        Assert.False(Directory.Exists(final));
        var partial = Path.Combine(temp.Path, "toy.partial", "model.onnx.partial");
        Assert.Equal(onnx.AsSpan(0, 100_000).ToArray(), File.ReadAllBytes(partial));
        Assert.False(store.IsInstalled(manifest));
        Assert.Equal(100_000, store.GetStagedBytes(manifest));

        var result = await downloader.PullAsync(manifest);

        Assert.False(result.AlreadyInstalled);
        Assert.Contains(server.Requests, r => r.Path == UrlPath("onnx/model_quantized.onnx") && r.Range == "bytes=100000-");
        Assert.Equal(onnx, File.ReadAllBytes(Path.Combine(final, "model.onnx")));
        Assert.False(Directory.Exists(final + ".partial"));
        Assert.True(store.Verify(manifest).IsValid);
    }

    [Fact]
    public async Task DroppedConnectionIsRetriedWithinOnePull()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        server.Serve(UrlPath("onnx/model_quantized.onnx"), new Route { Content = onnx, DropAfter = 70_000, DropTimes = 2 });
        var store = Store(temp.Path, StandardManifest());
        using var downloader = new ModelDownloader(store, Options(server, maxAttempts: 3));

        await downloader.PullAsync("toy");

        var onnxRequests = server.Requests.Where(r => r.Path == UrlPath("onnx/model_quantized.onnx")).Select(r => r.Range).ToList();
        // Second request resumes at 70000; the third resumes where the second (70000 more bytes) stopped.
        Assert.Equal([null, "bytes=70000-", "bytes=140000-"], onnxRequests);
        Assert.Equal(onnx, File.ReadAllBytes(Path.Combine(temp.Path, "toy", "model.onnx")));
    }

    [Fact]
    public async Task ServerIgnoringRangeRestartsTheFileFromScratch()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        server.Serve(UrlPath("onnx/model_quantized.onnx"), new Route { Content = onnx, DropAfter = 50_000, IgnoreRange = true });
        var store = Store(temp.Path, StandardManifest());
        using var downloader = new ModelDownloader(store, Options(server, maxAttempts: 1));
        await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("toy"));

        await downloader.PullAsync("toy");

        Assert.Contains(server.Requests, r => r.Range == "bytes=50000-");
        // Appending the full body after the kept 50000 bytes would give a longer file with the wrong hash.
        Assert.Equal(onnx, File.ReadAllBytes(Path.Combine(temp.Path, "toy", "model.onnx")));
    }

    [Fact]
    public async Task ForeignPartialLongerThanTheFileIsDiscarded()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        var store = Store(temp.Path, StandardManifest());
        var staging = Path.Combine(temp.Path, "toy.partial");
        Directory.CreateDirectory(staging);
        File.WriteAllBytes(Path.Combine(staging, "vocab.txt.partial"), RandomBytes(vocab.Length + 10, seed: 9));
        using var downloader = new ModelDownloader(store, Options(server));

        await downloader.PullAsync("toy");

        Assert.Equal(vocab, File.ReadAllBytes(Path.Combine(temp.Path, "toy", "vocab.txt")));
        Assert.Contains(server.Requests, r => r.Path == UrlPath("vocab.txt") && r.Range is null);
    }

    [Fact]
    public async Task CancellationMidTransferLeavesAResumablePartial()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        var store = Store(temp.Path, StandardManifest());
        using var downloader = new ModelDownloader(store, Options(server));
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.File == "model.onnx" && p.BytesDone > 0)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => downloader.PullAsync("toy", progress, cts.Token));

        Assert.False(Directory.Exists(Path.Combine(temp.Path, "toy")));
        var partial = new FileInfo(Path.Combine(temp.Path, "toy.partial", "model.onnx.partial"));
        Assert.True(partial.Exists);
        Assert.InRange(partial.Length, 1, onnx.Length - 1);
        Assert.Equal(onnx.AsSpan(0, (int)partial.Length).ToArray(), File.ReadAllBytes(partial.FullName));

        await downloader.PullAsync("toy");
        Assert.Contains(server.Requests, r => r.Range == $"bytes={partial.Length}-");
        Assert.Equal(onnx, File.ReadAllBytes(Path.Combine(temp.Path, "toy", "model.onnx")));
    }

    [Fact]
    public async Task MissingFileFailsWithTheHttpStatusAndNoRetry()
    {
        await using var server = new LoopbackFileServer();
        server.Serve(UrlPath("onnx/model_quantized.onnx"), onnx);
        var store = Store(temp.Path, StandardManifest());
        using var downloader = new ModelDownloader(store, Options(server, maxAttempts: 3));

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("toy"));

        Assert.Contains("HTTP 404", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests, r => r.Path == UrlPath("vocab.txt"));
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "toy")));
        // The model file finished before the failure and is kept for the next pull.
        Assert.Equal(onnx, File.ReadAllBytes(Path.Combine(temp.Path, "toy.partial", "model.onnx")));
    }

    [Fact]
    public async Task UnpinnedFilesAreRecordedAndVerifyCatchesLaterChanges()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        var tokenizer = RandomBytes(777, seed: 4);
        server.Serve(UrlPath("tokenizer.json"), tokenizer);
        var manifest = Manifest("toy",
            Pinned("model.onnx", "onnx/model_quantized.onnx", onnx),
            Unpinned("tokenizer.json", "tokenizer.json"));
        var store = Store(temp.Path, manifest);
        using var downloader = new ModelDownloader(store, Options(server));

        var result = await downloader.PullAsync("toy");

        Assert.Contains(result.Files, f => f.Path == "tokenizer.json" && f.Sha256 == Sha(tokenizer) && f.Size == tokenizer.Length);
        Assert.True(store.Verify(manifest).IsValid);
        var dir = result.Directory;
        var tampered = (byte[])tokenizer.Clone();
        tampered[0] ^= 1;
        File.WriteAllBytes(Path.Combine(dir, "tokenizer.json"), tampered);
        File.Delete(Path.Combine(dir, "1_Pooling", "config.json"));
        var bad = onnx.ToArray();
        bad[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), bad);

        var verification = store.Verify(manifest);

        Assert.False(verification.IsValid);
        var byPath = verification.Files.ToDictionary(f => f.Path);
        Assert.Equal(ModelFileStatus.Corrupt, byPath["tokenizer.json"].Status);
        Assert.Equal(Sha(tokenizer), byPath["tokenizer.json"].ExpectedSha256);
        Assert.Equal(Sha(tampered), byPath["tokenizer.json"].ActualSha256);
        Assert.Equal(ModelFileStatus.Missing, byPath["1_Pooling/config.json"].Status);
        Assert.Equal(ModelFileStatus.Corrupt, byPath["model.onnx"].Status);
        Assert.Equal(ModelFileStatus.Ok, byPath["modules.json"].Status);
    }

    [Fact]
    public async Task ForceReplacesAnInstalledModelAtomically()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        var manifest = StandardManifest();
        var store = Store(temp.Path, manifest);
        using (var first = new ModelDownloader(store, Options(server)))
        {
            await first.PullAsync(manifest);
        }

        var dir = Path.Combine(temp.Path, "toy");
        File.WriteAllBytes(Path.Combine(dir, "vocab.txt"), [1, 2, 3]);
        Assert.False(store.Verify(manifest).IsValid);
        using var forced = new ModelDownloader(store, Options(server) with { Force = true });

        var result = await forced.PullAsync(manifest);

        Assert.False(result.AlreadyInstalled);
        Assert.True(store.Verify(manifest).IsValid);
        Assert.Equal(["toy"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ASecondConcurrentPullOfTheSameModelIsRefused()
    {
        await using var server = new LoopbackFileServer();
        ServeStandard(server);
        var store = Store(temp.Path, StandardManifest());
        using var downloader = new ModelDownloader(store, Options(server));
        using (new FileStream(Path.Combine(temp.Path, "toy.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("toy"));
            Assert.Contains("another pull of toy is running", ex.Message, StringComparison.Ordinal);
            Assert.Empty(server.Requests);
        }

        await downloader.PullAsync("toy");
        Assert.True(store.IsInstalled(store.Registry.Get("toy")));
    }

    [Fact]
    public void BaseUrlReplacesSchemeAndHostAndKeepsThePath()
    {
        var file = Pinned("model.onnx", "onnx/model.onnx", onnx);
        var store = Store(temp.Path, StandardManifest());
        using var plain = new ModelDownloader(store);
        using var mirror = new ModelDownloader(store, new ModelDownloadOptions { BaseUrl = new Uri("http://127.0.0.1:8080/mirror/") });

        Assert.Equal("https://huggingface.co/test-org/test-model/resolve/main/onnx/model.onnx", plain.ResolveUrl(file).ToString());
        Assert.Equal("http://127.0.0.1:8080/mirror/test-org/test-model/resolve/main/onnx/model.onnx", mirror.ResolveUrl(file).ToString());
        Assert.Throws<ArgumentException>(() => ModelDownloadOptions.ParseBaseUrl("ftp://x", "--base-url"));
    }

    /// <summary>Invokes the callback on the reporting thread (Progress&lt;T&gt; would post it asynchronously).</summary>
    private sealed class SyncProgress(Action<ModelDownloadProgress> onReport) : IProgress<ModelDownloadProgress>
    {
        public void Report(ModelDownloadProgress value) => onReport(value);
    }
}
