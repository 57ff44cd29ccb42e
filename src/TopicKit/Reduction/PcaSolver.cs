using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using TopicKit.Numerics;

namespace TopicKit.Reduction;

/// <summary>The linear algebra behind <see cref="Pca"/>: every reduction runs in a fixed order so results do not depend on the thread count.</summary>
internal static class PcaSolver
{
    private const int RowChunk = 512;

    public static float[] ColumnMeans(Matrix data)
    {
        var sums = new double[data.Columns];
        for (var i = 0; i < data.Rows; i++)
        {
            var row = data.RowReadOnly(i);
            for (var j = 0; j < row.Length; j++)
            {
                sums[j] += row[j];
            }
        }

        var mean = new float[data.Columns];
        for (var j = 0; j < mean.Length; j++)
        {
            mean[j] = (float)(sums[j] / data.Rows);
        }

        return mean;
    }

    public static Matrix Subtract(Matrix data, float[] mean)
    {
        var result = new Matrix(data.Rows, data.Columns);
        for (var i = 0; i < data.Rows; i++)
        {
            TensorPrimitives.Subtract(data.RowReadOnly(i), mean, result.Row(i));
        }

        return result;
    }

    public static double TotalVariance(Matrix centered)
    {
        var total = 0.0;
        for (var i = 0; i < centered.Rows; i++)
        {
            var row = centered.RowReadOnly(i);
            total += TensorPrimitives.Dot(row, row);
        }

        return total;
    }

    /// <summary>Exact top-<paramref name="c"/> right singular vectors (rows of the result) and singular values.</summary>
    public static (double[] Components, double[] Singular) Exact(Matrix x, int c)
    {
        var n = x.Rows;
        var d = x.Columns;
        var components = new double[c * d];
        var singular = new double[c];
        if (d <= n)
        {
            var evd = Matrix<double>.Build.DenseOfColumnMajor(d, d, ColumnGram(x)).Evd(Symmetricity.Symmetric);
            for (var k = 0; k < c; k++)
            {
                var source = d - 1 - k; // MathNet sorts symmetric eigenvalues ascending.
                singular[k] = Math.Sqrt(Math.Max(evd.EigenValues[source].Real, 0));
                for (var t = 0; t < d; t++)
                {
                    components[(k * d) + t] = evd.EigenVectors[t, source];
                }
            }
        }
        else
        {
            var evd = Matrix<double>.Build.DenseOfColumnMajor(n, n, RowGram(x)).Evd(Symmetricity.Symmetric);
            var u = new double[n];
            for (var k = 0; k < c; k++)
            {
                var source = n - 1 - k;
                singular[k] = Math.Sqrt(Math.Max(evd.EigenValues[source].Real, 0));
                for (var i = 0; i < n; i++)
                {
                    u[i] = evd.EigenVectors[i, source];
                }

                var v = components.AsSpan(k * d, d);
                TransposeTimes(x, u, v);
                if (singular[k] > 1e-12)
                {
                    for (var t = 0; t < d; t++)
                    {
                        v[t] /= singular[k];
                    }
                }
            }

            CompleteOrthonormal(components, c, d, singular);
        }

        return (components, singular);
    }

