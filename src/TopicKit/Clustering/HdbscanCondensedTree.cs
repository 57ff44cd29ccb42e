using System.Globalization;

namespace TopicKit.Clustering;

/// <summary>
/// One row of the condensed tree in the Python hdbscan library's layout: a child (a point 0..N-1 or a cluster
/// N + id) leaves or is born from <paramref name="Parent"/> at density <paramref name="LambdaValue"/> (1 / distance).
/// </summary>
/// <param name="Parent">Parent cluster id (the root is N).</param>
/// <param name="Child">A point index (&lt; N) or a cluster id (&gt;= N).</param>
/// <param name="LambdaValue">1 / distance at which the child leaves or splits off; +infinity for zero distance.</param>
/// <param name="ChildSize">1 for a point, else the number of points of the child cluster.</param>
public readonly record struct CondensedTreeRow(int Parent, int Child, double LambdaValue, int ChildSize);

/// <summary>The condensed cluster tree of an HDBSCAN fit (R dbscan semantics, Python hdbscan row layout).</summary>
public sealed class HdbscanCondensedTree
{
    private readonly CondensedTreeRow[] rows;

    internal HdbscanCondensedTree(HdbscanHierarchy h)
    {
        var n = h.PointCluster.Length;
        PointCount = n;
        var list = new List<CondensedTreeRow>(n + (2 * h.ClusterCount));
        var byCluster = new List<int>[h.ClusterCount];
        for (var c = 0; c < h.ClusterCount; c++)
        {
            byCluster[c] = [];
        }

        for (var p = 0; p < n; p++)
        {
            byCluster[h.PointCluster[p]].Add(p);
        }

        for (var c = 0; c < h.ClusterCount; c++)
        {
            if (!h.IsLeaf(c))
            {
                for (var child = h.FirstChild[c]; child <= h.FirstChild[c] + 1; child++)
                {
                    list.Add(new CondensedTreeRow(n + c, n + child, ToLambda(h.Birth[child]), h.Size[child]));
                }
            }

            var points = byCluster[c];
            points.Sort((a, b) =>
            {
                var cmp = h.PointEps[b].CompareTo(h.PointEps[a]);
                return cmp != 0 ? cmp : a.CompareTo(b);
            });
            foreach (var p in points)
            {
                list.Add(new CondensedTreeRow(n + c, p, ToLambda(h.PointEps[p]), 1));
            }
        }

        rows = [.. list];
    }

    /// <summary>Number of data points (so the root cluster id is <see cref="PointCount"/>).</summary>
    public int PointCount { get; }

    /// <summary>Id of the root cluster (= <see cref="PointCount"/>).</summary>
    public int RootId => PointCount;

    /// <summary>All rows: per cluster, its two child clusters then its points by increasing lambda.</summary>
    public IReadOnlyList<CondensedTreeRow> Rows => rows;

    /// <summary>Writes <c>parent,child,lambda_val,child_size</c> CSV (invariant culture, round-trip doubles).</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("parent,child,lambda_val,child_size");
        foreach (var row in rows)
        {
            writer.Write(row.Parent.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(row.Child.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(double.IsPositiveInfinity(row.LambdaValue) ? "inf" : row.LambdaValue.ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine(row.ChildSize.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The CSV of <see cref="WriteCsv"/> as a string.</summary>
    public string ToCsv()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer);
        return writer.ToString();
    }

    private static double ToLambda(double eps) => eps > 0 ? 1.0 / eps : double.PositiveInfinity;
}
