using System.Numerics.Tensors;

namespace TopicKit.Numerics;

/// <summary>Row-wise helpers shared by the neighbour and clustering kernels.</summary>
internal static class RowOps
{
    /// <summary>Squared L2 norm of every row.</summary>
    public static float[] SquaredNorms(Matrix m)
    {
        var norms = new float[m.Rows];
        for (var i = 0; i < m.Rows; i++)
        {
            var row = m.RowReadOnly(i);
            norms[i] = TensorPrimitives.Dot(row, row);
        }

        return norms;
    }

    /// <summary>Column means, accumulated in double in row order.</summary>
    public static double[] ColumnMeans(Matrix m)
    {
        var mean = new double[m.Columns];
        for (var i = 0; i < m.Rows; i++)
        {
            var row = m.RowReadOnly(i);
            for (var t = 0; t < row.Length; t++)
            {
                mean[t] += row[t];
            }
        }

        for (var t = 0; t < mean.Length; t++)
        {
            mean[t] /= Math.Max(1, m.Rows);
        }

        return mean;
    }

    /// <summary>
    /// A copy with <paramref name="mean"/> subtracted from every row. Euclidean kernels run on centred data because the
    /// expanded form ||a||² + ||b||² − 2a·b loses precision in proportion to the squared norms.
    /// </summary>
    public static Matrix CenteredCopy(Matrix m, ReadOnlySpan<double> mean)
    {
        var shift = new float[mean.Length];
        for (var t = 0; t < shift.Length; t++)
        {
            shift[t] = (float)mean[t];
        }

        var copy = new Matrix(m.Rows, m.Columns);
        for (var i = 0; i < m.Rows; i++)
        {
            TensorPrimitives.Subtract(m.RowReadOnly(i), shift, copy.Row(i));
        }

        return copy;
    }

    /// <summary>A copy with every row scaled to unit L2 norm; all-zero rows stay zero.</summary>
    public static Matrix NormalizedCopy(Matrix m)
    {
        var copy = m.Clone();
        NormalizeInPlace(copy);
        return copy;
    }

    /// <summary>Scales every row to unit L2 norm; all-zero rows stay zero.</summary>
    public static void NormalizeInPlace(Matrix m)
    {
        for (var i = 0; i < m.Rows; i++)
        {
            NormalizeInPlace(m.Row(i));
        }
    }

    /// <summary>Scales <paramref name="row"/> to unit L2 norm; an all-zero row stays zero.</summary>
    public static void NormalizeInPlace(Span<float> row)
    {
        var norm = TensorPrimitives.Norm(row);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(row, norm, row);
        }
    }

    /// <summary>
    /// Throws when a row is all zeros: its direction, and so every cosine distance to it, is undefined. The message
    /// names the first such row (the same wording as cosine HDBSCAN).
    /// </summary>
    /// <param name="m">The rows.</param>
    /// <param name="what">How the matrix is named in the message.</param>
    public static void EnsureNoZeroRows(Matrix m, string what)
    {
        for (var i = 0; i < m.Rows; i++)
        {
            var row = m.RowReadOnly(i);
            if (row.IsEmpty || row[TensorPrimitives.IndexOfMaxMagnitude(row)] == 0f)
            {
                throw new InvalidDataException($"{what}: row {i} is all zeros, so its cosine distance is undefined; drop it or use the Euclidean metric.");
            }
        }
    }
}
