using System.Numerics.Tensors;

namespace TopicKit.Numerics;

/// <summary>
/// An immutable compressed-sparse-row <see cref="float"/> matrix, the shape of TF-IDF document-term data.
/// Column indices are sorted within each row.
/// </summary>
public sealed class SparseMatrix
{
    /// <summary>Wraps CSR arrays without copying.</summary>
    /// <param name="rowOffsets">Length rows + 1; row i spans [rowOffsets[i], rowOffsets[i+1]).</param>
    /// <param name="columnIndices">Column of each stored value.</param>
    /// <param name="values">Stored values.</param>
    /// <param name="columns">Number of columns.</param>
    public SparseMatrix(int[] rowOffsets, int[] columnIndices, float[] values, int columns)
    {
        ArgumentNullException.ThrowIfNull(rowOffsets);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentNullException.ThrowIfNull(values);
        if (rowOffsets.Length == 0 || rowOffsets[^1] != values.Length || columnIndices.Length != values.Length)
        {
            throw new ArgumentException("Inconsistent CSR arrays.", nameof(rowOffsets));
        }

        RowOffsets = rowOffsets;
        ColumnIndices = columnIndices;
        Values = values;
        Columns = columns;
    }

    /// <summary>Concatenates per-row column indices (sorted) and values into one CSR matrix.</summary>
    /// <param name="rowIndices">Column indices of each row.</param>
    /// <param name="rowValues">Values of each row, as long as its indices.</param>
    /// <param name="columns">Number of columns.</param>
    public static SparseMatrix FromRows(int[][] rowIndices, float[][] rowValues, int columns)
    {
        ArgumentNullException.ThrowIfNull(rowIndices);
        ArgumentNullException.ThrowIfNull(rowValues);
        var offsets = new int[rowIndices.Length + 1];
        for (var d = 0; d < rowIndices.Length; d++)
        {
            offsets[d + 1] = checked(offsets[d] + rowIndices[d].Length);
        }

        var allIdx = new int[offsets[^1]];
        var allVal = new float[offsets[^1]];
        for (var d = 0; d < rowIndices.Length; d++)
        {
            rowIndices[d].CopyTo(allIdx, offsets[d]);
            rowValues[d].CopyTo(allVal, offsets[d]);
        }

        return new SparseMatrix(offsets, allIdx, allVal, columns);
    }

    /// <summary>Row start offsets (length <see cref="Rows"/> + 1).</summary>
    public int[] RowOffsets { get; }

    /// <summary>Column index per stored value.</summary>
    public int[] ColumnIndices { get; }

    /// <summary>Stored values.</summary>
    public float[] Values { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => RowOffsets.Length - 1;

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Number of stored values.</summary>
    public int NonZeros => Values.Length;

    /// <summary>The column indices of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> RowIndices(int row) => ColumnIndices.AsSpan(RowOffsets[row], RowOffsets[row + 1] - RowOffsets[row]);

    /// <summary>The values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowOffsets[row], RowOffsets[row + 1] - RowOffsets[row]);

    /// <summary>The transpose, also in CSR form (so column-wise products become row-parallel).</summary>
    public SparseMatrix Transpose()
    {
        var counts = new int[Columns + 1];
        foreach (var c in ColumnIndices)
        {
            counts[c + 1]++;
        }

        for (var i = 0; i < Columns; i++)
        {
            counts[i + 1] += counts[i];
        }

        var next = (int[])counts.Clone();
        var indices = new int[NonZeros];
        var values = new float[NonZeros];
        for (var row = 0; row < Rows; row++)
        {
            for (var p = RowOffsets[row]; p < RowOffsets[row + 1]; p++)
            {
                var slot = next[ColumnIndices[p]]++;
                indices[slot] = row;
                values[slot] = Values[p];
            }
        }

        return new SparseMatrix(counts, indices, values, Rows);
    }

    /// <summary>
    /// Computes <c>this · dense</c> into a new row-major double array (Rows x width), where
    /// <paramref name="dense"/> is row-major (Columns x width). Rows are independent, so the
    /// parallel result is identical to the serial one.
    /// </summary>
    /// <param name="dense">The right-hand matrix, row-major Columns x <paramref name="width"/>.</param>
    /// <param name="width">Its number of columns.</param>
    /// <param name="cancellationToken">Checked between rows, so a wide product stops promptly.</param>
    public double[] MultiplyDense(double[] dense, int width, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dense);
        if (dense.Length != (long)Columns * width)
        {
            throw new ArgumentException($"Expected a {Columns} x {width} matrix.", nameof(dense));
        }

        var result = new double[(long)Rows * width];
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        void RowProduct(int row)
        {
            var target = result.AsSpan(row * width, width);
            var idx = RowIndices(row);
            var val = RowValues(row);
            for (var p = 0; p < idx.Length; p++)
            {
                TensorPrimitives.MultiplyAdd(dense.AsSpan(idx[p] * width, width), (double)val[p], target, target);
            }
        }

        if ((long)NonZeros * width < 1 << 18)
        {
            for (var row = 0; row < Rows; row++)
            {
                RowProduct(row);
            }
        }
        else
        {
            Parallel.For(0, Rows, new ParallelOptions { CancellationToken = cancellationToken }, RowProduct);
        }

        return result;
    }
}
