using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace TopicKit.Numerics;

/// <summary>
/// Dense dot-product tiles: <c>result[i * stride + j] = dot(a_i, b_j)</c> for a block of rows of A against a block of
/// rows of B (both row-major with the same dimension). The kernel is the inner loop of exact kNN and k-means
/// distance computation (||a||² + ||b||² − 2 a·b), so it is register-blocked: four rows of A against four rows of B
/// share every vector load, which keeps the FMA units busy instead of waiting on memory.
/// </summary>
/// <remarks>
/// The summation order depends only on the dimension and on the row's position inside the tile, never on threads,
/// so callers that tile deterministically get bit-identical results at any degree of parallelism.
/// </remarks>
internal static class DotKernel
{
    // Below this dimension a row-pair dot product is too short to fill vectors, so the small-dimension kernel
    // vectorises across rows of B instead (B packed transposed).
    private const int SmallDim = 24;

    public static unsafe void Tile(
        ReadOnlySpan<float> a, int aRows, ReadOnlySpan<float> b, int bRows, int dim, Span<float> result, int stride)
    {
        if (aRows == 0 || bRows == 0)
        {
            return;
        }

        if ((long)aRows * dim > a.Length || (long)bRows * dim > b.Length || ((long)(aRows - 1) * stride) + bRows > result.Length)
        {
            throw new ArgumentException("Tile shapes exceed the given buffers.");
        }

        if (!Vector256.IsHardwareAccelerated)
        {
            TileScalar(a, aRows, b, bRows, dim, result, stride);
            return;
        }

        if (dim < SmallDim)
        {
            TileSmallDim(a, aRows, b, bRows, dim, result, stride);
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pr = result)
        {
            Tile256(pa, aRows, pb, bRows, dim, pr, stride);
        }
    }

    private static void TileScalar(
        ReadOnlySpan<float> a, int aRows, ReadOnlySpan<float> b, int bRows, int dim, Span<float> result, int stride)
    {
        for (var i = 0; i < aRows; i++)
        {
            var ai = a.Slice(i * dim, dim);
            for (var j = 0; j < bRows; j++)
            {
                result[(i * stride) + j] = TensorPrimitives.Dot(ai, b.Slice(j * dim, dim));
            }
        }
    }

