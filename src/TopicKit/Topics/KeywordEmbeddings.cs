using System.Numerics.Tensors;
using TopicKit.Embedding;
using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>Embeds every distinct candidate keyword of all topics in one encoder call, rows unit-normalised.</summary>
internal sealed class KeywordEmbeddings
{
    private readonly Dictionary<string, int> _row;
    private readonly Matrix _vectors;

    public KeywordEmbeddings(ISentenceEncoder encoder, TopicRepresentation representation, CancellationToken cancellationToken)
    {
        var words = representation.Topics.SelectMany(t => t.Keywords).Select(k => k.Term).Distinct(StringComparer.Ordinal).ToArray();
        _row = words.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal);
        _vectors = words.Length == 0 ? new Matrix(0, encoder.Dimension) : encoder.Encode(words, cancellationToken);
        RowOps.NormalizeInPlace(_vectors);
    }

    public ReadOnlySpan<float> this[string term] => _vectors.RowReadOnly(_row[term]);

    /// <summary>Cosine similarity of a unit vector with a (not necessarily unit) target.</summary>
    public static float Cosine(ReadOnlySpan<float> unit, ReadOnlySpan<float> target)
    {
        var norm = TensorPrimitives.Norm(target);
        return norm > 0 ? TensorPrimitives.Dot(unit, target) / norm : 0f;
    }
}
