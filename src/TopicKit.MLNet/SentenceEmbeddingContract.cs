using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace TopicKit.MLNet;

/// <summary>The text column as ML.NET's custom-mapping machinery sees it (renamed by a schema definition).</summary>
public sealed class SentenceEmbeddingText
{
    /// <summary>The text to embed.</summary>
    public string Text { get; set; } = string.Empty;
}

/// <summary>The embedding column as ML.NET's custom-mapping machinery sees it (renamed and sized by a schema definition).</summary>
public sealed class SentenceEmbeddingVector
{
    /// <summary>The normalised embedding.</summary>
    public float[] Embedding { get; set; } = [];
}

/// <summary>
/// Resolves the placeholder that a saved <see cref="SentenceEmbeddingTransformer"/> leaves in an ML.NET model zip.
/// ML.NET gives external transformers no way to write their own state, so the transformer saves itself as a custom
/// mapping under <see cref="SentenceEmbeddingModel.ContractName"/> and <see cref="SentenceEmbeddingModel.Save"/> stores the
/// encoder beside it; <see cref="SentenceEmbeddingModel.Load"/> swaps the placeholder back for the real transformer.
/// </summary>
[CustomMappingFactoryAttribute(SentenceEmbeddingModel.ContractName)]
public sealed class SentenceEmbeddingPlaceholderFactory : CustomMappingFactory<SentenceEmbeddingText, SentenceEmbeddingVector>
{
    /// <summary>A mapping that fails with directions: the placeholder only exists when a model is loaded the plain way.</summary>
    public override Action<SentenceEmbeddingText, SentenceEmbeddingVector> GetMapping() => Fail;

    internal static void Fail(SentenceEmbeddingText input, SentenceEmbeddingVector output) =>
        throw new InvalidOperationException(
            "This model holds a TopicKit sentence embedding saved by SentenceEmbeddingModel.Save; load it with SentenceEmbeddingModel.Load, not MLContext.Model.Load.");
}

/// <summary>Schema helpers shared by the estimator, the transformer and the placeholder.</summary>
internal static class SentenceEmbeddingSchema
{
    public static CustomMappingEstimator<SentenceEmbeddingText, SentenceEmbeddingVector> Mapping(
        MLContext context, string outputColumnName, string inputColumnName, int dimension, string? contractName)
    {
        var input = SchemaDefinition.Create(typeof(SentenceEmbeddingText));
        input[nameof(SentenceEmbeddingText.Text)].ColumnName = inputColumnName;
        var output = SchemaDefinition.Create(typeof(SentenceEmbeddingVector));
        var embedding = output[nameof(SentenceEmbeddingVector.Embedding)];
        embedding.ColumnName = outputColumnName;
        embedding.ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return context.Transforms.CustomMapping<SentenceEmbeddingText, SentenceEmbeddingVector>(
            SentenceEmbeddingPlaceholderFactory.Fail, contractName, input, output);
    }

    /// <summary>Index of the text column, or an error naming the column and what it holds.</summary>
    public static int TextColumn(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The data has no column '{name}'; columns: {string.Join(", ", schema.Select(c => c.Name))}.", nameof(schema));
        if (column.Type is not TextDataViewType)
        {
            throw new ArgumentException($"Column '{name}' holds {column.Type}; sentence embedding needs a text (string) column.", nameof(schema));
        }

        return column.Index;
    }

    public static DataViewSchema Output(DataViewSchema input, string outputColumnName, int dimension)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(outputColumnName, new VectorDataViewType(NumberDataViewType.Single, dimension));
        return builder.ToSchema();
    }
}
