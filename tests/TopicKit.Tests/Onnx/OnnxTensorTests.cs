using TopicKit.Onnx;

namespace TopicKit.Tests.Onnx;

/// <summary><see cref="OnnxTensor"/> over managed memory and ORT-allocated memory.</summary>
[Collection(OnnxCollection.Name)]
public sealed class OnnxTensorTests
{
    [Fact]
    public void FromArray_SharesTheManagedBuffer()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        using var tensor = OnnxTensor.FromArray(data, 2, 3);
        Assert.Equal(OnnxElementType.Float, tensor.ElementType);
        Assert.Equal([2L, 3L], tensor.Shape);
        Assert.Equal(6, tensor.ElementCount);

        // No copy: writes on either side are visible on the other.
        data[4] = 42;
        Assert.Equal(42f, tensor.GetData<float>()[4]);
        tensor.GetData<float>()[0] = -1;
        Assert.Equal(-1f, data[0]);
    }

    [Fact]
    public void FromMemory_SliceOfLargerArray()
    {
        var data = Enumerable.Range(0, 10).Select(i => (long)i).ToArray();
        using var tensor = OnnxTensor.FromMemory(data.AsMemory(4, 4), [2, 2]);
        Assert.Equal(OnnxElementType.Int64, tensor.ElementType);
        Assert.Equal([4L, 5L, 6L, 7L], tensor.ToArray<long>());
        var copy = new long[5];
        tensor.CopyTo<long>(copy);
        Assert.Equal([4L, 5L, 6L, 7L, 0L], copy);
        Assert.Throws<ArgumentException>(() => tensor.CopyTo<long>(new long[3]));
    }

    [Fact]
    public void ShapeMustMatchBufferAndBeNonNegative()
    {
        Assert.Throws<ArgumentException>(() => OnnxTensor.FromArray(new float[6], 2, 4));
        Assert.Throws<ArgumentException>(() => OnnxTensor.FromArray(new float[6], -2, -3));
    }

    [Fact]
    public void EmptyTensor_IsAllowed()
    {
        using var tensor = OnnxTensor.FromArray(Array.Empty<long>(), 1, 0);
        Assert.Equal(0, tensor.ElementCount);
        Assert.True(tensor.GetData<long>().IsEmpty);
    }

    [Fact]
    public void Allocate_CreatesOrtOwnedTensor()
    {
        using var tensor = OnnxTensor.Allocate<int>(3, 4);
        Assert.Equal(OnnxElementType.Int32, tensor.ElementType);
        Assert.Equal([3L, 4L], tensor.Shape);
        Assert.Equal(12, tensor.ElementCount);
        var span = tensor.GetData<int>();
        Assert.Equal(12, span.Length);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = i * i;
        }

        Assert.Equal(121, tensor.ToArray<int>()[11]);
    }

    [Fact]
    public void WrongElementType_AndDisposedTensor_AreReported()
    {
        var tensor = OnnxTensor.FromArray(new long[] { 1, 2 }, 2);
        var error = Assert.Throws<InvalidOperationException>(() => tensor.GetData<float>().Length);
        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
        tensor.Dispose();
        Assert.True(tensor.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => tensor.GetData<long>().Length);
    }

    [Fact]
    public void UnsupportedClrType_IsRejected()
    {
        Assert.Throws<NotSupportedException>(() => OnnxTensor.FromArray(new char[2], 2));
    }
}
