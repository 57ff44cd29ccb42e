using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra.Double;

namespace TopicKit.Numerics;

/// <summary>
/// Truncated SVD of a sparse matrix by the randomized range finder of Halko, Martinsson and Tropp (2011):
/// a Gaussian sketch, power iterations with re-orthonormalisation, then an exact SVD of the small projected matrix.
/// </summary>
internal static class RandomizedSvd
{
    /// <summary>Computes the leading right singular vectors of <paramref name="x"/>.</summary>
    /// <param name="x">Data (rows x columns).</param>
    /// <param name="components">Wanted rank; reduced to the rank the data can support (min of rows, columns).</param>
    /// <param name="seed">Seed of the Gaussian sketch.</param>
    /// <param name="oversamples">Extra sketch columns (default 10).</param>
    /// <param name="powerIterations">Power iterations (default 5), sharpening the spectrum for slowly decaying data.</param>
    /// <param name="cancellationToken">Checked between iterations.</param>
    /// <returns>Right singular vectors as a row-major columns x rank array, and the singular values (descending).</returns>
    public static (double[] RightVectors, double[] SingularValues, int Rank) Compute(
        SparseMatrix x, int components, ulong seed, int oversamples = 10, int powerIterations = 5,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        var rank = Math.Min(components, Math.Min(x.Rows, x.Columns));
        var width = Math.Min(rank + oversamples, Math.Min(x.Rows, x.Columns));
        var xt = x.Transpose();

        var random = new SeededRandom(seed);
        var omega = new double[(long)x.Columns * width];
        for (var i = 0; i < omega.Length; i++)
        {
            omega[i] = random.NextGaussian();
        }

        // Cancellation is checked per row or row block inside every product, so even a sketch thousands of columns
        // wide stops within a fraction of a second.
        var ct = cancellationToken;
        var q = Orthonormalize(x.MultiplyDense(omega, width, ct), x.Rows, width, ct);
        for (var it = 0; it < powerIterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            var z = Orthonormalize(xt.MultiplyDense(q, width, ct), x.Columns, width, ct);
            q = Orthonormalize(x.MultiplyDense(z, width, ct), x.Rows, width, ct);
        }

        // B = Qᵀ X, held as Z = Xᵀ Q = Bᵀ (columns x width). Bᵀ = V Σ Uᵀ, so the eigenvectors of ZᵀZ give U.
        var zt = xt.MultiplyDense(q, width, ct);
        var gram = DenseMatrix.OfArray(ToArray2D(Gram(zt, x.Columns, width, ct), width, width));
        var evd = SymmetricEvd(gram, ct);
        var order = Enumerable.Range(0, width).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).ToArray();

        var singular = new double[rank];
        var kept = 0;
        while (kept < rank && Math.Sqrt(Math.Max(evd.EigenValues[order[kept]].Real, 0)) > 1e-10)
        {
            singular[kept] = Math.Sqrt(evd.EigenValues[order[kept]].Real);
            kept++;
        }

        // V = Z U Σ⁻¹, one dense product (columns x width times width x kept).
        var scaledU = new double[(long)width * kept];
        for (var k = 0; k < width; k++)
        {
            for (var c = 0; c < kept; c++)
            {
                scaledU[(k * kept) + c] = evd.EigenVectors[k, order[c]] / singular[c];
            }
        }

        var right = MultiplyRows(zt, x.Columns, width, scaledU, kept, ct);

        // Deterministic sign: the largest-magnitude loading is positive (as scikit-learn's svd_flip).
        for (var c = 0; c < kept; c++)
        {
            var maxAbs = 0.0;
            var sign = 1.0;
            for (var r = 0; r < x.Columns; r++)
            {
                var value = right[(r * kept) + c];
                if (Math.Abs(value) > maxAbs)
                {
                    maxAbs = Math.Abs(value);
                    sign = value < 0 ? -1.0 : 1.0;
                }
            }

            if (sign < 0)
            {
                for (var r = 0; r < x.Columns; r++)
                {
                    right[(r * kept) + c] = -right[(r * kept) + c];
                }
            }
        }