    /// <summary>Randomized top-<paramref name="c"/> right singular vectors (Halko et al. 2011, algorithm 4.4 with QR re-orthonormalisation).</summary>
    public static (double[] Components, double[] Singular) Randomized(Matrix x, int c, int oversampling, int powerIterations, int seed, CancellationToken cancellationToken)
    {
        var n = x.Rows;
        var d = x.Columns;
        var l = Math.Min(c + oversampling, Math.Min(n, d));
        var random = new Random(seed);
        var omega = new double[l * d]; // l columns of length d
        for (var i = 0; i < omega.Length; i++)
        {
            omega[i] = Gaussian(random);
        }

        var q = new double[l * n];
        Times(x, omega, l, q);
        Orthonormalize(q, l, n);
        var z = new double[l * d];
        for (var it = 0; it < powerIterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TransposeTimes(x, q, l, z);
            Orthonormalize(z, l, d);
            Times(x, z, l, q);
            Orthonormalize(q, l, n);
        }

        // B^T = X^T Q (d x l); the SVD of the small l x d matrix B comes from the eigen-decomposition of B B^T.
        TransposeTimes(x, q, l, z);
        var bbt = new double[l * l];
        for (var a = 0; a < l; a++)
        {
            for (var b = a; b < l; b++)
            {
                var dot = Dot(z.AsSpan(a * d, d), z.AsSpan(b * d, d));
                bbt[(a * l) + b] = dot;
                bbt[(b * l) + a] = dot;
            }
        }

        var evd = Matrix<double>.Build.DenseOfColumnMajor(l, l, bbt).Evd(Symmetricity.Symmetric);
        var components = new double[c * d];
        var singular = new double[c];
        for (var k = 0; k < c; k++)
        {
            var source = l - 1 - k;
            singular[k] = Math.Sqrt(Math.Max(evd.EigenValues[source].Real, 0));
            var v = components.AsSpan(k * d, d);
            for (var a = 0; a < l; a++)
            {
                var w = evd.EigenVectors[a, source];
                var row = z.AsSpan(a * d, d);
                for (var t = 0; t < d; t++)
                {
                    v[t] += w * row[t];
                }
            }

            if (singular[k] > 1e-12)
            {
                for (var t = 0; t < d; t++)
                {
                    v[t] /= singular[k];
                }
            }
        }

        CompleteOrthonormal(components, c, d, singular);
        return (components, singular);
    }

    /// <summary>Makes the largest-magnitude loading of every component positive (the svd_flip convention on V).</summary>
    public static void FixSigns(double[] components, int d)
    {
        for (var k = 0; k < components.Length / d; k++)
        {
            var v = components.AsSpan(k * d, d);
            var best = 0;
            for (var t = 1; t < d; t++)
            {
                if (Math.Abs(v[t]) > Math.Abs(v[best]))
                {
                    best = t;
                }
            }

            if (v[best] < 0)
            {
                for (var t = 0; t < d; t++)
                {
                    v[t] = -v[t];
                }
            }
        }
    }

    /// <summary>X^T X in double, accumulated block by block; each output cell is owned by one thread.</summary>
    private static double[] ColumnGram(Matrix x)
    {
        var n = x.Rows;
        var d = x.Columns;
        var gram = new double[d * d];
        var block = new float[d * RowChunk];
        for (var start = 0; start < n; start += RowChunk)
        {
            var rows = Math.Min(RowChunk, n - start);
            for (var i = 0; i < rows; i++)
            {
                var row = x.RowReadOnly(start + i);
                for (var t = 0; t < d; t++)
                {
                    block[(t * rows) + i] = row[t];
                }
            }

            var localRows = rows;
            ParallelFor(d, (long)d * rows, a =>
            {
                var left = new ReadOnlySpan<float>(block, a * localRows, localRows);
                for (var b = a; b < d; b++)
                {
                    gram[(a * d) + b] += TensorPrimitives.Dot(left, new ReadOnlySpan<float>(block, b * localRows, localRows));
                }
            });
        }

        for (var a = 0; a < d; a++)
        {
            for (var b = 0; b < a; b++)
            {
                gram[(a * d) + b] = gram[(b * d) + a];
            }
        }

        return gram;
    }

    private static double[] RowGram(Matrix x)
    {
        var n = x.Rows;
        var gram = new double[n * n];
        ParallelFor(n, (long)n * x.Columns, a =>
        {
            for (var b = 0; b <= a; b++)
            {
                var dot = TensorPrimitives.Dot(x.RowReadOnly(a), x.RowReadOnly(b));
                gram[(a * n) + b] = dot;
                gram[(b * n) + a] = dot;
            }
        });
        return gram;
    }

