using Microsoft.ML;
using Microsoft.ML.Data;
using TopicKit.Embedding;

namespace TopicKit.MLNet;

/// <summary>
/// The fitted sentence embedding step: adds a known-size float vector column (the encoder's
/// <see cref="ISentenceEncoder.Dimension"/>) holding each row's normalised embedding. Transforming a data view encodes
/// the texts lazily, <see cref="BatchSize"/> rows per encoder call; the row-to-row mapper (prediction engines) encodes
/// one row at a time. Save and load it with <see cref="SentenceEmbeddingModel"/>.
/// </summary>
public sealed class SentenceEmbeddingTransformer : ITransformer
{
    /// <summary>Rows per encoder call when transforming a data view.</summary>
    public const int BatchSize = 256;

    private readonly Lazy<ITransformer> _placeholder;

    internal SentenceEmbeddingTransformer(MLContext context, ISentenceEncoder encoder, string outputColumnName, string inputColumnName)
    {
        Encoder = encoder;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _placeholder = new(() => SentenceEmbeddingSchema
            .Mapping(context, outputColumnName, inputColumnName, encoder.Dimension, SentenceEmbeddingModel.ContractName)
            .Fit(context.Data.LoadFromEnumerable(Array.Empty<SentenceEmbeddingText>())));
    }

    /// <summary>The encoder (for the lexical estimator: the one fitted on the training texts).</summary>
    public ISentenceEncoder Encoder { get; }

    /// <summary>The text column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The vector column added.</summary>
    public string OutputColumnName { get; }

    /// <summary>Always true: each output row depends only on the same input row.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the embedding column (which hides an input column of the same name).</summary>
    /// <exception cref="ArgumentException">When the text column is missing or not text.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SentenceEmbeddingSchema.TextColumn(inputSchema, InputColumnName);
        return SentenceEmbeddingSchema.Output(inputSchema, OutputColumnName, Encoder.Dimension);
    }

    /// <summary>A mapper for one row at a time (used by prediction engines).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new SentenceEmbeddingMapper(this, inputSchema);

    /// <summary>A lazy view of <paramref name="input"/> with the embedding column added.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new SentenceEmbeddingDataView(this, input);
    }

    /// <summary>
    /// Writes the ML.NET placeholder; the encoder itself goes into the zip through <see cref="SentenceEmbeddingModel.Save"/>
    /// (ML.NET keeps its model writer internal).
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _placeholder.Value.Save(ctx);

    internal bool IsPlaceholder(ITransformer transformer) => ReferenceEquals(transformer, _placeholder.Value);
}

/// <summary>The one-row-at-a-time mapper behind <see cref="SentenceEmbeddingTransformer.GetRowToRowMapper"/>.</summary>
internal sealed class SentenceEmbeddingMapper : IRowToRowMapper
{
    private readonly SentenceEmbeddingTransformer _owner;
    private readonly DataViewSchema.Column _text;

    public SentenceEmbeddingMapper(SentenceEmbeddingTransformer owner, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        _owner = owner;
        InputSchema = inputSchema;
        OutputSchema = owner.GetOutputSchema(inputSchema);
        _text = inputSchema[SentenceEmbeddingSchema.TextColumn(inputSchema, owner.InputColumnName)];
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var active = dependingColumns.ToList();
        var inputs = active.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]);
        return active.Any(c => c.Index == InputSchema.Count) ? inputs.Append(_text).Distinct() : inputs;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        var wantEmbedding = activeColumns.Any(c => c.Index == InputSchema.Count);
        var source = wantEmbedding ? new RowEmbeddings(_owner.Encoder, input, _text) : null;
        return new SentenceEmbeddingCursor(input, OutputSchema, source);
    }
}
