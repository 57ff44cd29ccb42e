using System.Numerics;
using System.Runtime.Intrinsics;

namespace TopicKit.Numerics;

/// <summary>
/// Rows packed into panels of <see cref="Width"/> rows, coordinate-major inside a panel:
/// <c>Data[(row / 16) * dim * 16 + t * 16 + row % 16] = x[row, t]</c>. Rows past <see cref="Rows"/> up to
/// <see cref="PaddedRows"/> are zero.
/// </summary>
/// <remarks>
/// One vector load then covers one coordinate of sixteen rows, which is what an outer-product (GEMM-style) kernel
/// needs: the accumulators hold finished dot products, so no horizontal sums are paid per pair, and the same packed
/// copy also serves the broadcast operand.
/// </remarks>
internal sealed class PackedPanels
{
    public const int Width = 16;

    // The micro-kernel spans two panels, so padding to two panels keeps it free of edge cases.
    public const int ColumnStep = 2 * Width;

    /// <summary>Packs the rows of <paramref name="x"/>, each multiplied by <paramref name="rowScale"/>[row] when given.</summary>
    public PackedPanels(Matrix x, ReadOnlySpan<float> rowScale = default)
    {
        Rows = x.Rows;
        Dim = x.Columns;
        PaddedRows = (Rows + ColumnStep - 1) / ColumnStep * ColumnStep;
        Data = new float[(long)PaddedRows * Dim];
        var src = x.Data;
        for (var i = 0; i < Rows; i++)
        {
            var panel = (long)(i / Width) * Dim * Width;
            var lane = i % Width;
            var row = (long)i * Dim;
            var scale = rowScale.IsEmpty ? 1f : rowScale[i];
            for (var t = 0; t < Dim; t++)
            {
                Data[panel + ((long)t * Width) + lane] = src[row + t] * scale;
            }
        }
    }

    public int Rows { get; }

    public int Dim { get; }

    public int PaddedRows { get; }

    public float[] Data { get; }

    /// <summary>Offset of row <paramref name="row"/>'s first coordinate (its later coordinates follow every <see cref="Width"/> floats).</summary>
    public long Offset(int row) => ((long)(row / Width) * Dim * Width) + (row % Width);
}

/// <summary>
/// Finds, for a block of eight rows of a <see cref="PackedPanels"/> against 32 rows of another (or the same), every
/// pair whose dot product is at least a bound, straight from the accumulators: no tile of dot products is stored.
/// </summary>
/// <remarks>
/// The 8 x 32 micro-kernel keeps sixteen 512-bit accumulators (or sixteen 256-bit ones over 8 x 16 on AVX2 machines)
/// in registers; each coordinate step is two vector loads, eight broadcasts and sixteen FMAs, so it is bound by the
/// FMA units rather than by memory. The summation order of a pair depends only on the dimension, never on the
/// blocking or the thread, so results are identical at any degree of parallelism.
/// </remarks>
internal static class PanelDotKernel
{
    /// <summary>The kernels; <see cref="Auto"/> picks the widest the hardware accelerates.</summary>
    public enum Variant
    {
        Auto,
        Vector512,
        Vector256,
        Scalar,
    }

    public const int RowStep = 8;

    /// <summary>Partial sums one Vector512 micro-tile keeps between coordinate chunks.</summary>
    public const int PartialFloats = RowStep * PackedPanels.ColumnStep;

    /// <summary>Coordinates per chunk of the Vector512 kernel: two column panels of it take 16 KB, half of L1.</summary>
    public const int ChunkCoordinates = 128;

    public static Variant Resolve(Variant variant) => variant switch
    {
        Variant.Auto when Vector512.IsHardwareAccelerated => Variant.Vector512,
        Variant.Auto when Vector256.IsHardwareAccelerated => Variant.Vector256,
        Variant.Auto => Variant.Scalar,
        _ => variant,
    };

