using System.Security.Cryptography;
using System.Text;
using TopicKit.Numerics;

namespace TopicKit.Embedding;

/// <summary>
/// A store of vectors keyed by (model id, <see cref="Key"/> of the exact text fed to the model). The workspace's
/// embedding store is one; <see cref="CachingEncoder"/> puts any cache in front of any encoder.
/// </summary>
public interface IEmbeddingCache
{
    /// <summary>The keys among <paramref name="textHashes"/> with no vector for <paramref name="modelId"/>, each once, in order of first appearance.</summary>
    IReadOnlyList<string> FindMissing(string modelId, IReadOnlyList<string> textHashes);

    /// <summary>Stores one vector per key (row <c>i</c> for <c>textHashes[i]</c>).</summary>
    void Put(string modelId, IReadOnlyList<string> textHashes, Matrix vectors, CancellationToken cancellationToken = default);

    /// <summary>The vectors of <paramref name="textHashes"/>, row <c>i</c> for <c>textHashes[i]</c>; every key must be present.</summary>
    Matrix Get(string modelId, IReadOnlyList<string> textHashes);

    /// <summary>The cache key of the text a model is fed: lowercase hex SHA-256 of its UTF-8 bytes (prefix included).</summary>
    static string Key(string inputText)
    {
        ArgumentNullException.ThrowIfNull(inputText);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputText)));
    }
}
