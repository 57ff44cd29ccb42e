using TopicKit.Numerics;
using TopicKit.Tests.Neighbors;

namespace TopicKit.Tests.Numerics;

public sealed class DotKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 3, 8)]
    [InlineData(9, 7, 9)]
    [InlineData(4, 2, 17)]
    [InlineData(13, 11, 64)]
    [InlineData(3, 5, 3)]
    [InlineData(6, 19, 3)]
    [InlineData(5, 16, 10)]
    [InlineData(10, 27, 37)]
    [InlineData(8, 33, 23)]
    public void TileMatchesDoublePrecisionDots(int aRows, int bRows, int dim)
    {
        var a = ExactKnnTests.Random(aRows, dim, 21);
        var b = ExactKnnTests.Random(bRows, dim, 22);
        var stride = bRows + 3;
        var result = new float[(aRows * stride) + bRows];
        result.AsSpan().Fill(float.NaN);
        DotKernel.Tile(a.Data, aRows, b.Data, bRows, dim, result, stride);
        for (var i = 0; i < aRows; i++)
        {
            for (var j = 0; j < bRows; j++)
            {
                var expected = 0.0;
                for (var t = 0; t < dim; t++)
                {
                    expected += a[i, t] * (double)b[j, t];
                }

                Assert.Equal(expected, result[(i * stride) + j], 1e-5);
            }

            // Cells past the tile's columns are untouched.
            if (i < aRows - 1)
            {
                Assert.True(float.IsNaN(result[(i * stride) + bRows]));
            }
        }
    }
}
