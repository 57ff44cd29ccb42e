using TopicKit.Numerics;

namespace TopicKit.Neighbors;

/// <summary>
/// A static k-d tree over the rows of a matrix for exact Euclidean nearest-neighbour queries.
/// Coordinates are copied into tree order as <see cref="double"/> so every distance is computed the same way
/// (sequential double sums) and ties are broken by the original row index: results never depend on the tree shape.
/// </summary>
internal sealed class KdTree
{
    /// <summary>Default number of points per leaf.</summary>
    public const int DefaultLeafSize = 32;

    private KdTree(int count, int dimensions, int leafSize, double[] points, int[] order, int nodeCapacity)
    {
        Count = count;
        Dimensions = dimensions;
        LeafSize = leafSize;
        Points = points;
        Order = order;
        Position = new int[count];
        NodeStart = new int[nodeCapacity];
        NodeEnd = new int[nodeCapacity];
        NodeLeft = new int[nodeCapacity];
        NodeRight = new int[nodeCapacity];
        NodeMinIndex = new int[nodeCapacity];
        NodeLow = new double[nodeCapacity * dimensions];
        NodeHigh = new double[nodeCapacity * dimensions];
    }

    /// <summary>Number of indexed points.</summary>
    public int Count { get; }

    /// <summary>Number of coordinates per point.</summary>
    public int Dimensions { get; }

    /// <summary>Maximum number of points in a leaf.</summary>
    public int LeafSize { get; }

    /// <summary>Number of nodes; node 0 is the root and children always follow their parent.</summary>
    internal int NodeCount { get; private set; }

    /// <summary>Coordinates in tree order (Count x Dimensions).</summary>
    internal double[] Points { get; }

    /// <summary>Tree position to original row.</summary>
    internal int[] Order { get; }

    /// <summary>Original row to tree position.</summary>
    internal int[] Position { get; }

    internal int[] NodeStart { get; }

    internal int[] NodeEnd { get; }

    /// <summary>Left child, or -1 for a leaf.</summary>
    internal int[] NodeLeft { get; }

    internal int[] NodeRight { get; }

    /// <summary>Smallest original row index in the node: lets searches prune on index ties.</summary>
    internal int[] NodeMinIndex { get; }

    internal double[] NodeLow { get; }

    internal double[] NodeHigh { get; }

    /// <summary>Builds a tree over the rows of <paramref name="data"/> (which must be finite).</summary>
    /// <param name="data">Points, one per row.</param>
    /// <param name="leafSize">Maximum points per leaf (at least 1).</param>
    public static KdTree Build(Matrix data, int leafSize = DefaultLeafSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        var coords = new double[(long)data.Rows * data.Columns];
        var src = data.Data;
        for (var i = 0; i < coords.Length; i++)
        {
            coords[i] = src[i];
        }

        return Build(coords, data.Rows, data.Columns, leafSize);
    }

