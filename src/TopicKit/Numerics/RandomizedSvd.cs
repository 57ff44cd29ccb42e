using MathNet.Numerics.LinearAlgebra.Double;

namespace TopicKit.Numerics;

/// <summary>
/// Truncated SVD of a sparse matrix by the randomized range finder of Halko, Martinsson and Tropp (2011):
/// a Gaussian sketch, power iterations with re-orthonormalisation, then an exact SVD of the small projected matrix.
/// </summary>
public static class RandomizedSvd
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

        var q = Orthonormalize(x.MultiplyDense(omega, width), x.Rows, width);
        for (var it = 0; it < powerIterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var z = Orthonormalize(xt.MultiplyDense(q, width), x.Columns, width);
            q = Orthonormalize(x.MultiplyDense(z, width), x.Rows, width);
        }

        // B = Qᵀ X, held as Z = Xᵀ Q = Bᵀ (columns x width). Bᵀ = V Σ Uᵀ, so the eigenvectors of ZᵀZ give U.
        var zt = xt.MultiplyDense(q, width);
        var zMatrix = DenseMatrix.OfArray(ToArray2D(zt, x.Columns, width));
        var gram = zMatrix.TransposeThisAndMultiply(zMatrix);
        var evd = gram.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var order = Enumerable.Range(0, width).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).ToArray();

        var singular = new double[rank];
        var right = new double[(long)x.Columns * rank];
        var kept = 0;
        for (var c = 0; c < rank; c++)
        {
            var lambda = Math.Max(evd.EigenValues[order[c]].Real, 0);
            var sigma = Math.Sqrt(lambda);
            if (sigma <= 1e-10)
            {
                break;
            }

            singular[c] = sigma;
            var u = evd.EigenVectors.Column(order[c]);
            var v = zMatrix.Multiply(u) / sigma;

            // Deterministic sign: the largest-magnitude loading is positive (as scikit-learn's svd_flip).
            var maxAbs = 0.0;
            var sign = 1.0;
            for (var r = 0; r < v.Count; r++)
            {
                if (Math.Abs(v[r]) > maxAbs)
                {
                    maxAbs = Math.Abs(v[r]);
                    sign = v[r] < 0 ? -1.0 : 1.0;
                }
            }

            for (var r = 0; r < x.Columns; r++)
            {
                right[(r * rank) + c] = sign * v[r];
            }

            kept++;
        }

        if (kept < rank)
        {
            // Rank-deficient data: repack to the columns that carry variance.
            var packed = new double[(long)x.Columns * kept];
            for (var r = 0; r < x.Columns; r++)
            {
                Array.Copy(right, r * rank, packed, r * kept, kept);
            }

            right = packed;
        }

        return (right, singular[..kept], kept);
    }

    private static double[] Orthonormalize(double[] y, int rows, int width)
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
