using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace TopicKit.Onnx;

/// <summary>
/// Loads ONNX Runtime sessions (from the <c>Microsoft.ML.OnnxRuntime</c> package) with errors that name the model file
/// and say what to do, and describes model inputs and outputs for messages.
/// </summary>
internal static class OnnxSessions
{
    /// <summary>The version of the native ONNX Runtime library this process loaded.</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>Creates a session for the model file; <paramref name="options"/> stay owned by the caller.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime rejected the file (not an ONNX model, truncated, unsupported operators).</exception>
    public static InferenceSession Load(string modelPath, SessionOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"ONNX model file '{full}' does not exist.", full);
        }

        try
        {
            return new InferenceSession(full, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException(
                $"{full}: ONNX Runtime {RuntimeVersion} cannot load this model ({OneLine(e.Message)}); replace it with a valid ONNX model file (for a registry model: topickit models pull NAME --force).",
                e);
        }
    }

    /// <summary>Element type and shape, e.g. <c>Int64 [batch_size, sequence_length]</c>; symbolic or unknown dimensions by name or <c>?</c>.</summary>
    public static string Describe(NodeMetadata node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.IsTensor)
        {
            return node.OnnxValueType.ToString();
        }

        var dimensions = node.Dimensions.Select((d, i) =>
            d >= 0 ? d.ToString(CultureInfo.InvariantCulture)
            : i < node.SymbolicDimensions.Length && node.SymbolicDimensions[i].Length > 0 ? node.SymbolicDimensions[i]
            : "?");
        return $"{node.ElementDataType} [{string.Join(", ", dimensions)}]";
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
