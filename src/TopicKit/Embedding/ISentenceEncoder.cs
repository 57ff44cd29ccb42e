using TopicKit.Numerics;

namespace TopicKit.Embedding;

/// <summary>Turns texts into fixed-size vectors.</summary>
public interface ISentenceEncoder
{
    /// <summary>Length of each output vector.</summary>
    int Dimension { get; }

    /// <summary>Identifies the model exactly (name plus the model file's sha256), so cached vectors never mix models.</summary>
    string ModelId { get; }

    /// <summary>
    /// The text <see cref="Encode"/> puts before every document (an E5/BGE-style passage prefix); empty for models
    /// without one. It is part of what the model sees, so it is part of every cache key.
    /// </summary>
    string PassagePrefix => string.Empty;

    /// <summary>The text to put before a search query instead of <see cref="PassagePrefix"/> (e.g. BGE's instruction); empty when none.</summary>
    string QueryPrefix => string.Empty;

    /// <summary>Encodes <paramref name="texts"/> in order into a row-major matrix (texts.Count x <see cref="Dimension"/>).</summary>
    Matrix Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