    /// <summary>
    /// Scans rows <paramref name="a0"/>..a0+7 of <paramref name="a"/> against rows <paramref name="b0"/>..b0+31 of
    /// <paramref name="b"/> (b0 a multiple of 32) and passes every pair with dot ≥ <paramref name="bound"/> to
    /// <paramref name="scratch"/>, in row-major order. The caller filters padding rows and unwanted pairs.
    /// </summary>
    public static unsafe void Scan(PackedPanels a, int a0, PackedPanels b, int b0, float bound, Variant variant, ref PairScratch scratch) =>
        Scan(a, a0, b, b0, bound, variant, ref scratch, 0, a.Dim, default);

    /// <summary>
    /// As <see cref="Scan(PackedPanels, int, PackedPanels, int, float, Variant, ref PairScratch)"/> over coordinates
    /// <paramref name="from"/>..from+count-1 only: the Vector512 kernel then starts from the partial sums in
    /// <paramref name="partial"/> (8 x 32 floats) unless <paramref name="from"/> is 0, and stores them back there
    /// unless the chunk ends the dimension, when it compares them with the bound instead. Chunking the coordinates
    /// keeps the column panels of one chunk in L1 while many row blocks reuse them. Other kernels take whole rows only.
    /// </summary>
    public static unsafe void Scan(
        PackedPanels a, int a0, PackedPanels b, int b0, float bound, Variant variant, ref PairScratch scratch, int from, int count, Span<float> partial)
    {
        fixed (float* pa = a.Data)
        fixed (float* pb = b.Data)
        fixed (float* pp = partial)
        {
            var ap = pa + a.Offset(a0);
            var bp = pb + b.Offset(b0);
            switch (variant)
            {
                case Variant.Vector512:
                    var o = (long)from * PackedPanels.Width;
                    Scan512(ap + o, bp + o, bp + o + ((long)a.Dim * PackedPanels.Width), count, a0, b0, bound, ref scratch, from == 0 ? null : pp, from + count >= a.Dim ? null : pp);
                    break;
                case Variant.Vector256:
                    Scan256(ap, bp, a.Dim, a0, b0, bound, ref scratch);
                    Scan256(ap, bp + ((long)a.Dim * PackedPanels.Width), a.Dim, a0, b0 + PackedPanels.Width, bound, ref scratch);
                    break;
                default:
                    ScanScalar(ap, bp, a.Dim, a0, b0, bound, ref scratch);
                    break;
            }
        }
    }

    private static unsafe void Scan512(
        float* a, float* b0, float* b1, int dim, int row0, int col0, float bound, ref PairScratch sink, float* load, float* store)
    {
        var c00 = Start(load, 0);
        var c01 = Start(load, 1);
        var c10 = Start(load, 2);
        var c11 = Start(load, 3);
        var c20 = Start(load, 4);
        var c21 = Start(load, 5);
        var c30 = Start(load, 6);
        var c31 = Start(load, 7);
        var c40 = Start(load, 8);
        var c41 = Start(load, 9);
        var c50 = Start(load, 10);
        var c51 = Start(load, 11);
        var c60 = Start(load, 12);
        var c61 = Start(load, 13);
        var c70 = Start(load, 14);
        var c71 = Start(load, 15);
        for (var t = 0; t < dim; t++)
        {
            var o = (long)t * PackedPanels.Width;
            var v0 = Vector512.Load(b0 + o);
            var v1 = Vector512.Load(b1 + o);
            var ar = a + o;
            var x = Vector512.Create(ar[0]);
            c00 = Vector512.MultiplyAddEstimate(x, v0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, v1, c01);
            x = Vector512.Create(ar[1]);
            c10 = Vector512.MultiplyAddEstimate(x, v0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, v1, c11);
            x = Vector512.Create(ar[2]);
            c20 = Vector512.MultiplyAddEstimate(x, v0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, v1, c21);
            x = Vector512.Create(ar[3]);
            c30 = Vector512.MultiplyAddEstimate(x, v0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, v1, c31);
            x = Vector512.Create(ar[4]);
            c40 = Vector512.MultiplyAddEstimate(x, v0, c40);
            c41 = Vector512.MultiplyAddEstimate(x, v1, c41);
            x = Vector512.Create(ar[5]);
            c50 = Vector512.MultiplyAddEstimate(x, v0, c50);
            c51 = Vector512.MultiplyAddEstimate(x, v1, c51);
            x = Vector512.Create(ar[6]);
            c60 = Vector512.MultiplyAddEstimate(x, v0, c60);
            c61 = Vector512.MultiplyAddEstimate(x, v1, c61);
            x = Vector512.Create(ar[7]);
            c70 = Vector512.MultiplyAddEstimate(x, v0, c70);
            c71 = Vector512.MultiplyAddEstimate(x, v1, c71);
        }

        if (store is not null)
        {
            c00.Store(store);
            c01.Store(store + 16);
            c10.Store(store + 32);
            c11.Store(store + 48);
            c20.Store(store + 64);
            c21.Store(store + 80);
            c30.Store(store + 96);
            c31.Store(store + 112);
            c40.Store(store + 128);
            c41.Store(store + 144);
            c50.Store(store + 160);
            c51.Store(store + 176);
            c60.Store(store + 192);
            c61.Store(store + 208);
            c70.Store(store + 224);
            c71.Store(store + 240);
            return;
        }

        var limit = Vector512.Create(bound);
        Emit512(c00, c01, limit, row0, col0, ref sink);
        Emit512(c10, c11, limit, row0 + 1, col0, ref sink);
        Emit512(c20, c21, limit, row0 + 2, col0, ref sink);
        Emit512(c30, c31, limit, row0 + 3, col0, ref sink);
        Emit512(c40, c41, limit, row0 + 4, col0, ref sink);
        Emit512(c50, c51, limit, row0 + 5, col0, ref sink);
        Emit512(c60, c61, limit, row0 + 6, col0, ref sink);
        Emit512(c70, c71, limit, row0 + 7, col0, ref sink);
    }

