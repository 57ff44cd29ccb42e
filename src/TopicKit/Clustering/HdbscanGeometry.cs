using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>
/// The fitted points in search form (double, unit rows for cosine), their index (k-d tree or none for the dense
/// path) and the metric conversions: internal values are squared Euclidean distances, reported ones are Euclidean
/// distances or cosine distances (1 - cos = squared chord / 2).
/// </summary>
internal sealed class HdbscanGeometry
{
    private readonly double[] points;
    private readonly KdTree? tree;
    private double[] nodeMinCore2 = [];
    private double[] core2ByPosition = [];

    public HdbscanGeometry(double[] points, int count, int dimensions, KdTree? tree, DistanceMetric metric)
    {
        this.points = points;
        this.tree = tree;
        Count = count;
        Dimensions = dimensions;
        Metric = metric;
    }

    public int Count { get; }

    public int Dimensions { get; }

    public DistanceMetric Metric { get; }

    /// <summary>Copies the data as doubles; under cosine every row is scaled to unit length.</summary>
    public static double[] Prepare(Matrix data, DistanceMetric metric)
    {
        var d = data.Columns;
        var result = new double[(long)data.Rows * d];
        for (var i = 0; i < data.Rows; i++)
        {
            PrepareRow(data.RowReadOnly(i), result.AsSpan(i * d, d), metric, "HDBSCAN input", i);
        }

        return result;
    }

    /// <summary>Converts an internal squared Euclidean distance to the reported metric distance.</summary>
    public static Func<double, double> ToDistance(DistanceMetric metric) =>
        metric == DistanceMetric.Cosine ? static w2 => w2 / 2 : Math.Sqrt;

    /// <summary>Remembers the fitted core distances so that mutual-reachability searches can prune on them.</summary>
    public void AttachCoreDistances(double[] core2ByRow)
    {
        if (tree is null)
        {
            core2ByPosition = core2ByRow;
            return;
        }

        core2ByPosition = new double[Count];
        for (var pos = 0; pos < Count; pos++)
        {
            core2ByPosition[pos] = core2ByRow[tree.Order[pos]];
        }

        nodeMinCore2 = new double[tree.NodeCount];
        tree.ComputeNodeMinimum(core2ByPosition, nodeMinCore2);
    }

    /// <summary>
    /// For a new point: its squared core distance (to its k-th nearest fitted point, k = MinSamples - 1, i.e.
    /// counting itself as the fit does) and the fitted row nearest to it in mutual reachability, ties by row.
    /// </summary>
    public (double Core2, int Row, double Weight2) NearestByReachability(ReadOnlySpan<double> q, int k)
    {
        var core = 0.0;
        if (k > 0)
        {
            if (tree is not null)
            {
                Span<int> positions = k <= 256 ? stackalloc int[k] : new int[k];
                Span<double> dist2 = k <= 256 ? stackalloc double[k] : new double[k];
                tree.Knn(q, k, -1, positions, dist2);
                core = dist2[k - 1];
            }
            else
            {
                core = BruteKth(q, k);
            }
        }

        if (tree is null)
        {
            var bestRow = -1;
            var bestW = double.PositiveInfinity;
            for (var j = 0; j < Count; j++)
            {
                var w = Math.Max(Math.Max(core, core2ByPosition[j]), HdbscanPrim.Distance2(q, points.AsSpan(j * Dimensions, Dimensions)));
                if (w < bestW)
                {
                    bestW = w;
                    bestRow = j;
                }
            }

            return (core, bestRow, bestW);
        }

        var state = new Nearest { Core2 = core, BestW = double.PositiveInfinity, BestRow = int.MaxValue };
        Search(0, q, ref state);
        return (core, state.BestRow, state.BestW);
    }

    /// <summary>Prepares one query row like the fitted data (cosine: unit length).</summary>
    public double[] PrepareQuery(ReadOnlySpan<float> row, int rowIndex)
    {
        if (row.Length != Dimensions)
        {
            throw new ArgumentException($"New points have {row.Length} columns but the model was fitted on {Dimensions}.");
        }

        var q = new double[Dimensions];
        PrepareRow(row, q, Metric, "HDBSCAN new points", rowIndex);
        return q;
    }

    private static void PrepareRow(ReadOnlySpan<float> src, Span<double> dst, DistanceMetric metric, string what, int rowIndex)
    {
        var norm2 = 0.0;
        for (var j = 0; j < src.Length; j++)
        {
            var v = (double)src[j];
            if (!double.IsFinite(v))
            {
                throw new InvalidDataException($"{what}: row {rowIndex}, column {j} holds {src[j]}; remove or impute non-finite values.");
            }

            dst[j] = v;
            norm2 += v * v;
        }

        if (metric != DistanceMetric.Cosine)
        {
            return;
        }

        if (norm2 == 0)
        {
            throw new InvalidDataException($"{what}: row {rowIndex} is all zeros, so its cosine distance is undefined; drop it or use the Euclidean metric.");
        }

        var scale = 1.0 / Math.Sqrt(norm2);
        for (var j = 0; j < dst.Length; j++)
        {
            dst[j] *= scale;
        }
    }

    private double BruteKth(ReadOnlySpan<double> q, int k)
    {
        var all = new double[Count];
        for (var j = 0; j < Count; j++)
        {
            all[j] = HdbscanPrim.Distance2(q, points.AsSpan(j * Dimensions, Dimensions));
        }

        Array.Sort(all);
        return all[k - 1];
    }

    private void Search(int node, ReadOnlySpan<double> q, ref Nearest s)
    {
        var t = tree!;
        var left = t.NodeLeft[node];
        if (left < 0)
        {
            var d = Dimensions;
            for (var pos = t.NodeStart[node]; pos < t.NodeEnd[node]; pos++)
            {
                var w = Math.Max(s.Core2, core2ByPosition[pos]);
                if (w > s.BestW)
                {
                    continue;
                }

                w = Math.Max(w, KdTree.Distance2(t.Points.AsSpan(pos * d, d), q));
                var row = t.Order[pos];
                if (w < s.BestW || (w == s.BestW && row < s.BestRow))
                {
                    s.BestW = w;
                    s.BestRow = row;
                }
            }

            return;
        }

        var right = t.NodeRight[node];
        var lbLeft = LowerBound(left, q, s.Core2);
        var lbRight = LowerBound(right, q, s.Core2);
        var (first, lbFirst, second, lbSecond) = lbLeft <= lbRight ? (left, lbLeft, right, lbRight) : (right, lbRight, left, lbLeft);
        if (!Prunable(first, lbFirst, ref s))
        {
            Search(first, q, ref s);
        }

        if (!Prunable(second, lbSecond, ref s))
        {
            Search(second, q, ref s);
        }
    }

    private double LowerBound(int node, ReadOnlySpan<double> q, double core2) =>
        Math.Max(Math.Max(core2, nodeMinCore2[node]), tree!.BoxDistance2(node, q));

    private bool Prunable(int node, double lowerBound, ref Nearest s) =>
        lowerBound > s.BestW || (lowerBound == s.BestW && tree!.NodeMinIndex[node] > s.BestRow);

    private struct Nearest
    {
        public double Core2;
        public double BestW;
        public int BestRow;
    }
}
