using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Tests.Embedding;

/// <summary>The cache in front of an encoder: each distinct text is encoded once, and cached vectors equal fresh ones.</summary>
public sealed class CachingEncoderTests
{
    private static readonly string[] Corpus =
    [
        "graph neural networks for molecules and data", "speech recognition networks with transformers",
        "quantum error correction codes and data", "climate model downscaling of data", "protein structure model prediction",
        "exoplanet transit photometry model",
    ];

    [Fact]
    public void EncodesOnlyMissingDistinctTextsAndReturnsTheSameVectors()
    {
        var inner = new CountingEncoder(LexicalEncoder.Fit(Corpus, new LexicalEncoderOptions(Dimension: 4)));
        var cache = new DictionaryCache();
        var cached = new CachingEncoder(inner, cache);
        string[] texts = [Corpus[0], Corpus[1], Corpus[0], Corpus[2]];

        var first = cached.Encode(texts);
        Assert.Equal(3, inner.Encoded);
        Assert.Equal(inner.Inner.Encode(texts).Data, first.Data);

        var second = cached.Encode([Corpus[2], Corpus[0], Corpus[3]]);
        Assert.Equal(4, inner.Encoded);
        Assert.Equal(inner.Inner.Encode([Corpus[2], Corpus[0], Corpus[3]]).Data, second.Data);
        Assert.Equal(4, cache.Count);
    }

    [Fact]
    public void ThePassagePrefixIsPartOfTheKey()
    {
        var lexical = LexicalEncoder.Fit(Corpus, new LexicalEncoderOptions(Dimension: 4));
        var plain = new CachingEncoder(lexical, new DictionaryCache());
        var prefixed = new CachingEncoder(new CountingEncoder(lexical) { Prefix = "passage: " }, new DictionaryCache());
        Assert.Equal(IEmbeddingCache.Key(Corpus[0]), plain.KeyOf(Corpus[0]));
        Assert.Equal(IEmbeddingCache.Key("passage: " + Corpus[0]), prefixed.KeyOf(Corpus[0]));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", IEmbeddingCache.Key(string.Empty));
    }

    [Fact]
    public async Task TheWorkspaceEmbeddingStoreIsACache()
    {
        using var folder = new TempFolder();
        using var workspace = Workspace.Open(folder.Path);
        await workspace.IngestAsync(Storage.WorkspaceTestKit.Stream(
            Corpus.Select((t, i) => new Document($"d{i}", null, t, [], null, [], "t.jsonl", i))));
        var inner = new CountingEncoder(LexicalEncoder.Fit(Corpus, new LexicalEncoderOptions(Dimension: 4)));
        var cached = new CachingEncoder(inner, workspace.Embeddings);

        var vectors = cached.Encode(Corpus);
        Assert.Equal(Corpus.Length, inner.Encoded);
        Assert.Equal(inner.Inner.Encode(Corpus).Data, vectors.Data);
        Assert.Empty(workspace.Embeddings.FindMissing(inner.ModelId, WorkspaceEmbedder.TextHashes(inner, workspace.Documents.List(), EmbeddingTextField.Abstract)));
        cached.Encode(Corpus);
        Assert.Equal(Corpus.Length, inner.Encoded);
    }

    private sealed class CountingEncoder(ISentenceEncoder inner) : ISentenceEncoder
    {
        public ISentenceEncoder Inner { get; } = inner;

        public int Encoded { get; private set; }

        public string Prefix { get; init; } = string.Empty;

        public int Dimension => Inner.Dimension;

        public string ModelId => Inner.ModelId;

        public string PassagePrefix => Prefix;

        public Matrix Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            Encoded += texts.Count;
            return Inner.Encode(texts, cancellationToken);
        }
    }

    private sealed class DictionaryCache : IEmbeddingCache
    {
        private readonly Dictionary<string, float[]> _vectors = [];

        public int Count => _vectors.Count;

        public IReadOnlyList<string> FindMissing(string modelId, IReadOnlyList<string> textHashes) =>
            [.. textHashes.Distinct().Where(h => !_vectors.ContainsKey(modelId + "/" + h))];

        public void Put(string modelId, IReadOnlyList<string> textHashes, Matrix vectors, CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < textHashes.Count; i++)
            {
                _vectors[modelId + "/" + textHashes[i]] = vectors.RowReadOnly(i).ToArray();
            }
        }

        public Matrix Get(string modelId, IReadOnlyList<string> textHashes)
        {
            var first = _vectors.Values.First();
            var result = new Matrix(textHashes.Count, first.Length);
            for (var i = 0; i < textHashes.Count; i++)
            {
                _vectors[modelId + "/" + textHashes[i]].CopyTo(result.Row(i));
            }

            return result;
        }
    }
}
