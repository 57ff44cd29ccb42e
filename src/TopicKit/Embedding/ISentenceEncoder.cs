using TopicKit.Numerics;

namespace TopicKit.Embedding;

/// <summary>Turns texts into fixed-size vectors.</summary>
public interface ISentenceEncoder
{
    /// <summary>Length of each output vector.</summary>
    int Dimension { get; }

    /// <summary>Identifies the model exactly (name plus the model file's sha256), so cached vectors never mix models.</summary>
    string ModelId { get; }

    /// <summary>Encodes <paramref name="texts"/> in order into a row-major matrix (texts.Count x <see cref="Dimension"/>).</summary>
    Matrix Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