    private static unsafe Vector512<float> Start(float* load, int vector) =>
        load is null ? Vector512<float>.Zero : Vector512.Load(load + (vector * 16));

    private static void Emit512(Vector512<float> lo, Vector512<float> hi, Vector512<float> limit, int row, int col0, ref PairScratch sink)
    {
        var mask = Vector512.GreaterThanOrEqual(lo, limit).ExtractMostSignificantBits()
            | (Vector512.GreaterThanOrEqual(hi, limit).ExtractMostSignificantBits() << 16);
        while (mask != 0)
        {
            var lane = BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            sink.Add(row, col0 + lane, lane < 16 ? lo.GetElement(lane) : hi.GetElement(lane - 16));
        }
    }

    private static unsafe void Scan256(float* a, float* b, int dim, int row0, int col0, float bound, ref PairScratch sink)
    {
        var c00 = Vector256<float>.Zero;
        var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero;
        var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero;
        var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero;
        var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero;
        var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero;
        var c51 = Vector256<float>.Zero;
        var c60 = Vector256<float>.Zero;
        var c61 = Vector256<float>.Zero;
        var c70 = Vector256<float>.Zero;
        var c71 = Vector256<float>.Zero;
        for (var t = 0; t < dim; t++)
        {
            var o = (long)t * PackedPanels.Width;
            var v0 = Vector256.Load(b + o);
            var v1 = Vector256.Load(b + o + 8);
            var ar = a + o;
            var x = Vector256.Create(ar[0]);
            c00 = Vector256.MultiplyAddEstimate(x, v0, c00);
            c01 = Vector256.MultiplyAddEstimate(x, v1, c01);
            x = Vector256.Create(ar[1]);
            c10 = Vector256.MultiplyAddEstimate(x, v0, c10);
            c11 = Vector256.MultiplyAddEstimate(x, v1, c11);
            x = Vector256.Create(ar[2]);
            c20 = Vector256.MultiplyAddEstimate(x, v0, c20);
            c21 = Vector256.MultiplyAddEstimate(x, v1, c21);
            x = Vector256.Create(ar[3]);
            c30 = Vector256.MultiplyAddEstimate(x, v0, c30);
            c31 = Vector256.MultiplyAddEstimate(x, v1, c31);
            x = Vector256.Create(ar[4]);
            c40 = Vector256.MultiplyAddEstimate(x, v0, c40);
            c41 = Vector256.MultiplyAddEstimate(x, v1, c41);
            x = Vector256.Create(ar[5]);
            c50 = Vector256.MultiplyAddEstimate(x, v0, c50);
            c51 = Vector256.MultiplyAddEstimate(x, v1, c51);
            x = Vector256.Create(ar[6]);
            c60 = Vector256.MultiplyAddEstimate(x, v0, c60);
            c61 = Vector256.MultiplyAddEstimate(x, v1, c61);
            x = Vector256.Create(ar[7]);
            c70 = Vector256.MultiplyAddEstimate(x, v0, c70);
            c71 = Vector256.MultiplyAddEstimate(x, v1, c71);
        }

        var limit = Vector256.Create(bound);
        Emit256(c00, c01, limit, row0, col0, ref sink);
        Emit256(c10, c11, limit, row0 + 1, col0, ref sink);
        Emit256(c20, c21, limit, row0 + 2, col0, ref sink);
        Emit256(c30, c31, limit, row0 + 3, col0, ref sink);
        Emit256(c40, c41, limit, row0 + 4, col0, ref sink);
        Emit256(c50, c51, limit, row0 + 5, col0, ref sink);
        Emit256(c60, c61, limit, row0 + 6, col0, ref sink);
        Emit256(c70, c71, limit, row0 + 7, col0, ref sink);
    }

