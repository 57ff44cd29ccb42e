using System.Numerics.Tensors;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>The outcome of one k-means run before it is wrapped in a public result.</summary>
internal sealed record KMeansRun(float[] Centers, int[] Labels, float[] Distances, double Inertia, int Iterations, bool Converged);

/// <summary>
/// One full-batch k-means run from given initial centres: Lloyd iterations, optionally with Hamerly's bounds,
/// following scikit-learn's loop (stop on unchanged labels or when the summed squared centre shift ≤ tolerance,
/// then a final assignment pass if the labels may be stale).
/// </summary>
/// <remarks>
/// Work is split into <see cref="Chunking"/> chunks that depend only on N; each chunk assigns its rows and sums them
/// per cluster, and the chunk sums are combined in chunk order, so results are bit-identical at any thread count.
/// </remarks>
internal sealed class KMeansEngine
{
    private readonly Matrix _x;
    private readonly float[] _xNorms;
    private readonly int _n;
    private readonly int _dim;
    private readonly int _k;
    private readonly bool _spherical;
    private readonly bool _hamerly;
    private readonly int _maxDop;
    private readonly Chunking _chunks;
    private readonly float[] _chunkSums;
    private readonly int[] _chunkCounts;
    private readonly int[] _labels;
    private readonly float[] _upper;
    private readonly float[] _lower;
    private readonly float[] _moves;
    private readonly float[] _halfGap;
    private float[] _centers;
    private float[] _centerNorms;

    public KMeansEngine(Matrix x, float[] xNorms, int k, bool spherical, bool hamerly, int maxDop)
    {
        _x = x;
        _xNorms = xNorms;
        _n = x.Rows;
        _dim = x.Columns;
        _k = k;
        _spherical = spherical;
        _hamerly = hamerly;
        _maxDop = maxDop;
        _chunks = new Chunking(_n);
        _chunkSums = new float[_chunks.Count * k * _dim];
        _chunkCounts = new int[_chunks.Count * k];
        _labels = new int[_n];
        _upper = new float[_n];
        _lower = new float[_n];
        _moves = new float[k];
        _halfGap = new float[k];
        _centers = [];
        _centerNorms = [];
    }

    public KMeansRun Run(float[] initialCenters, int maxIter, double tolerance, CancellationToken cancellationToken)
    {
        SetCenters((float[])initialCenters.Clone());
        var previous = new int[_n];
        var iterations = 0;
        var strict = false;
        var converged = false;
        for (var it = 0; it < maxIter; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iterations = it + 1;
            Array.Copy(_labels, previous, _n);
            if (_hamerly && it > 0)
            {
                ComputeHalfGaps();
                AssignAndSum(AssignMode.Bounded, cancellationToken);
            }
            else
            {
                AssignAndSum(_hamerly ? AssignMode.FullWithBounds : AssignMode.Full, cancellationToken);
            }

            var shift = UpdateCenters();
            if (it > 0 && _labels.AsSpan().SequenceEqual(previous))
            {
                strict = true;
                converged = true;
                break;
            }

            if (shift <= tolerance)
            {
                converged = true;
                break;
            }
        }

        if (!strict)
        {
            AssignAndSum(AssignMode.FinalFull, cancellationToken);
        }

        var (distances, inertia) = Inertia(_x, _centers, _labels, _maxDop);
        return new KMeansRun(_centers, (int[])_labels.Clone(), distances, inertia, iterations, converged);
    }

    /// <summary>Exact squared distances of every row to its assigned centre, summed per chunk then in chunk order.</summary>
    public static (float[] Distances, double Inertia) Inertia(Matrix x, float[] centers, int[] labels, int maxDop)
    {
        var dim = x.Columns;
        var chunks = new Chunking(x.Rows);
        var distances = new float[x.Rows];
        var partial = new double[chunks.Count];
        BlockParallel.For(
            chunks.Count,
            maxDop,
            () => 0,
            (chunk, _) =>
            {
                var (start, end) = chunks.Range(chunk);
                var sum = 0.0;
                for (var i = start; i < end; i++)
                {
                    var d = TensorPrimitives.Distance(x.RowReadOnly(i), centers.AsSpan(labels[i] * dim, dim));
                    distances[i] = d;
                    sum += (double)d * d;
                }

                partial[chunk] = sum;
            },
            CancellationToken.None);

        var total = 0.0;
        foreach (var p in partial)
        {
            total += p;
        }

        return (distances, total);
    }

    private enum AssignMode
    {
        Full,
        FullWithBounds,
        Bounded,
        FinalFull,
    }

