using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace TopicKit.Reduction;

/// <summary>
/// Spectral initialisation: the eigenvectors of the symmetric normalised Laplacian I - D^-1/2 W D^-1/2 with the
/// smallest non-trivial eigenvalues, found as the top eigenvectors of (I + D^-1/2 W D^-1/2) / 2 by explicitly
/// restarted Lanczos with full re-orthogonalisation, deflating the known trivial eigenvector D^1/2 1.
/// Cost per Lanczos step: one sparse product plus O(N m) re-orthogonalisation, so it scales to 100k+ nodes.
/// </summary>
internal static class UmapSpectral
{
    private const double Tolerance = 1e-4;
    private const int MaxRestarts = 6;

    /// <summary>The N x dim layout (row-major) of a connected graph, or <c>null</c> when it is too small or the solver fails.</summary>
    public static float[]? ConnectedLayout(SparseGraph graph, int dim, int seed, int maxDop, CancellationToken cancellationToken)
    {
        var n = graph.Rows;
        if (n <= dim + 1)
        {
            return null;
        }

        var invSqrtDegree = new double[n];
        var trivial = new double[n];
        for (var i = 0; i < n; i++)
        {
            var degree = 0.0;
            for (var e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                degree += graph.Weights[e];
            }

            if (!(degree > 0))
            {
                return null;
            }

            invSqrtDegree[i] = 1 / Math.Sqrt(degree);
            trivial[i] = Math.Sqrt(degree);
        }

        Normalize(trivial);
        var m = Math.Min(n - 1, Math.Max(4 * (dim + 1), 64));
        var basis = new double[m + 1][];
        var start = new double[n];
        var random = new Random(seed);
        for (var i = 0; i < n; i++)
        {
            start[i] = 1 + (0.1 * (random.NextDouble() - 0.5));
        }

        double[][]? ritz = null;
        for (var restart = 0; restart <= MaxRestarts; restart++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (vectors, residual) = Lanczos(graph, invSqrtDegree, trivial, start, basis, m, dim, maxDop, cancellationToken);
            if (vectors is null)
            {
                return null;
            }

            ritz = vectors;
            if (residual < Tolerance)
            {
                break;
            }

            Array.Clear(start);
            foreach (var v in vectors)
            {
                TensorPrimitives.Add(start, v, start);
            }
        }

        var layout = new float[n * dim];
        for (var c = 0; c < dim; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var value = ritz![c][i];
                if (!double.IsFinite(value))
                {
                    return null;
                }

                layout[(i * dim) + c] = (float)value;
            }
        }

        return layout;
    }

    private static (double[][]? Vectors, double Residual) Lanczos(
        SparseGraph graph, double[] invSqrtDegree, double[] trivial, double[] start, double[][] basis, int m, int dim, int maxDop, CancellationToken cancellationToken)
    {
        var n = graph.Rows;
        var alpha = new double[m];
        var beta = new double[m];
        var v = basis[0] ??= new double[n];
        start.CopyTo(v, 0);
        Orthogonalize(v, trivial);
        if (Normalize(v) < 1e-12)
        {
            return (null, double.PositiveInfinity);
        }

        var steps = m;
        for (var j = 0; j < m; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var w = basis[j + 1] ??= new double[n];
            Apply(graph, invSqrtDegree, basis[j], w, maxDop);
            alpha[j] = TensorPrimitives.Dot<double>(w, basis[j]);
            // Full re-orthogonalisation (twice is enough) keeps the Krylov basis orthonormal in floating point.
            for (var pass = 0; pass < 2; pass++)
            {
                Orthogonalize(w, trivial);
                for (var p = 0; p <= j; p++)
                {
                    Orthogonalize(w, basis[p]);
                }
            }

            beta[j] = Normalize(w);
            if (beta[j] < 1e-10)
            {
                steps = j + 1;
                break;
            }
        }

        var t = Matrix<double>.Build.Dense(steps, steps);
        for (var j = 0; j < steps; j++)
        {
            t[j, j] = alpha[j];
            if (j + 1 < steps)
            {
                t[j, j + 1] = beta[j];
                t[j + 1, j] = beta[j];
            }
        }

        var evd = t.Evd(Symmetricity.Symmetric);
        var wanted = Math.Min(dim, steps);
        if (wanted < dim)
        {
            return (null, double.PositiveInfinity);
        }

        var vectors = new double[dim][];
        var residual = 0.0;
        for (var c = 0; c < dim; c++)
        {
            var source = steps - 1 - c; // Ascending eigenvalues: the largest come last.
            var y = new double[n];
            for (var j = 0; j < steps; j++)
            {
                var s = evd.EigenVectors[j, source];
                if (s != 0)
                {
                    TensorPrimitives.MultiplyAdd<double>(basis[j], s, y, y);
                }
            }

            residual = Math.Max(residual, Math.Abs(beta[steps - 1] * evd.EigenVectors[steps - 1, source]));
            vectors[c] = y;
        }

        return (vectors, residual);
    }

    /// <summary>y = (x + D^-1/2 W D^-1/2 x) / 2, row by row (each row written by one thread).</summary>
    private static void Apply(SparseGraph graph, double[] invSqrtDegree, double[] x, double[] y, int maxDop)
    {
        void Row(int i)
        {
            var sum = 0.0;
            for (var e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                var j = graph.Cols[e];
                sum += graph.Weights[e] * invSqrtDegree[j] * x[j];
            }

            y[i] = 0.5 * (x[i] + (invSqrtDegree[i] * sum));
        }

        if (graph.EdgeCount < 100_000 || maxDop == 1)
        {
            for (var i = 0; i < graph.Rows; i++)
            {
                Row(i);
            }
        }
        else
        {
            Parallel.For(0, graph.Rows, new ParallelOptions { MaxDegreeOfParallelism = maxDop }, Row);
        }
    }

    private static void Orthogonalize(double[] w, double[] against)
    {
        var projection = TensorPrimitives.Dot<double>(w, against);
        TensorPrimitives.MultiplyAdd<double>(against, -projection, w, w);
    }

    private static double Normalize(double[] v)
    {
        var norm = Math.Sqrt(TensorPrimitives.Dot<double>(v, v));
        if (norm > 0)
        {
            TensorPrimitives.Divide<double>(v, norm, v);
        }

        return norm;
    }

    /// <summary>Connected-component label of every vertex (numbered by first vertex) and the component count.</summary>
    internal static (int[] Labels, int Count) Components(SparseGraph graph)
    {
        var n = graph.Rows;
        var label = new int[n];
        Array.Fill(label, -1);
        var stack = new Stack<int>();
        var components = 0;
        for (var s = 0; s < n; s++)
        {
            if (label[s] >= 0)
            {
                continue;
            }

            label[s] = components;
            stack.Push(s);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                for (var e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
                {
                    var j = graph.Cols[e];
                    if (label[j] < 0)
                    {
                        label[j] = components;
                        stack.Push(j);
                    }
                }
            }

            components++;
        }

        return (label, components);
    }
}
