using TopicKit.Numerics;

namespace TopicKit.Clustering;

/// <summary>
/// Nearest and second-nearest centroid of a tile of rows, from blocked dot products and squared norms
/// (||x||² + ||c||² − 2 x·c, clamped at 0). Ties go to the lower centroid index.
/// </summary>
internal sealed class CentroidSearch
{
    /// <summary>Rows per tile; a multiple of the kernel's four-row register block.</summary>
    public const int TileRows = 64;

    private readonly int _dim;
    private readonly int _centroidBlock;
    private readonly float[] _dots;

    public CentroidSearch(int dim, int k)
    {
        _dim = dim;

        // Keep one block of centroids around 256 KB so it stays cache-resident while a tile of rows streams past.
        _centroidBlock = Math.Min(k, Math.Max(2, (1 << 16) / Math.Max(dim, 1)) & ~1);
        if (_centroidBlock == 0)
        {
            _centroidBlock = 1;
        }

        _dots = new float[TileRows * _centroidBlock];
    }

    /// <summary>Scores <paramref name="count"/> contiguous rows against all centroids.</summary>
    /// <param name="rows">The rows, contiguous (count × dim).</param>
    /// <param name="count">Rows in the tile (≤ <see cref="TileRows"/>).</param>
    /// <param name="rowNorms">Squared norms of the rows.</param>
    /// <param name="centers">Centroids, k × dim.</param>
    /// <param name="centerNorms">Squared norms of the centroids.</param>
    /// <param name="best">Index of the nearest centroid per row.</param>
    /// <param name="bestD2">Squared distance to it.</param>
    /// <param name="secondD2">Squared distance to the second nearest (+inf when k = 1); may be empty to skip.</param>
    public void Nearest(
        ReadOnlySpan<float> rows,
        int count,
        ReadOnlySpan<float> rowNorms,
        ReadOnlySpan<float> centers,
        ReadOnlySpan<float> centerNorms,
        Span<int> best,
        Span<float> bestD2,
        Span<float> secondD2)
    {
        var k = centerNorms.Length;
        var wantSecond = !secondD2.IsEmpty;
        for (var r = 0; r < count; r++)
        {
            best[r] = 0;
            bestD2[r] = float.PositiveInfinity;
            if (wantSecond)
            {
                secondD2[r] = float.PositiveInfinity;
            }
        }

        for (var c0 = 0; c0 < k; c0 += _centroidBlock)
        {
            var cCount = Math.Min(_centroidBlock, k - c0);
            DotKernel.Tile(rows, count, centers.Slice(c0 * _dim, cCount * _dim), cCount, _dim, _dots, _centroidBlock);
            for (var r = 0; r < count; r++)
            {
                var xn = rowNorms[r];
                var dots = _dots.AsSpan(r * _centroidBlock, cCount);
                var b = best[r];
                var bd = bestD2[r];
                var sd = wantSecond ? secondD2[r] : 0f;
                for (var c = 0; c < cCount; c++)
                {
                    var d2 = Math.Max(0f, xn + centerNorms[c0 + c] - (2f * dots[c]));
                    if (d2 < bd)
                    {
                        sd = bd;
                        bd = d2;
                        b = c0 + c;
                    }
                    else if (d2 < sd)
                    {
                        sd = d2;
                    }
                }

                best[r] = b;
                bestD2[r] = bd;
                if (wantSecond)
                {
                    secondD2[r] = sd;
                }
            }
        }
    }
}