    private static unsafe void TileSmallDim(
        ReadOnlySpan<float> a, int aRows, ReadOnlySpan<float> b, int bRows, int dim, Span<float> result, int stride)
    {
        const int W = 8;
        var packedRows = bRows & ~(W - 1);
        var packed = ArrayPool<float>.Shared.Rent(Math.Max(1, dim * packedRows));
        try
        {
            // packed[t * packedRows + j] = b[j, t]: one vector load then covers eight rows of B at coordinate t.
            for (var j = 0; j < packedRows; j++)
            {
                for (var t = 0; t < dim; t++)
                {
                    packed[(t * packedRows) + j] = b[(j * dim) + t];
                }
            }

            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pp = packed)
            fixed (float* pr = result)
            {
                var i = 0;
                for (; i + 4 <= aRows; i += 4)
                {
                    var a0 = pa + (i * dim);
                    for (var j = 0; j < packedRows; j += W)
                    {
                        var s0 = Vector256<float>.Zero;
                        var s1 = Vector256<float>.Zero;
                        var s2 = Vector256<float>.Zero;
                        var s3 = Vector256<float>.Zero;
                        for (var t = 0; t < dim; t++)
                        {
                            var v = Vector256.Load(pp + (t * packedRows) + j);
                            s0 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[t]), v, s0);
                            s1 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[dim + t]), v, s1);
                            s2 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[(2 * dim) + t]), v, s2);
                            s3 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[(3 * dim) + t]), v, s3);
                        }

                        var r = pr + (i * stride) + j;
                        s0.Store(r);
                        s1.Store(r + stride);
                        s2.Store(r + (2 * stride));
                        s3.Store(r + (3 * stride));
                    }
                }

                for (; i < aRows; i++)
                {
                    var ai = pa + (i * dim);
                    for (var j = 0; j < packedRows; j += W)
                    {
                        var s0 = Vector256<float>.Zero;
                        for (var t = 0; t < dim; t++)
                        {
                            s0 = Vector256.MultiplyAddEstimate(Vector256.Create(ai[t]), Vector256.Load(pp + (t * packedRows) + j), s0);
                        }

                        s0.Store(pr + (i * stride) + j);
                    }
                }

                // Rows of B past the last full vector.
                for (i = 0; i < aRows; i++)
                {
                    var ai = pa + (i * dim);
                    for (var j = packedRows; j < bRows; j++)
                    {
                        var bj = pb + (j * dim);
                        var sum = 0f;
                        for (var t = 0; t < dim; t++)
                        {
                            sum += ai[t] * bj[t];
                        }

                        pr[(i * stride) + j] = sum;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
        }
    }

    private static unsafe void Tile256(float* a, int aRows, float* b, int bRows, int dim, float* r, int stride)
    {
        var i = 0;
        for (; i + 4 <= aRows; i += 4)
        {
            var a0 = a + ((long)i * dim);
            var r0 = r + ((long)i * stride);
            var j = 0;
            for (; j + 4 <= bRows; j += 4)
            {
                Kernel4x4(a0, b + ((long)j * dim), dim, r0 + j, stride);
            }

            for (; j < bRows; j++)
            {
                Kernel4x1(a0, b + ((long)j * dim), dim, r0 + j, stride);
            }
        }

        for (; i < aRows; i++)
        {
            var ai = a + ((long)i * dim);
            var ri = r + ((long)i * stride);
            for (var j = 0; j < bRows; j++)
            {
                ri[j] = Kernel1x1(ai, b + ((long)j * dim), dim);
            }
        }
    }

    // Sixteen accumulators plus four B vectors and one A vector: fits the 32 vector registers of AVX-512 machines
    // (EVEX-encoded ymm16-31); each loaded vector feeds four FMAs.
    private static unsafe void Kernel4x4(float* a0, float* b0, int dim, float* r, int stride)
    {
        var a1 = a0 + dim;
        var a2 = a1 + dim;
        var a3 = a2 + dim;
        var b1 = b0 + dim;
        var b2 = b1 + dim;
        var b3 = b2 + dim;
        var s00 = Vector256<float>.Zero;
        var s01 = Vector256<float>.Zero;
        var s02 = Vector256<float>.Zero;
        var s03 = Vector256<float>.Zero;
        var s10 = Vector256<float>.Zero;
        var s11 = Vector256<float>.Zero;
        var s12 = Vector256<float>.Zero;
        var s13 = Vector256<float>.Zero;
        var s20 = Vector256<float>.Zero;
        var s21 = Vector256<float>.Zero;
        var s22 = Vector256<float>.Zero;
        var s23 = Vector256<float>.Zero;
        var s30 = Vector256<float>.Zero;
        var s31 = Vector256<float>.Zero;
        var s32 = Vector256<float>.Zero;
        var s33 = Vector256<float>.Zero;
        var end = dim & ~(Vector256<float>.Count - 1);
        for (var k = 0; k < end; k += Vector256<float>.Count)
        {
            var v0 = Vector256.Load(b0 + k);
            var v1 = Vector256.Load(b1 + k);
            var v2 = Vector256.Load(b2 + k);
            var v3 = Vector256.Load(b3 + k);
            var x0 = Vector256.Load(a0 + k);
            s00 = Vector256.MultiplyAddEstimate(x0, v0, s00);
            s01 = Vector256.MultiplyAddEstimate(x0, v1, s01);
            s02 = Vector256.MultiplyAddEstimate(x0, v2, s02);
            s03 = Vector256.MultiplyAddEstimate(x0, v3, s03);
            x0 = Vector256.Load(a1 + k);
            s10 = Vector256.MultiplyAddEstimate(x0, v0, s10);
            s11 = Vector256.MultiplyAddEstimate(x0, v1, s11);
            s12 = Vector256.MultiplyAddEstimate(x0, v2, s12);
            s13 = Vector256.MultiplyAddEstimate(x0, v3, s13);
            x0 = Vector256.Load(a2 + k);
            s20 = Vector256.MultiplyAddEstimate(x0, v0, s20);
            s21 = Vector256.MultiplyAddEstimate(x0, v1, s21);
            s22 = Vector256.MultiplyAddEstimate(x0, v2, s22);
            s23 = Vector256.MultiplyAddEstimate(x0, v3, s23);
            x0 = Vector256.Load(a3 + k);
            s30 = Vector256.MultiplyAddEstimate(x0, v0, s30);
            s31 = Vector256.MultiplyAddEstimate(x0, v1, s31);
            s32 = Vector256.MultiplyAddEstimate(x0, v2, s32);
            s33 = Vector256.MultiplyAddEstimate(x0, v3, s33);
        }

        var t00 = Vector256.Sum(s00);
        var t01 = Vector256.Sum(s01);
        var t02 = Vector256.Sum(s02);
        var t03 = Vector256.Sum(s03);
        var t10 = Vector256.Sum(s10);
        var t11 = Vector256.Sum(s11);
        var t12 = Vector256.Sum(s12);
        var t13 = Vector256.Sum(s13);
        var t20 = Vector256.Sum(s20);
        var t21 = Vector256.Sum(s21);
        var t22 = Vector256.Sum(s22);
        var t23 = Vector256.Sum(s23);
        var t30 = Vector256.Sum(s30);
        var t31 = Vector256.Sum(s31);
        var t32 = Vector256.Sum(s32);
        var t33 = Vector256.Sum(s33);
        for (var k = end; k < dim; k++)
        {
            t00 += a0[k] * b0[k];
            t01 += a0[k] * b1[k];
            t02 += a0[k] * b2[k];
            t03 += a0[k] * b3[k];
            t10 += a1[k] * b0[k];
            t11 += a1[k] * b1[k];
            t12 += a1[k] * b2[k];
            t13 += a1[k] * b3[k];
            t20 += a2[k] * b0[k];
            t21 += a2[k] * b1[k];
            t22 += a2[k] * b2[k];
            t23 += a2[k] * b3[k];
            t30 += a3[k] * b0[k];
            t31 += a3[k] * b1[k];
            t32 += a3[k] * b2[k];
            t33 += a3[k] * b3[k];
        }

        r[0] = t00;
        r[1] = t01;
        r[2] = t02;
        r[3] = t03;
        r[stride] = t10;
        r[stride + 1] = t11;
        r[stride + 2] = t12;
        r[stride + 3] = t13;
        r[2 * stride] = t20;
        r[(2 * stride) + 1] = t21;
        r[(2 * stride) + 2] = t22;
        r[(2 * stride) + 3] = t23;
        r[3 * stride] = t30;
        r[(3 * stride) + 1] = t31;
        r[(3 * stride) + 2] = t32;
        r[(3 * stride) + 3] = t33;
    }

    // Four rows of A against one row of B: four independent FMA chains share each B load, so a leftover column of B
    // (e.g. the fifth k-means++ candidate) runs at throughput instead of at the latency of one accumulator chain.
    private static unsafe void Kernel4x1(float* a0, float* b, int dim, float* r, int stride)
    {
        var a1 = a0 + dim;
        var a2 = a1 + dim;
        var a3 = a2 + dim;
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        var s2 = Vector256<float>.Zero;
        var s3 = Vector256<float>.Zero;
        var end = dim & ~(Vector256<float>.Count - 1);
        for (var k = 0; k < end; k += Vector256<float>.Count)
        {
            var v = Vector256.Load(b + k);
            s0 = Vector256.MultiplyAddEstimate(Vector256.Load(a0 + k), v, s0);
            s1 = Vector256.MultiplyAddEstimate(Vector256.Load(a1 + k), v, s1);
            s2 = Vector256.MultiplyAddEstimate(Vector256.Load(a2 + k), v, s2);
            s3 = Vector256.MultiplyAddEstimate(Vector256.Load(a3 + k), v, s3);
        }

        var t0 = Vector256.Sum(s0);
        var t1 = Vector256.Sum(s1);
        var t2 = Vector256.Sum(s2);
        var t3 = Vector256.Sum(s3);
        for (var k = end; k < dim; k++)
        {
            t0 += a0[k] * b[k];
            t1 += a1[k] * b[k];
            t2 += a2[k] * b[k];
            t3 += a3[k] * b[k];
        }

        r[0] = t0;
        r[stride] = t1;
        r[2 * stride] = t2;
        r[3 * stride] = t3;
    }

    private static unsafe float Kernel1x1(float* a, float* b, int dim)
    {
        var s = Vector256<float>.Zero;
        var end = dim & ~(Vector256<float>.Count - 1);
        for (var k = 0; k < end; k += Vector256<float>.Count)
        {
            s = Vector256.MultiplyAddEstimate(Vector256.Load(a + k), Vector256.Load(b + k), s);
        }

        var t = Vector256.Sum(s);
        for (var k = end; k < dim; k++)
        {
            t += a[k] * b[k];
        }

        return t;
    }
}