        return (right, singular[..kept], kept);
    }

    // The kernels below are marked AggressiveOptimization: a fit calls each only a dozen times, so tiered JIT would run
    // most of that work in slow tier-0 code.

    /// <summary>
    /// An orthonormal basis of the columns of <paramref name="y"/>: CholeskyQR2 (two passes of Y ← Y R⁻¹ with R from the
    /// Cholesky factor of YᵀY), which costs two SIMD Gram products instead of a Householder QR; numerically rank-deficient
    /// sketches (tiny corpora) fall back to Householder QR.
    /// </summary>
    private static double[] Orthonormalize(double[] y, int rows, int width, CancellationToken ct)
    {
        var copy = (double[])y.Clone();
        return TryCholeskyQr(copy, rows, width, ct) && TryCholeskyQr(copy, rows, width, ct) ? copy : HouseholderQr(y, rows, width);
    }

    /// <summary>
    /// MathNet's eigendecomposition has no cancellation point and takes tens of seconds for a width in the thousands,
    /// so a large one runs on a worker the caller stops waiting for when cancelled (its result is then dropped).
    /// </summary>
    private static MathNet.Numerics.LinearAlgebra.Factorization.Evd<double> SymmetricEvd(DenseMatrix gram, CancellationToken ct)
    {
        if (gram.RowCount <= 256 || !ct.CanBeCanceled)
        {
            return gram.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        }

        var task = Task.Run(() => gram.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric), CancellationToken.None);
        try
        {
            task.Wait(ct);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        return task.Result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryCholeskyQr(double[] y, int rows, int width, CancellationToken ct)
    {
        var g = Gram(y, rows, width, ct);
        var maxDiagonal = 0.0;
        for (var i = 0; i < width; i++)
        {
            maxDiagonal = Math.Max(maxDiagonal, g[(i * width) + i]);
        }

        // Lower Cholesky factor L (G = L Lᵀ) in place; R = Lᵀ.
        for (var j = 0; j < width; j++)
        {
            var rowJ = g.AsSpan(j * width, j);
            var diagonal = g[(j * width) + j] - TensorPrimitives.Dot<double>(rowJ, rowJ);
            if (!(diagonal > 1e-12 * maxDiagonal))
            {
                return false;
            }

            var ljj = Math.Sqrt(diagonal);
            g[(j * width) + j] = ljj;
            for (var i = j + 1; i < width; i++)
            {
                g[(i * width) + j] = (g[(i * width) + j] - TensorPrimitives.Dot<double>(g.AsSpan(i * width, j), rowJ)) / ljj;
            }
        }

        // Each row x of Y becomes x R⁻¹ = solve(L, xᵀ)ᵀ by forward substitution; rows are independent.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void SolveRow(int r)
        {
            var row = y.AsSpan(r * width, width);
            for (var j = 0; j < width; j++)
            {
                row[j] = (row[j] - TensorPrimitives.Dot<double>(g.AsSpan(j * width, j), row[..j])) / g[(j * width) + j];
            }
        }

        if ((long)rows * width * width < 1 << 20)
        {
            for (var r = 0; r < rows; r++)
            {
                SolveRow(r);
            }
        }
        else
        {
            Parallel.For(0, rows, new ParallelOptions { CancellationToken = ct }, SolveRow);
        }

        return true;
    }

    /// <summary>YᵀY of a row-major rows x width matrix, summed over fixed row blocks in a fixed order (deterministic at any thread count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Gram(double[] y, int rows, int width, CancellationToken ct)
    {
        const int Block = 256;
        var blocks = (rows + Block - 1) / Block;
        var partial = new double[blocks][];
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Accumulate(int b)
        {
            var g = new double[width * width];
            for (var r = b * Block; r < Math.Min(rows, (b + 1) * Block); r++)
            {
                var row = y.AsSpan(r * width, width);
                for (var a = 0; a < width; a++)
                {
                    if (row[a] != 0)
                    {
                        var target = g.AsSpan((a * width) + a, width - a);
                        TensorPrimitives.MultiplyAdd(row[a..], row[a], target, target);
                    }
                }
            }

            partial[b] = g;
        }

        if (blocks == 1)
        {
            Accumulate(0);
        }
        else
        {
            Parallel.For(0, blocks, new ParallelOptions { CancellationToken = ct }, Accumulate);
        }

        var sum = partial[0];
        for (var b = 1; b < blocks; b++)
        {
            TensorPrimitives.Add(sum, partial[b], sum);
        }

        for (var a = 0; a < width; a++)
        {
            for (var c = a + 1; c < width; c++)
            {
                sum[(c * width) + a] = sum[(a * width) + c];
            }
        }

        return sum;
    }

    /// <summary>Row-major (rows x inner) times (inner x width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] MultiplyRows(double[] left, int rows, int inner, double[] right, int width, CancellationToken ct)
    {
        var result = new double[(long)rows * width];
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Row(int r)
        {
            var target = result.AsSpan(r * width, width);
            for (var k = 0; k < inner; k++)
            {
                var value = left[(r * inner) + k];
                if (value != 0)
                {
                    TensorPrimitives.MultiplyAdd(right.AsSpan(k * width, width), value, target, target);
                }
            }
        }

        if ((long)rows * inner * width < 1 << 20)
        {
            for (var r = 0; r < rows; r++)
            {
                Row(r);
            }
        }
        else
        {
            Parallel.For(0, rows, new ParallelOptions { CancellationToken = ct }, Row);
        }

        return result;
    }

    private static double[] HouseholderQr(double[] y, int rows, int width)
    {
        var m = DenseMatrix.OfArray(ToArray2D(y, rows, width));
        var qr = m.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var q = qr.Q;
        var result = new double[(long)rows * width];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < width; c++)
            {
                result[(r * width) + c] = q[r, c];
            }
        }

        return result;
    }

    private static double[,] ToArray2D(double[] data, int rows, int width)
    {
        var a = new double[rows, width];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < width; c++)
            {
                a[r, c] = data[(r * width) + c];
            }
        }

        return a;
    }
}
