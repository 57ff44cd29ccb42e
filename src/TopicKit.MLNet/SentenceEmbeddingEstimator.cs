using Microsoft.ML;
using Microsoft.ML.Data;
using TopicKit.Embedding;

namespace TopicKit.MLNet;

/// <summary>
/// An ML.NET estimator that adds a column of L2-normalised sentence embeddings of a text column, computed by any
/// TopicKit <see cref="ISentenceEncoder"/> (<see cref="LexicalEncoder"/>, <see cref="OnnxSentenceEncoder"/>, ...).
/// Create it with <see cref="TopicKitCatalog.EncodeSentences"/> or <see cref="TopicKitCatalog.EncodeSentencesLexical"/>.
/// </summary>
public sealed class SentenceEmbeddingEstimator : IEstimator<ITransformer>
{
    private readonly MLContext _context;
    private readonly ISentenceEncoder? _encoder;
    private readonly LexicalEncoderOptions _lexicalOptions;

    internal SentenceEmbeddingEstimator(
        MLContext context, string outputColumnName, string inputColumnName, ISentenceEncoder? encoder, LexicalEncoderOptions? lexicalOptions)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        _context = context;
        _encoder = encoder;
        _lexicalOptions = lexicalOptions ?? new LexicalEncoderOptions();
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>The text column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The vector column added.</summary>
    public string OutputColumnName { get; }

    /// <summary>
    /// Returns the transformer. With a given encoder nothing is learned; in lexical mode the TF-IDF vocabulary and the
    /// SVD projection are fitted on the texts of <paramref name="input"/> (the training data only, as any ML.NET featuriser).
    /// </summary>
    /// <exception cref="ArgumentException">When the input column is missing or not text.</exception>
    public SentenceEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = SentenceEmbeddingSchema.TextColumn(input.Schema, InputColumnName);
        var encoder = _encoder ?? LexicalEncoder.Fit(ReadTexts(input, input.Schema[column]), _lexicalOptions);
        return new SentenceEmbeddingTransformer(_context, encoder, OutputColumnName, InputColumnName);
    }

    ITransformer IEstimator<ITransformer>.Fit(IDataView input) => Fit(input);

    /// <summary>The input shape plus a known-size float vector column named <see cref="OutputColumnName"/>.</summary>
    /// <exception cref="ArgumentException">When the input column is missing or not a text scalar.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var found = inputSchema.FirstOrDefault(c => c.Name == InputColumnName);
        if (found.Name is null)
        {
            throw new ArgumentException($"The data has no column '{InputColumnName}'.", nameof(inputSchema));
        }

        if (found.Kind != SchemaShape.Column.VectorKind.Scalar || found.ItemType is not TextDataViewType)
        {
            throw new ArgumentException($"Column '{InputColumnName}' is not a text scalar; sentence embedding needs one string per row.", nameof(inputSchema));
        }

        // The lexical dimension is only known after fitting (the rank can fall below the request); the shape says "known size" either way.
        var dimension = _encoder?.Dimension ?? _lexicalOptions.Dimension;
        return SentenceEmbeddingSchema.Mapping(_context, OutputColumnName, InputColumnName, dimension, null).GetOutputSchema(inputSchema);
    }

    internal static List<string> ReadTexts(IDataView input, DataViewSchema.Column column)
    {
        var texts = new List<string>();
        using var cursor = input.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        var value = default(ReadOnlyMemory<char>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            texts.Add(value.ToString());
        }

        return texts;
    }
}

/// <summary>Entry points on <c>mlContext.Transforms.Text</c>.</summary>
public static class TopicKitCatalog
{
    /// <summary>Embeds <paramref name="inputColumnName"/> with an existing (fitted or pretrained) encoder.</summary>
    /// <param name="catalog">ML.NET's text transform catalog.</param>
    /// <param name="outputColumnName">Name of the vector column to add.</param>
    /// <param name="inputColumnName">Name of the text column.</param>
    /// <param name="encoder">The encoder; the transformer keeps it, so do not dispose it while the model is in use.</param>
    public static SentenceEmbeddingEstimator EncodeSentences(
        this TransformsCatalog.TextTransforms catalog, string outputColumnName, string inputColumnName, ISentenceEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return new SentenceEmbeddingEstimator(Context(catalog), outputColumnName, inputColumnName, encoder, null);
    }

    /// <summary>Embeds <paramref name="inputColumnName"/> with a <see cref="LexicalEncoder"/> fitted on the training texts.</summary>
    /// <param name="catalog">ML.NET's text transform catalog.</param>
    /// <param name="outputColumnName">Name of the vector column to add.</param>
    /// <param name="inputColumnName">Name of the text column.</param>
    /// <param name="options">Lexical settings (default: <see cref="LexicalEncoderOptions"/> defaults, 256 dimensions).</param>
    public static SentenceEmbeddingEstimator EncodeSentencesLexical(
        this TransformsCatalog.TextTransforms catalog, string outputColumnName, string inputColumnName, LexicalEncoderOptions? options = null) =>
        new(Context(catalog), outputColumnName, inputColumnName, null, options);

    // ML.NET does not expose a catalog's context; a fresh one only feeds schema helpers, never randomness.
    private static MLContext Context(TransformsCatalog.TextTransforms catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MLContext(seed: 0);
    }
}
