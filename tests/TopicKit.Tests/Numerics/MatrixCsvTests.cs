using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Numerics;

public sealed class MatrixCsvTests
{
    private static Matrix Parse(string text) => MatrixCsv.Read(new StringReader(text), "mem.csv");

    [Fact]
    public void ReadsWithAndWithoutHeader()
    {
        var a = Parse("x,y\n1,2\n\n3.5,-4e2\n");
        Assert.Equal((2, 2), (a.Rows, a.Columns));
        Assert.Equal(new float[] { 1, 2, 3.5f, -400 }, a.Data);

        var b = Parse("1,2\n3,4");
        Assert.Equal((2, 2), (b.Rows, b.Columns));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, b.Data);

        var c = Parse("\"a\",\"b\"\n\"1\",nan\n-inf,INF\n");
        Assert.Equal(1f, c[0, 0]);
        Assert.True(float.IsNaN(c[0, 1]));
        Assert.Equal(float.NegativeInfinity, c[1, 0]);
        Assert.Equal(float.PositiveInfinity, c[1, 1]);
    }

    [Fact]
    public void ErrorsNameLineAndColumn()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Parse("a,b\n1,2\n3,oops\n"));
        Assert.Contains("mem.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3, column 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("oops", ex.Message, StringComparison.Ordinal);

        var ragged = Assert.Throws<InvalidDataException>(() => Parse("1,2\n3\n"));
        Assert.Contains("line 2", ragged.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Parse(string.Empty));
    }

    [Fact]
    public void ReadsSharedLabelFile()
    {
        var truth = MatrixCsv.Read(SharedData.Path("oracles", "clustering", "moons2d.truth.csv"));
        Assert.Equal((2200, 1), (truth.Rows, truth.Columns));
        Assert.Equal(1f, truth[0, 0]);
    }
}