    /// <summary>result (l columns of length n) = X times m (l columns of length d).</summary>
    private static void Times(Matrix x, double[] m, int l, double[] result)
    {
        var n = x.Rows;
        var d = x.Columns;
        var mf = Array.ConvertAll(m, v => (float)v);
        ParallelFor(n, (long)l * d, i =>
        {
            var row = x.RowReadOnly(i);
            for (var j = 0; j < l; j++)
            {
                result[(j * n) + i] = TensorPrimitives.Dot(row, new ReadOnlySpan<float>(mf, j * d, d));
            }
        });
    }

    /// <summary>result (l columns of length d) = X^T times q (l columns of length n), summed over fixed row chunks in order.</summary>
    private static void TransposeTimes(Matrix x, double[] q, int l, double[] result)
    {
        var n = x.Rows;
        var d = x.Columns;
        var chunks = (n + RowChunk - 1) / RowChunk;
        var partials = new float[chunks][];
        ParallelFor(chunks, (long)RowChunk * d * l, chunk =>
        {
            var partial = new float[l * d];
            var end = Math.Min(n, (chunk + 1) * RowChunk);
            for (var i = chunk * RowChunk; i < end; i++)
            {
                var row = x.RowReadOnly(i);
                for (var j = 0; j < l; j++)
                {
                    var target = partial.AsSpan(j * d, d);
                    TensorPrimitives.MultiplyAdd(row, (float)q[(j * n) + i], target, target);
                }
            }

            partials[chunk] = partial;
        });
        Array.Clear(result);
        foreach (var partial in partials)
        {
            for (var t = 0; t < partial.Length; t++)
            {
                result[t] += partial[t];
            }
        }
    }

    private static void TransposeTimes(Matrix x, double[] u, Span<double> v)
    {
        var result = new double[v.Length];
        TransposeTimes(x, u, 1, result);
        result.CopyTo(v);
    }

    /// <summary>Modified Gram-Schmidt, applied twice for stability, on l columns of the given length.</summary>
    private static void Orthonormalize(double[] columns, int l, int length)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            for (var j = 0; j < l; j++)
            {
                var cj = columns.AsSpan(j * length, length);
                for (var p = 0; p < j; p++)
                {
                    var cp = columns.AsSpan(p * length, length);
                    var projection = Dot(cj, cp);
                    for (var t = 0; t < length; t++)
                    {
                        cj[t] -= projection * cp[t];
                    }
                }

                var norm = Math.Sqrt(Dot(cj, cj));
                if (norm > 1e-300)
                {
                    for (var t = 0; t < length; t++)
                    {
                        cj[t] /= norm;
                    }
                }
            }
        }
    }

    /// <summary>Replaces components with a zero singular value (rank-deficient data) by unit vectors orthogonal to the others.</summary>
    private static void CompleteOrthonormal(double[] components, int c, int d, double[] singular)
    {
        for (var k = 0; k < c; k++)
        {
            if (singular[k] > 1e-12)
            {
                continue;
            }

            var v = components.AsSpan(k * d, d);
            for (var basis = 0; basis < d; basis++)
            {
                v.Clear();
                v[basis] = 1;
                for (var p = 0; p < c; p++)
                {
                    if (p == k || (p > k && singular[p] <= 1e-12))
                    {
                        continue;
                    }

                    var other = components.AsSpan(p * d, d);
                    var projection = Dot(v, other);
                    for (var t = 0; t < d; t++)
                    {
                        v[t] -= projection * other[t];
                    }
                }

                var norm = Math.Sqrt(Dot(v, v));
                if (norm > 1e-6)
                {
                    for (var t = 0; t < d; t++)
                    {
                        v[t] /= norm;
                    }

                    break;
                }
            }
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => TensorPrimitives.Dot(a, b);

    internal static double Gaussian(Random random)
    {
        // Box-Muller; 1 - NextDouble() avoids log(0).
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Parallel loop with a serial fast path when the total work is small.</summary>
    internal static void ParallelFor(int count, long workPerItem, Action<int> body)
    {
        if (count * workPerItem < 200_000 || count == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, body);
    }
}
