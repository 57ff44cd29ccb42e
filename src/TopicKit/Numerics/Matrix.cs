namespace TopicKit.Numerics;

/// <summary>
/// A dense row-major <see cref="float"/> matrix: the one currency of every numeric stage
/// (embeddings, reduced coordinates, centroids). Rows are contiguous so kernels can run on spans.
/// </summary>
public sealed class Matrix
{
    /// <summary>Creates a zero-filled matrix.</summary>
    public Matrix(int rows, int columns)
        : this(new float[checked(rows * columns)], rows, columns)
    {
    }

    /// <summary>Wraps existing row-major storage without copying.</summary>
    /// <exception cref="ArgumentException">When <paramref name="data"/> does not hold exactly rows × columns values.</exception>
    public Matrix(float[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != data.LongLength)
        {
            throw new ArgumentException($"Storage holds {data.LongLength} values but the shape is {rows} x {columns}.", nameof(data));
        }

        Data = data;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Row-major storage; element (i, j) is at <c>i * Columns + j</c>.</summary>
    public float[] Data { get; }

    /// <summary>Number of rows (points).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (dimensions).</summary>
    public int Columns { get; }

    /// <summary>Element access.</summary>
    public float this[int row, int column]
    {
        get => Data[(row * Columns) + column];
        set => Data[(row * Columns) + column] = value;
    }

    /// <summary>The contiguous values of one row.</summary>
    public Span<float> Row(int row) => Data.AsSpan(row * Columns, Columns);

    /// <summary>The contiguous values of one row, read-only.</summary>
    public ReadOnlySpan<float> RowReadOnly(int row) => new(Data, row * Columns, Columns);

    /// <summary>A deep copy.</summary>
    public Matrix Clone() => new((float[])Data.Clone(), Rows, Columns);

    /// <summary>Copies the given rows, in the given order, into a new matrix.</summary>
    public Matrix SelectRows(ReadOnlySpan<int> rows)
    {
        var result = new Matrix(rows.Length, Columns);
        for (var i = 0; i < rows.Length; i++)
        {
            RowReadOnly(rows[i]).CopyTo(result.Row(i));
        }

        return result;
    }

    /// <summary>Throws a clear error when any value is NaN or infinite, naming the first offending row.</summary>
    /// <param name="what">How the matrix is named in the message (e.g. a file name).</param>
    public void EnsureFinite(string what)
    {
        if (FirstNonFinite() is { } bad)
        {
            throw new InvalidDataException(
                $"{what}: row {bad.Row}, column {bad.Column} holds {bad.Value}; remove or impute non-finite values before clustering.");
        }
    }

    /// <summary>The first NaN or infinite value in row-major order, with its row and column; null when every value is finite.</summary>
    public (int Row, int Column, float Value)? FirstNonFinite()
    {
        // Fast path: a row whose sum is finite holds no NaN or infinity (an overflowing sum of finite values only sends
        // the row to the exact scan below, which then finds nothing).
        var clean = true;
        for (var r = 0; r < Rows && clean; r++)
        {
            clean = float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(RowReadOnly(r)));
        }

        if (clean)
        {
            return null;
        }

        var data = Data.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                var row = Columns == 0 ? 0 : i / Columns;
                return (row, i - (row * Columns), data[i]);
            }
        }

        return null;
    }
}
