using System.Security.Cryptography;
using TopicKit.Embedding;

namespace TopicKit.Tests.Embedding.Models;

/// <summary>Seeded fixture files and a manifest describing them, with https URLs the tests rewrite to the loopback server.</summary>
internal static class ModelTestFixtures
{
    public const string Repo = "test-org/test-model";

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string UrlPath(string remote) => $"/{Repo}/resolve/main/{remote}";

    public static ModelFile Pinned(string path, string remote, byte[] bytes) =>
        new(path, new Uri("https://huggingface.co" + UrlPath(remote)), bytes.Length, Sha(bytes));

    public static ModelFile Unpinned(string path, string remote) =>
        new(path, new Uri("https://huggingface.co" + UrlPath(remote)), null, null);

    public static ModelManifest Manifest(string name, params ModelFile[] files) => new()
    {
        Name = name,
        Description = "test model",
        License = "mit",
        Dimension = 8,
        Pooling = ModelPooling.Mean,
        Normalize = true,
        MaxLength = 16,
        Files = files,
    };

    /// <summary>A store over a registry holding only <paramref name="manifests"/>.</summary>
    public static ModelStore Store(string root, params ModelManifest[] manifests) => new(root, new ModelRegistry(manifests));

    public static ModelDownloadOptions Options(LoopbackFileServer server, int maxAttempts = 1) => new()
    {
        BaseUrl = server.BaseUrl,
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.Zero,
        StallTimeout = TimeSpan.FromSeconds(20),
    };
}