    private static void Emit256(Vector256<float> lo, Vector256<float> hi, Vector256<float> limit, int row, int col0, ref PairScratch sink)
    {
        var mask = Vector256.GreaterThanOrEqual(lo, limit).ExtractMostSignificantBits()
            | (Vector256.GreaterThanOrEqual(hi, limit).ExtractMostSignificantBits() << 8);
        while (mask != 0)
        {
            var lane = BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            sink.Add(row, col0 + lane, lane < 8 ? lo.GetElement(lane) : hi.GetElement(lane - 8));
        }
    }

    private static unsafe void ScanScalar(float* a, float* b, int dim, int row0, int col0, float bound, ref PairScratch sink)
    {
        Span<float> acc = stackalloc float[RowStep * PackedPanels.ColumnStep];
        acc.Clear();
        var panelFloats = (long)dim * PackedPanels.Width;
        for (var t = 0; t < dim; t++)
        {
            var o = (long)t * PackedPanels.Width;
            for (var r = 0; r < RowStep; r++)
            {
                var x = a[o + r];
                for (var c = 0; c < PackedPanels.ColumnStep; c++)
                {
                    var bc = b + ((c / PackedPanels.Width) * panelFloats) + o + (c % PackedPanels.Width);
                    acc[(r * PackedPanels.ColumnStep) + c] = MathF.FusedMultiplyAdd(x, *bc, acc[(r * PackedPanels.ColumnStep) + c]);
                }
            }
        }

        for (var r = 0; r < RowStep; r++)
        {
            for (var c = 0; c < PackedPanels.ColumnStep; c++)
            {
                var v = acc[(r * PackedPanels.ColumnStep) + c];
                if (v >= bound)
                {
                    sink.Add(row0 + r, col0 + c, v);
                }
            }
        }
    }
}

/// <summary>
/// Pairs found by <see cref="PanelDotKernel"/> in one work block, filtered as they arrive: padding rows, and in a
/// self-join every pair but those with the column row above the row (each unordered pair once), are dropped.
/// </summary>
internal struct PairScratch
{
    private readonly int _aRows;
    private readonly int _bRows;
    private readonly bool _upperOnly;

    public PairScratch(int aRows, int bRows, bool upperOnly)
    {
        _aRows = aRows;
        _bRows = bRows;
        _upperOnly = upperOnly;
        A = [];
        B = [];
        Dots = [];
    }

    public List<int> A { get; }

    public List<int> B { get; }

    public List<float> Dots { get; }

    public readonly void Add(int a, int b, float dot)
    {
        if (a >= _aRows || b >= _bRows || (_upperOnly && b <= a))
        {
            return;
        }

        A.Add(a);
        B.Add(b);
        Dots.Add(dot);
    }
}