    private void SetCenters(float[] centers)
    {
        _centers = centers;
        _centerNorms = RowOps.SquaredNorms(new Matrix(centers, _k, _dim));
    }

    private void AssignAndSum(AssignMode mode, CancellationToken cancellationToken)
    {
        var sum = mode != AssignMode.FinalFull;
        float maxMove = 0, secondMove = 0;
        var maxMoveIndex = -1;
        if (mode == AssignMode.Bounded)
        {
            for (var c = 0; c < _k; c++)
            {
                if (_moves[c] > maxMove)
                {
                    secondMove = maxMove;
                    maxMove = _moves[c];
                    maxMoveIndex = c;
                }
                else if (_moves[c] > secondMove)
                {
                    secondMove = _moves[c];
                }
            }
        }

        BlockParallel.For(
            _chunks.Count,
            _maxDop,
            () => new Scratch(_dim, _k),
            (chunk, s) =>
            {
                var (start, end) = _chunks.Range(chunk);
                if (mode == AssignMode.Bounded)
                {
                    BoundedPass(start, end, s, maxMove, secondMove, maxMoveIndex);
                }
                else
                {
                    for (var r0 = start; r0 < end; r0 += CentroidSearch.TileRows)
                    {
                        var rc = Math.Min(CentroidSearch.TileRows, end - r0);
                        ScoreTile(_x.Data.AsSpan(r0 * _dim, rc * _dim), rc, _xNorms.AsSpan(r0, rc), s, mode == AssignMode.FullWithBounds);
                        for (var r = 0; r < rc; r++)
                        {
                            Commit(r0 + r, s, r, mode == AssignMode.FullWithBounds);
                        }
                    }
                }

                if (sum)
                {
                    SumChunk(chunk, start, end);
                }
            },
            cancellationToken);
    }

    private void ScoreTile(ReadOnlySpan<float> rows, int count, ReadOnlySpan<float> norms, Scratch s, bool second) =>
        s.Search.Nearest(rows, count, norms, _centers, _centerNorms, s.Best, s.BestD2, second ? s.SecondD2 : Span<float>.Empty);

    private void Commit(int i, Scratch s, int r, bool bounds)
    {
        _labels[i] = s.Best[r];
        _upper[i] = bounds ? MathF.Sqrt(s.BestD2[r]) : s.BestD2[r];
        if (bounds)
        {
            _lower[i] = MathF.Sqrt(s.SecondD2[r]);
        }
    }

    // Hamerly: shift the bounds by the centre moves, then re-score only rows whose bounds no longer prove their label.
    private void BoundedPass(int start, int end, Scratch s, float maxMove, float secondMove, int maxMoveIndex)
    {
        var pending = 0;
        for (var i = start; i < end; i++)
        {
            var a = _labels[i];
            _upper[i] += _moves[a];
            _lower[i] -= a == maxMoveIndex ? secondMove : maxMove;
            var m = Math.Max(_halfGap[a], _lower[i]);
            if (_upper[i] <= m)
            {
                continue;
            }

            var dot = TensorPrimitives.Dot(_x.RowReadOnly(i), _centers.AsSpan(a * _dim, _dim));
            _upper[i] = MathF.Sqrt(Math.Max(0f, _xNorms[i] + _centerNorms[a] - (2f * dot)));
            if (_upper[i] <= m)
            {
                continue;
            }

            s.Pending[pending] = i;
            _x.RowReadOnly(i).CopyTo(s.Rows.AsSpan(pending * _dim, _dim));
            s.PendingNorms[pending] = _xNorms[i];
            pending++;
            if (pending == CentroidSearch.TileRows)
            {
                FlushPending(s, pending);
                pending = 0;
            }
        }

        FlushPending(s, pending);
    }

    private void FlushPending(Scratch s, int pending)
    {
        if (pending == 0)
        {
            return;
        }

        ScoreTile(s.Rows.AsSpan(0, pending * _dim), pending, s.PendingNorms.AsSpan(0, pending), s, second: true);
        for (var r = 0; r < pending; r++)
        {
            Commit(s.Pending[r], s, r, bounds: true);
        }
    }

    private void SumChunk(int chunk, int start, int end)
    {
        var sums = _chunkSums.AsSpan(chunk * _k * _dim, _k * _dim);
        var counts = _chunkCounts.AsSpan(chunk * _k, _k);
        sums.Clear();
        counts.Clear();
        for (var i = start; i < end; i++)
        {
            var c = _labels[i];
            var target = sums.Slice(c * _dim, _dim);
            TensorPrimitives.Add(target, _x.RowReadOnly(i), target);
            counts[c]++;
        }
    }

