namespace TopicKit.Onnx;

/// <summary>Tensor element types (<c>ONNXTensorElementDataType</c> in the C API, same numeric values).</summary>
public enum OnnxElementType
{
    /// <summary>Unknown or not a tensor.</summary>
    Undefined = 0,

    /// <summary>32-bit float (<see cref="float"/>).</summary>
    Float = 1,

    /// <summary>Unsigned byte (<see cref="byte"/>).</summary>
    UInt8 = 2,

    /// <summary>Signed byte (<see cref="sbyte"/>).</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>).</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer (<see cref="short"/>).</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer (<see cref="int"/>).</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer (<see cref="long"/>).</summary>
    Int64 = 7,

    /// <summary>String (not supported by this binding's tensors).</summary>
    String = 8,

    /// <summary>Boolean stored as one byte (<see cref="bool"/>).</summary>
    Bool = 9,

    /// <summary>IEEE half precision (<see cref="Half"/>).</summary>
    Float16 = 10,

    /// <summary>64-bit float (<see cref="double"/>).</summary>
    Double = 11,

    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>).</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer (<see cref="ulong"/>).</summary>
    UInt64 = 13,

    /// <summary>Complex with float32 parts (not supported by this binding's tensors).</summary>
    Complex64 = 14,

    /// <summary>Complex with float64 parts (not supported by this binding's tensors).</summary>
    Complex128 = 15,

    /// <summary>Brain float 16 (not supported by this binding's tensors).</summary>
    BFloat16 = 16,
}

/// <summary>Maps CLR element types to <see cref="OnnxElementType"/>.</summary>
internal static class OnnxElementTypes
{
    /// <summary>The ONNX element type for <typeparamref name="T"/>, or <see cref="OnnxElementType.Undefined"/>.</summary>
    public static OnnxElementType Of<T>()
        where T : unmanaged =>
        typeof(T) == typeof(float) ? OnnxElementType.Float
        : typeof(T) == typeof(long) ? OnnxElementType.Int64
        : typeof(T) == typeof(int) ? OnnxElementType.Int32
        : typeof(T) == typeof(double) ? OnnxElementType.Double
        : typeof(T) == typeof(byte) ? OnnxElementType.UInt8
        : typeof(T) == typeof(sbyte) ? OnnxElementType.Int8
        : typeof(T) == typeof(short) ? OnnxElementType.Int16
        : typeof(T) == typeof(ushort) ? OnnxElementType.UInt16
        : typeof(T) == typeof(uint) ? OnnxElementType.UInt32
        : typeof(T) == typeof(ulong) ? OnnxElementType.UInt64
        : typeof(T) == typeof(bool) ? OnnxElementType.Bool
        : typeof(T) == typeof(Half) ? OnnxElementType.Float16
        : OnnxElementType.Undefined;

    /// <summary>The ONNX element type for <typeparamref name="T"/>; throws for unsupported CLR types.</summary>
    public static OnnxElementType Require<T>()
        where T : unmanaged
    {
        var type = Of<T>();
        return type != OnnxElementType.Undefined
            ? type
            : throw new NotSupportedException($"{typeof(T).Name} has no ONNX tensor element type; use float, double, Half, bool or an integer type.");
    }
}
