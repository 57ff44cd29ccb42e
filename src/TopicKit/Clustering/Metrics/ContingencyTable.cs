namespace TopicKit.Clustering.Metrics;

/// <summary>
/// The sparse contingency table of two labellings of the same points: how many points carry each
/// (class, cluster) pair. Labels are arbitrary integers (noise label -1 is simply one more label); they are
/// mapped to dense indices in ascending label order.
/// </summary>
public sealed class ContingencyTable
{
    private ContingencyTable(
        int[] classLabels, int[] clusterLabels, long[] classSizes, long[] clusterSizes, int[] cellClass, int[] cellCluster, long[] cellCount, long n)
    {
        ClassLabels = classLabels;
        ClusterLabels = clusterLabels;
        ClassSizes = classSizes;
        ClusterSizes = clusterSizes;
        CellClass = cellClass;
        CellCluster = cellCluster;
        CellCount = cellCount;
        N = n;
    }

    /// <summary>Distinct labels of the first (reference, "class") labelling, ascending.</summary>
    public int[] ClassLabels { get; }

    /// <summary>Distinct labels of the second ("cluster") labelling, ascending.</summary>
    public int[] ClusterLabels { get; }

    /// <summary>Points per class, aligned with <see cref="ClassLabels"/>.</summary>
    public long[] ClassSizes { get; }

    /// <summary>Points per cluster, aligned with <see cref="ClusterLabels"/>.</summary>
    public long[] ClusterSizes { get; }

    /// <summary>Class index (into <see cref="ClassLabels"/>) of every non-zero cell.</summary>
    public int[] CellClass { get; }

    /// <summary>Cluster index (into <see cref="ClusterLabels"/>) of every non-zero cell.</summary>
    public int[] CellCluster { get; }

    /// <summary>Point count of every non-zero cell.</summary>
    public long[] CellCount { get; }

    /// <summary>Number of points.</summary>
    public long N { get; }

    /// <summary>Builds the table.</summary>
    /// <param name="classes">Reference labels.</param>
    /// <param name="clusters">Predicted labels, same length.</param>
    /// <exception cref="ArgumentException">When the lengths differ.</exception>
    public static ContingencyTable Create(ReadOnlySpan<int> classes, ReadOnlySpan<int> clusters)
    {
        if (classes.Length != clusters.Length)
        {
            throw new ArgumentException(
                $"The labellings have different lengths ({classes.Length} and {clusters.Length}); they must label the same points.", nameof(clusters));
        }

        var classLabels = Distinct(classes);
        var clusterLabels = Distinct(clusters);
        var keys = new long[classes.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var a = Array.BinarySearch(classLabels, classes[i]);
            var b = Array.BinarySearch(clusterLabels, clusters[i]);
            keys[i] = ((long)a << 32) | (uint)b;
        }

        Array.Sort(keys);
        var cellClass = new List<int>();
        var cellCluster = new List<int>();
        var cellCount = new List<long>();
        var classSizes = new long[classLabels.Length];
        var clusterSizes = new long[clusterLabels.Length];
        for (var i = 0; i < keys.Length;)
        {
            var j = i;
            while (j < keys.Length && keys[j] == keys[i])
            {
                j++;
            }

            var a = (int)(keys[i] >> 32);
            var b = (int)(keys[i] & 0xFFFFFFFF);
            cellClass.Add(a);
            cellCluster.Add(b);
            cellCount.Add(j - i);
            classSizes[a] += j - i;
            clusterSizes[b] += j - i;
            i = j;
        }

        return new ContingencyTable(
            classLabels, clusterLabels, classSizes, clusterSizes, [.. cellClass], [.. cellCluster], [.. cellCount], classes.Length);
    }

    /// <summary>The dense table, row-major: <c>[classIndex * ClusterLabels.Length + clusterIndex]</c>.</summary>
    public long[] ToDense()
    {
        var dense = new long[(long)ClassLabels.Length * ClusterLabels.Length];
        for (var c = 0; c < CellCount.Length; c++)
        {
            dense[((long)CellClass[c] * ClusterLabels.Length) + CellCluster[c]] = CellCount[c];
        }

        return dense;
    }

    private static int[] Distinct(ReadOnlySpan<int> labels)
    {
        var set = new HashSet<int>();
        foreach (var l in labels)
        {
            set.Add(l);
        }

        var result = set.ToArray();
        Array.Sort(result);
        return result;
    }
}