    // Combines chunk sums in chunk order, relocates empty clusters to the points farthest from their centres,
    // and returns the summed squared centre shift.
    private double UpdateCenters()
    {
        var sums = new double[_k * _dim];
        var counts = new long[_k];
        for (var chunk = 0; chunk < _chunks.Count; chunk++)
        {
            var cs = _chunkSums.AsSpan(chunk * _k * _dim, _k * _dim);
            for (var t = 0; t < sums.Length; t++)
            {
                sums[t] += cs[t];
            }

            for (var c = 0; c < _k; c++)
            {
                counts[c] += _chunkCounts[(chunk * _k) + c];
            }
        }

        RelocateEmpty(sums, counts);
        var next = new float[_k * _dim];
        var shift = 0.0;
        for (var c = 0; c < _k; c++)
        {
            var row = next.AsSpan(c * _dim, _dim);
            var old = _centers.AsSpan(c * _dim, _dim);
            if (counts[c] == 0)
            {
                old.CopyTo(row);
            }
            else
            {
                for (var t = 0; t < _dim; t++)
                {
                    row[t] = (float)(sums[(c * _dim) + t] / counts[c]);
                }

                if (_spherical)
                {
                    var norm = TensorPrimitives.Norm(row);
                    if (norm > 0f)
                    {
                        TensorPrimitives.Divide(row, norm, row);
                    }
                }
            }

            var move = TensorPrimitives.Distance(row, old);
            _moves[c] = move;
            shift += (double)move * move;
        }

        SetCenters(next);
        return shift;
    }

    private void RelocateEmpty(double[] sums, long[] counts)
    {
        var empty = new List<int>();
        for (var c = 0; c < _k; c++)
        {
            if (counts[c] == 0)
            {
                empty.Add(c);
            }
        }

        if (empty.Count == 0)
        {
            return;
        }

        // _upper holds the (squared, in plain Lloyd) distance to the assigned centre; farthest first, ties by index.
        var order = Enumerable.Range(0, _n).ToArray();
        var keys = order.Select(i => -_upper[i]).ToArray();
        Array.Sort(keys, order);
        var taken = 0;
        for (var e = 0; e < empty.Count; e++)
        {
            // Array.Sort is unstable; pick the smallest index among equal keys explicitly.
            var p = order[taken];
            var key = keys[taken];
            var pick = taken;
            for (var t = taken + 1; t < _n && keys[t] == key; t++)
            {
                if (order[t] < p)
                {
                    p = order[t];
                    pick = t;
                }
            }

            (order[pick], order[taken]) = (order[taken], order[pick]);
            (keys[pick], keys[taken]) = (keys[taken], keys[pick]);
            taken++;

            var c = empty[e];
            var old = _labels[p];
            var row = _x.RowReadOnly(p);
            if (counts[old] > 1)
            {
                for (var t = 0; t < _dim; t++)
                {
                    sums[(old * _dim) + t] -= row[t];
                }

                counts[old]--;
            }

            for (var t = 0; t < _dim; t++)
            {
                sums[(c * _dim) + t] = row[t];
            }

            counts[c] = 1;
        }
    }

    private void ComputeHalfGaps()
    {
        var dots = new float[_k * _k];
        DotKernel.Tile(_centers, _k, _centers, _k, _dim, dots, _k);
        for (var a = 0; a < _k; a++)
        {
            var best = float.PositiveInfinity;
            for (var b = 0; b < _k; b++)
            {
                if (b != a)
                {
                    best = Math.Min(best, Math.Max(0f, _centerNorms[a] + _centerNorms[b] - (2f * dots[(a * _k) + b])));
                }
            }

            _halfGap[a] = 0.5f * MathF.Sqrt(best);
        }
    }

    private sealed class Scratch(int dim, int k)
    {
        public CentroidSearch Search { get; } = new(dim, k);

        public int[] Best { get; } = new int[CentroidSearch.TileRows];

        public float[] BestD2 { get; } = new float[CentroidSearch.TileRows];

        public float[] SecondD2 { get; } = new float[CentroidSearch.TileRows];

        public int[] Pending { get; } = new int[CentroidSearch.TileRows];

        public float[] PendingNorms { get; } = new float[CentroidSearch.TileRows];

        public float[] Rows { get; } = new float[CentroidSearch.TileRows * dim];
    }
}
