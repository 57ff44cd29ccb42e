using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace TopicKit.Numerics;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0) holding a float32 or float64
/// array in C order, so embeddings and coordinates can be exchanged with Python tools without conversion.
/// </summary>
/// <remarks>
/// A 1-D array of length N is read as an N x 1 matrix; a 2-D array as rows x columns. Only little-endian
/// (or byte-order-free) float32/float64 data is accepted; anything else fails with an
/// <see cref="InvalidDataException"/> that names the file and says what was found.
/// </remarks>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // numpy pads the whole preamble to a multiple of 64 bytes so the data is aligned for memory mapping.
    private const int HeaderAlignment = 64;

    /// <summary>Reads a float32 or float64 array of one or two dimensions as a float matrix.</summary>
    /// <param name="path">The .npy file.</param>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="InvalidDataException">When the file is not a supported .npy array or is truncated.</exception>
    public static Matrix Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found.", path);
        }

        MatrixFiles.RequireRegularFile(path);

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads a .npy array from a stream positioned at its first byte.</summary>
    /// <param name="stream">The stream; it is read to the end of the array data.</param>
    /// <param name="name">How the source is named in error messages (e.g. the file path).</param>
    /// <exception cref="InvalidDataException">When the stream is not a supported .npy array or is truncated.</exception>
    public static Matrix Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = ReadHeader(stream, name);
        var (rows, columns) = header.Shape;
        var count = (long)rows * columns;
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"{name}: array of shape {header.ShapeText} holds {count} values, more than one matrix can.");
        }

        var expectedBytes = count * header.ItemSize;
        if (stream.CanSeek)
        {
            var available = stream.Length - stream.Position;
            if (available < expectedBytes)
            {
                throw Truncated(name, header, expectedBytes, available);
            }

            if (available > expectedBytes)
            {
                throw new InvalidDataException(
                    $"{name}: header shape {header.ShapeText} ({header.Descr}) needs {expectedBytes} data bytes but the file holds {available}; the file is not a single C-order array.");
            }
        }

        var data = new float[count];
        if (header.ItemSize == 4)
        {
            ReadFully(stream, MemoryMarshal.AsBytes(data.AsSpan()), name, header, expectedBytes);
            if (!BitConverter.IsLittleEndian)
            {
                SwapInPlace(data);
            }
        }
        else
        {
            ReadDoubles(stream, data, name, header, expectedBytes);
        }

        return new Matrix(data, rows, columns);
    }

    /// <summary>Writes a matrix as a little-endian float32 2-D array in C order (format version 1.0, or 2.0 when the header needs it).</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="matrix">The values to write.</param>
    public static void Write(string path, Matrix matrix)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(matrix);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream, matrix);
    }

    /// <summary>Writes a matrix as a .npy float32 array to a stream.</summary>
    public static void Write(Stream stream, Matrix matrix)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        var dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({matrix.Rows}, {matrix.Columns}), }}");
        var v1 = Magic.Length + 2 + 2 + dict.Length + 1 <= ushort.MaxValue;
        var prefix = Magic.Length + 2 + (v1 ? 2 : 4);
        var padded = dict.Length + 1;
        padded += (HeaderAlignment - ((prefix + padded) % HeaderAlignment)) % HeaderAlignment;
        var headerText = dict.PadRight(padded - 1) + "\n";

        Span<byte> pre = stackalloc byte[12];
        Magic.CopyTo(pre);
        pre[6] = v1 ? (byte)1 : (byte)2;
        pre[7] = 0;
        if (v1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(pre[8..], (ushort)headerText.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pre[8..], (uint)headerText.Length);
        }

        stream.Write(pre[..prefix]);
        stream.Write(Encoding.ASCII.GetBytes(headerText));
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(matrix.Data.AsSpan()));
        }
        else
        {
            var copy = (float[])matrix.Data.Clone();
            SwapInPlace(copy);
            stream.Write(MemoryMarshal.AsBytes(copy.AsSpan()));
        }
    }

    private static NpyHeader ReadHeader(Stream stream, string name)
    {
        Span<byte> pre = stackalloc byte[8];
        if (ReadAtMost(stream, pre) < 8 || !pre[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name}: not a .npy file (missing the \\x93NUMPY magic); save arrays with numpy.save.");
        }

        int major = pre[6];
        int headerLength;
        Span<byte> len = stackalloc byte[4];
        switch (major)
        {
            case 1:
                ReadFullyHeader(stream, len[..2], name);
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
                break;
            case 2:
            case 3:
                ReadFullyHeader(stream, len, name);
                var raw = BinaryPrimitives.ReadUInt32LittleEndian(len);
                if (raw > 1 << 24)
                {
                    throw new InvalidDataException($"{name}: .npy header claims {raw} bytes; the file is corrupt.");
                }

                headerLength = (int)raw;
                break;
            default:
                throw new InvalidDataException($"{name}: .npy format version {major}.{pre[7]} is not supported (1.0, 2.0 and 3.0 are).");
        }

        var headerBytes = new byte[headerLength];
        ReadFullyHeader(stream, headerBytes, name);
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        return NpyHeader.Parse(text, name);
    }

    private static void ReadDoubles(Stream stream, float[] data, string name, NpyHeader header, long expectedBytes)
    {
        var buffer = new double[Math.Min(data.Length, 1 << 15)];
        var done = 0;
        while (done < data.Length)
        {
            var n = Math.Min(buffer.Length, data.Length - done);
            var chunk = buffer.AsSpan(0, n);
            var got = ReadAtMost(stream, MemoryMarshal.AsBytes(chunk));
            if (got < n * sizeof(double))
            {
                throw Truncated(name, header, expectedBytes, ((long)done * sizeof(double)) + got);
            }

            for (var i = 0; i < n; i++)
            {
                var v = BitConverter.IsLittleEndian
                    ? chunk[i]
                    : BitConverter.Int64BitsToDouble(BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits(chunk[i])));
                data[done + i] = (float)v;
            }

            done += n;
        }
    }

    private static void ReadFully(Stream stream, Span<byte> target, string name, NpyHeader header, long expectedBytes)
    {
        var got = ReadAtMost(stream, target);
        if (got < target.Length)
        {
            throw Truncated(name, header, expectedBytes, got);
        }
    }

    private static void ReadFullyHeader(Stream stream, Span<byte> target, string name)
    {
        if (ReadAtMost(stream, target) < target.Length)
        {
            throw new InvalidDataException($"{name}: the file ends inside the .npy header; it is truncated.");
        }
    }

    private static int ReadAtMost(Stream stream, Span<byte> target)
    {
        var total = 0;
        while (total < target.Length)
        {
            var n = stream.Read(target[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private static InvalidDataException Truncated(string name, NpyHeader header, long expected, long available) =>
        new($"{name}: header shape {header.ShapeText} ({header.Descr}) needs {expected} data bytes but only {available} are present; the file is truncated.");

    private static void SwapInPlace(float[] data)
    {
        var ints = MemoryMarshal.Cast<float, int>(data.AsSpan());
        BinaryPrimitives.ReverseEndianness(ints, ints);
    }
}
