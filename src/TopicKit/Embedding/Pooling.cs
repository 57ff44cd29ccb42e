using System.Numerics.Tensors;

namespace TopicKit.Embedding;

/// <summary>Pooling kernels over a <c>[batch, sequence, hidden]</c> row-major buffer.</summary>
internal static class Pooling
{
    /// <summary>
    /// Pools one sequence of token vectors into <paramref name="destination"/>.
    /// </summary>
    /// <param name="tokens">The sequence's token vectors, <c>sequence x hidden</c>.</param>
    /// <param name="realTokens">How many leading positions are real (right padding follows).</param>
    /// <param name="mode">Pooling mode.</param>
    /// <param name="destination">Length <c>hidden</c>.</param>
    public static void Pool(ReadOnlySpan<float> tokens, int realTokens, PoolingMode mode, Span<float> destination)
    {
        var hidden = destination.Length;
        switch (mode)
        {
            case PoolingMode.Cls:
                tokens[..hidden].CopyTo(destination);
                break;
            case PoolingMode.Max:
                if (realTokens == 0)
                {
                    destination.Clear();
                    break;
                }

                tokens[..hidden].CopyTo(destination);
                for (var t = 1; t < realTokens; t++)
                {
                    TensorPrimitives.Max(destination, tokens.Slice(t * hidden, hidden), destination);
                }

                break;
            case PoolingMode.Mean:
                destination.Clear();
                for (var t = 0; t < realTokens; t++)
                {
                    TensorPrimitives.Add(destination, tokens.Slice(t * hidden, hidden), destination);
                }

                // sentence-transformers divides by max(count, 1e-9): an empty mask gives the zero vector.
                TensorPrimitives.Multiply(destination, 1f / Math.Max(realTokens, 1), destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Pooling of token vectors needs Mean, Cls or Max.");
        }
    }
}
