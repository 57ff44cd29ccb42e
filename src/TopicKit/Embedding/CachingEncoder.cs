using TopicKit.Numerics;

namespace TopicKit.Embedding;

/// <summary>
/// An encoder that looks every text up in an <see cref="IEmbeddingCache"/> first and encodes only what is missing
/// (each distinct text once), storing it before returning: nothing is embedded twice.
/// </summary>
public sealed class CachingEncoder : ISentenceEncoder
{
    /// <summary>Puts <paramref name="cache"/> in front of <paramref name="inner"/>.</summary>
    public CachingEncoder(ISentenceEncoder inner, IEmbeddingCache cache)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Cache = cache ?? throw new ArgumentNullException(nameof(cache));
    }

    /// <summary>The encoder of missing texts.</summary>
    public ISentenceEncoder Inner { get; }

    /// <summary>The cache.</summary>
    public IEmbeddingCache Cache { get; }

    /// <inheritdoc />
    public int Dimension => Inner.Dimension;

    /// <inheritdoc />
    public string ModelId => Inner.ModelId;

    /// <inheritdoc />
    public string PassagePrefix => Inner.PassagePrefix;

    /// <inheritdoc />
    public string QueryPrefix => Inner.QueryPrefix;

    /// <summary>The cache key of <paramref name="text"/> as a document for this model (its passage prefix applied).</summary>
    public string KeyOf(string text) => IEmbeddingCache.Key(Inner.PassagePrefix + text);

    /// <inheritdoc />
    public Matrix Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return new Matrix(0, Dimension);
        }

        var keys = new string[texts.Count];
        var textOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = KeyOf(texts[i]);
            textOf.TryAdd(keys[i], texts[i]);
        }

        var missing = Cache.FindMissing(ModelId, keys);
        if (missing.Count > 0)
        {
            var vectors = Inner.Encode([.. missing.Select(k => textOf[k])], cancellationToken);
            Cache.Put(ModelId, missing, vectors, cancellationToken);
        }

        return Cache.Get(ModelId, keys);
    }
}