    /// <summary>Builds a tree over row-major double coordinates (copied; the array is not kept).</summary>
    internal static KdTree Build(double[] coords, int count, int dimensions, int leafSize = DefaultLeafSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(leafSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var perm = new int[count];
        for (var i = 0; i < count; i++)
        {
            perm[i] = i;
        }

        // Halving splits leave at least ceil(leafSize/2) points per leaf, which bounds the node count.
        var minLeaf = Math.Max(1, (leafSize + 1) / 2);
        var capacity = Math.Max(1, (2 * ((count / minLeaf) + 1)) + 1);
        var tree = new KdTree(count, dimensions, leafSize, new double[(long)count * dimensions], perm, capacity);
        if (count > 0)
        {
            tree.BuildNode(coords, 0, count);
        }

        for (var pos = 0; pos < count; pos++)
        {
            Array.Copy(coords, (long)perm[pos] * dimensions, tree.Points, (long)pos * dimensions, dimensions);
            tree.Position[perm[pos]] = pos;
        }

        return tree;
    }

    private int BuildNode(double[] coords, int start, int end)
    {
        var node = NodeCount++;
        var d = Dimensions;
        NodeStart[node] = start;
        NodeEnd[node] = end;
        var low = NodeLow.AsSpan(node * d, d);
        var high = NodeHigh.AsSpan(node * d, d);
        low.Fill(double.PositiveInfinity);
        high.Fill(double.NegativeInfinity);
        var minIndex = int.MaxValue;
        for (var i = start; i < end; i++)
        {
            var row = Order[i];
            minIndex = Math.Min(minIndex, row);
            var offset = (long)row * d;
            for (var j = 0; j < d; j++)
            {
                var v = coords[offset + j];
                if (v < low[j])
                {
                    low[j] = v;
                }

                if (v > high[j])
                {
                    high[j] = v;
                }
            }
        }

        NodeMinIndex[node] = minIndex;
        if (end - start <= LeafSize)
        {
            NodeLeft[node] = -1;
            NodeRight[node] = -1;
            return node;
        }

        var splitDim = 0;
        var widest = -1.0;
        for (var j = 0; j < d; j++)
        {
            var spread = high[j] - low[j];
            if (spread > widest)
            {
                widest = spread;
                splitDim = j;
            }
        }

        var mid = start + ((end - start) / 2);
        SelectNth(coords, start, end, mid, splitDim);
        NodeLeft[node] = BuildNode(coords, start, mid);
        NodeRight[node] = BuildNode(coords, mid, end);
        return node;
    }

    /// <summary>Partially orders Order[start..end) so that position <paramref name="nth"/> holds its sorted value.</summary>
    private void SelectNth(double[] coords, int start, int end, int nth, int dim)
    {
        var d = Dimensions;
        var lo = start;
        var hi = end - 1;
        var perm = Order;
        while (hi > lo)
        {
            var m = lo + ((hi - lo) / 2);
            var a = coords[((long)perm[lo] * d) + dim];
            var b = coords[((long)perm[m] * d) + dim];
            var c = coords[((long)perm[hi] * d) + dim];
            var pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
            var i = lo;
            var j = hi;
            while (i <= j)
            {
                while (coords[((long)perm[i] * d) + dim] < pivot)
                {
                    i++;
                }

                while (coords[((long)perm[j] * d) + dim] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (perm[i], perm[j]) = (perm[j], perm[i]);
                    i++;
                    j--;
                }
            }

            if (nth <= j)
            {
                hi = j;
            }
            else if (nth >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>
    /// Finds the <paramref name="k"/> nearest indexed points of <paramref name="point"/>, ordered by
    /// (distance, original row). Returns how many were found (fewer than k only when the tree is smaller).
    /// </summary>
    /// <param name="point">Query coordinates (length <see cref="Dimensions"/>).</param>
    /// <param name="k">Number of neighbours wanted.</param>
    /// <param name="indices">Receives original row indices (length at least k).</param>
    /// <param name="distances">Receives Euclidean distances (length at least k).</param>
    /// <param name="exclude">An original row to skip (e.g. the query itself), or -1.</param>
    public int Query(ReadOnlySpan<float> point, int k, Span<int> indices, Span<double> distances, int exclude = -1)
    {
        if (point.Length != Dimensions)
        {
            throw new ArgumentException($"Query has {point.Length} coordinates but the tree has {Dimensions}.", nameof(point));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (indices.Length < k || distances.Length < k)
        {
            throw new ArgumentException("Output spans are shorter than k.", nameof(indices));
        }

        Span<double> q = Dimensions <= 64 ? stackalloc double[Dimensions] : new double[Dimensions];
        for (var j = 0; j < Dimensions; j++)
        {
            q[j] = point[j];
        }

        var positions = new int[k];
        var found = Knn(q, k, exclude < 0 ? -1 : Position[exclude], positions, distances);
        for (var i = 0; i < found; i++)
        {
            indices[i] = Order[positions[i]];
            distances[i] = Math.Sqrt(distances[i]);
        }

        return found;
    }

    /// <summary>
    /// k nearest neighbours by (squared distance, original row). Writes tree positions and squared distances
    /// sorted ascending; <paramref name="excludePosition"/> (a tree position, or -1) is skipped.
    /// </summary>
    internal int Knn(ReadOnlySpan<double> q, int k, int excludePosition, Span<int> positions, Span<double> dist2)
    {
        if (k == 0 || Count == 0)
        {
            return 0;
        }

        var heap = new KnnHeap(positions[..k], dist2[..k], Order);
        KnnNode(0, q, excludePosition, ref heap);
        heap.SortAscending();
        return heap.Count;
    }

    private void KnnNode(int node, ReadOnlySpan<double> q, int exclude, ref KnnHeap heap)
    {
        if (heap.IsFull)
        {
            var lb = BoxDistance2(node, q);
            if (lb > heap.TopDistance || (lb == heap.TopDistance && NodeMinIndex[node] > heap.TopIndex))
            {
                return;
            }
        }

        var left = NodeLeft[node];
        if (left < 0)
        {
            var d = Dimensions;
            for (var pos = NodeStart[node]; pos < NodeEnd[node]; pos++)
            {
                if (pos == exclude)
                {
                    continue;
                }

                heap.Offer(pos, Distance2(Points.AsSpan(pos * d, d), q));
            }

            return;
        }

        var right = NodeRight[node];
        if (BoxDistance2(left, q) <= BoxDistance2(right, q))
        {
            KnnNode(left, q, exclude, ref heap);
            KnnNode(right, q, exclude, ref heap);
        }
        else
        {
            KnnNode(right, q, exclude, ref heap);
            KnnNode(left, q, exclude, ref heap);
        }
    }

    /// <summary>
    /// Squared distance from <paramref name="q"/> to the node's box, summed in the same sequential order as
    /// <see cref="Distance2"/> so that it never exceeds the distance to any point inside, even after rounding.
    /// </summary>
    internal double BoxDistance2(int node, ReadOnlySpan<double> q)
    {
        var d = Dimensions;
        var low = NodeLow.AsSpan(node * d, d);
        var high = NodeHigh.AsSpan(node * d, d);
        var sum = 0.0;
        for (var j = 0; j < d; j++)
        {
            var v = q[j];
            var gap = v < low[j] ? low[j] - v : v > high[j] ? v - high[j] : 0.0;
            sum += gap * gap;
        }

        return sum;
    }

    /// <summary>Squared gap between two node boxes, a lower bound of <see cref="Distance2"/> between their points.</summary>
    internal double BoxBoxDistance2(int a, int b)
    {
        var d = Dimensions;
        var lowA = NodeLow.AsSpan(a * d, d);
        var highA = NodeHigh.AsSpan(a * d, d);
        var lowB = NodeLow.AsSpan(b * d, d);
        var highB = NodeHigh.AsSpan(b * d, d);
        var sum = 0.0;
        for (var j = 0; j < d; j++)
        {
            var gap = lowB[j] > highA[j] ? lowB[j] - highA[j] : lowA[j] > highB[j] ? lowA[j] - highB[j] : 0.0;
            sum += gap * gap;
        }

        return sum;
    }

    /// <summary>Squared Euclidean distance by a sequential double sum (the one kernel all tree searches use).</summary>
    internal static double Distance2(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            var diff = a[j] - b[j];
            sum += diff * diff;
        }

        return sum;
    }

    /// <summary>A bounded max-heap of (squared distance, original row) keyed candidates.</summary>
    private ref struct KnnHeap
    {
        private readonly Span<int> positions;
        private readonly Span<double> dist2;
        private readonly int[] order;

        public KnnHeap(Span<int> positions, Span<double> dist2, int[] order)
        {
            this.positions = positions;
            this.dist2 = dist2;
            this.order = order;
            Count = 0;
        }

        public int Count { get; private set; }

        public readonly bool IsFull => Count == positions.Length;

        public readonly double TopDistance => dist2[0];

        public readonly int TopIndex => order[positions[0]];

        public void Offer(int pos, double d2)
        {
            if (!IsFull)
            {
                var i = Count++;
                positions[i] = pos;
                dist2[i] = d2;
                SiftUp(i);
                return;
            }

            if (d2 > dist2[0] || (d2 == dist2[0] && order[pos] >= order[positions[0]]))
            {
                return;
            }

            positions[0] = pos;
            dist2[0] = d2;
            SiftDown(0, Count);
        }

        public void SortAscending()
        {
            for (var end = Count - 1; end > 0; end--)
            {
                Swap(0, end);
                SiftDown(0, end);
            }
        }

        private readonly bool Greater(int a, int b) =>
            dist2[a] > dist2[b] || (dist2[a] == dist2[b] && order[positions[a]] > order[positions[b]]);

        private readonly void Swap(int a, int b)
        {
            (positions[a], positions[b]) = (positions[b], positions[a]);
            (dist2[a], dist2[b]) = (dist2[b], dist2[a]);
        }

        private readonly void SiftUp(int i)
        {
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (!Greater(i, parent))
                {
                    return;
                }

                Swap(i, parent);
                i = parent;
            }
        }

        private readonly void SiftDown(int i, int count)
        {
            while (true)
            {
                var l = (2 * i) + 1;
                if (l >= count)
                {
                    return;
                }

                var largest = l + 1 < count && Greater(l + 1, l) ? l + 1 : l;
                if (!Greater(largest, i))
                {
                    return;
                }

                Swap(i, largest);
                i = largest;
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="nodeMinimum"/> with the smallest of <paramref name="valueByPosition"/> (indexed by tree
    /// position) under each node; children are built after their parent, so a reverse sweep sees them first.
    /// </summary>
    internal void ComputeNodeMinimum(ReadOnlySpan<double> valueByPosition, Span<double> nodeMinimum)
    {
        for (var node = NodeCount - 1; node >= 0; node--)
        {
            var left = NodeLeft[node];
            if (left >= 0)
            {
                nodeMinimum[node] = Math.Min(nodeMinimum[left], nodeMinimum[NodeRight[node]]);
                continue;
            }

            var min = double.PositiveInfinity;
            for (var pos = NodeStart[node]; pos < NodeEnd[node]; pos++)
            {
                min = Math.Min(min, valueByPosition[pos]);
            }

            nodeMinimum[node] = min;
        }
    }
}
