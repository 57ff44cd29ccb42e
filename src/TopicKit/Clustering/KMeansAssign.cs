using System.Numerics.Tensors;
using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>Nearest-centroid assignment of arbitrary rows (used by prediction and mini-batch steps).</summary>
internal static class KMeansAssign
{
    public static int[] Nearest(Matrix x, Matrix centroids, int maxDop)
    {
        var labels = new int[x.Rows];
        Nearest(x, centroids, RowOps.SquaredNorms(centroids), labels, new float[x.Rows], maxDop, CancellationToken.None);
        return labels;
    }

    public static void Nearest(
        Matrix x, Matrix centroids, float[] centroidNorms, int[] labels, float[] d2, int maxDop, CancellationToken cancellationToken)
    {
        var dim = x.Columns;
        var tiles = (x.Rows + CentroidSearch.TileRows - 1) / CentroidSearch.TileRows;
        BlockParallel.For(
            tiles,
            (long)x.Rows * centroids.Rows * dim < (1L << 20) ? 1 : maxDop,
            () => (Search: new CentroidSearch(dim, centroids.Rows), Norms: new float[CentroidSearch.TileRows]),
            (tile, s) =>
            {
                var r0 = tile * CentroidSearch.TileRows;
                var rc = Math.Min(CentroidSearch.TileRows, x.Rows - r0);
                for (var r = 0; r < rc; r++)
                {
                    var row = x.RowReadOnly(r0 + r);
                    s.Norms[r] = TensorPrimitives.Dot(row, row);
                }

                s.Search.Nearest(
                    x.Data.AsSpan(r0 * dim, rc * dim),
                    rc,
                    s.Norms.AsSpan(0, rc),
                    centroids.Data,
                    centroidNorms,
                    labels.AsSpan(r0, rc),
                    d2.AsSpan(r0, rc),
                    Span<float>.Empty);
            },
            cancellationToken);
    }
}
