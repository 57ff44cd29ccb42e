using System.Buffers.Binary;
using System.Text;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Numerics;

public sealed class NpyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Builds a .npy file byte by byte as numpy documents the format, independent of NpyFile.Write.
    private string Build(string name, int major, string header, byte[] payload)
    {
        var text = header + "\n";
        using var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        var bytes = (major == 3 ? Encoding.UTF8 : Encoding.ASCII).GetBytes(text);
        if (major == 1)
        {
            var len = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)bytes.Length);
            ms.Write(len);
        }
        else
        {
            var len = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)bytes.Length);
            ms.Write(len);
        }

        ms.Write(bytes);
        ms.Write(payload);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, ms.ToArray());
        return path;
    }

    private static byte[] Floats(params float[] v)
    {
        var b = new byte[v.Length * 4];
        for (var i = 0; i < v.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), v[i]);
        }

        return b;
    }

    private static byte[] Doubles(params double[] v)
    {
        var b = new byte[v.Length * 8];
        for (var i = 0; i < v.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(i * 8), v[i]);
        }

        return b;
    }

    [Fact]
    public void ReadsVersion1Float32TwoDimensional()
    {
        var path = Build("a.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Floats(1, 2, 3, 4, 5, 6));
        var m = NpyFile.Read(path);
        Assert.Equal(2, m.Rows);
        Assert.Equal(3, m.Columns);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, m.Data);
        Assert.Equal(6f, m[1, 2]);
    }

    [Fact]
    public void ReadsVersion2Float64AndVersion3OneDimensional()
    {
        var p2 = Build("b.npy", 2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", Doubles(0.5, -1.25, 1e10, 3));
        var m2 = NpyFile.Read(p2);
        Assert.Equal(new float[] { 0.5f, -1.25f, 1e10f, 3f }, m2.Data);

        var p3 = Build("c.npy", 3, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", Floats(7, 8, 9));
        var m3 = NpyFile.Read(p3);
        Assert.Equal((3, 1), (m3.Rows, m3.Columns));
        Assert.Equal(new float[] { 7, 8, 9 }, m3.Data);
    }

    [Fact]
    public void RejectsFortranOrderNamingFile()
    {
        var path = Build("f.npy", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1), }", Floats(1, 2));
        var ex = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));
        Assert.Contains("f.npy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Fortran", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<i8")]
    [InlineData(">f4")]
    [InlineData("<f2")]
    public void RejectsUnsupportedDtype(string descr)
    {
        var path = Build("d.npy", 1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1, 1), }", new byte[8]);
        var ex = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));
        Assert.Contains("d.npy", ex.Message, StringComparison.Ordinal);
        Assert.Contains(descr, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsTruncatedDataAndTrailingBytes()
    {
        var shortPath = Build("t.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", Floats(1, 2, 3));
        var ex = Assert.Throws<InvalidDataException>(() => NpyFile.Read(shortPath));
        Assert.Contains("t.npy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("32", ex.Message, StringComparison.Ordinal);

        var longPath = Build("l.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", Floats(1, 2, 3));
        Assert.Throws<InvalidDataException>(() => NpyFile.Read(longPath));
    }

    [Fact]
    public void RejectsNonNpyFilesAndThreeDimensions()
    {
        var text = Path.Combine(_dir, "x.npy");
        File.WriteAllText(text, "1,2,3\n");
        var ex = Assert.Throws<InvalidDataException>(() => NpyFile.Read(text));
        Assert.Contains("not a .npy file", ex.Message, StringComparison.Ordinal);

        var cube = Build("cube.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }", Floats(1));
        Assert.Throws<InvalidDataException>(() => NpyFile.Read(cube));
        Assert.Throws<FileNotFoundException>(() => NpyFile.Read(Path.Combine(_dir, "missing.npy")));
    }

    [Fact]
    public void WriteProducesAlignedVersion1HeaderAndRoundTrips()
    {
        var m = new Matrix([1.5f, -2f, float.MaxValue, 0f, 3.25f, 1e-30f], 3, 2);
        var path = Path.Combine(_dir, "w.npy");
        NpyFile.Write(path, m);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(1, bytes[6]);
        int headerLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLen) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLen);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", header, StringComparison.Ordinal);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(10 + headerLen + 24, bytes.Length);
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLen + 4)));

        var back = NpyFile.Read(path);
        Assert.Equal((3, 2), (back.Rows, back.Columns));
        Assert.Equal(m.Data, back.Data);
    }

    [Fact]
    public void ReadsSharedOracleShapes()
    {
        var moons = NpyFile.Read(SharedData.Path("oracles", "clustering", "moons2d.npy"));
        Assert.Equal((2200, 2), (moons.Rows, moons.Columns));
        var sphere = NpyFile.Read(SharedData.Path("oracles", "clustering", "sphere384.npy"));
        Assert.Equal((20000, 384), (sphere.Rows, sphere.Columns));
        sphere.EnsureFinite("sphere384");
    }
}
