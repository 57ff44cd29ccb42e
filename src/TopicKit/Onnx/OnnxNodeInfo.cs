namespace TopicKit.Onnx;

/// <summary>Name, element type and shape of one model input or output.</summary>
/// <param name="Name">The input or output name used in <see cref="OnnxSession.Run(ReadOnlySpan{OnnxNamedTensor}, CancellationToken)"/>.</param>
/// <param name="ElementType">Element type; <see cref="OnnxElementType.Undefined"/> for non-tensor values (maps, sequences).</param>
/// <param name="Shape">Dimensions; -1 marks a dimension that is free (symbolic or unknown).</param>
/// <param name="SymbolicDimensions">Per dimension, the symbolic name (e.g. "batch_size") or an empty string.</param>
public sealed record OnnxNodeInfo(string Name, OnnxElementType ElementType, IReadOnlyList<long> Shape, IReadOnlyList<string> SymbolicDimensions)
{
    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Count;

    /// <summary>Whether the value is a tensor (the only kind this binding runs).</summary>
    public bool IsTensor => ElementType != OnnxElementType.Undefined;

    /// <summary>Shape in a readable form such as <c>[batch_size, sequence_length, 32]</c>.</summary>
    public string FormatShape() =>
        "[" + string.Join(", ", Shape.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "?")) + "]";
}
