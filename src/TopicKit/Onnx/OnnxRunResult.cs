using System.Collections;

namespace TopicKit.Onnx;

/// <summary>A named tensor passed to or bound in <see cref="OnnxSession"/> runs.</summary>
/// <param name="Name">Model input or output name.</param>
/// <param name="Tensor">The tensor (not owned: the caller disposes it).</param>
public readonly record struct OnnxNamedTensor(string Name, OnnxTensor Tensor);

/// <summary>The outputs of one run, in the requested order. Owns the tensors: dispose it to free them.</summary>
public sealed class OnnxRunResult : IReadOnlyList<OnnxTensor>, IDisposable
{
    private readonly string[] _names;
    private readonly OnnxTensor[] _tensors;

    internal OnnxRunResult(string[] names, OnnxTensor[] tensors)
    {
        _names = names;
        _tensors = tensors;
    }

    /// <summary>Output names, parallel to the tensors.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of outputs.</summary>
    public int Count => _tensors.Length;

    /// <summary>Output by position.</summary>
    public OnnxTensor this[int index] => _tensors[index];

    /// <summary>Output by name.</summary>
    /// <exception cref="KeyNotFoundException">No output of that name was requested.</exception>
    public OnnxTensor this[string name]
    {
        get
        {
            var index = Array.IndexOf(_names, name);
            return index >= 0
                ? _tensors[index]
                : throw new KeyNotFoundException($"No output named '{name}' in this result; it has: {string.Join(", ", _names)}.");
        }
    }

    /// <inheritdoc />
    public IEnumerator<OnnxTensor> GetEnumerator() => ((IEnumerable<OnnxTensor>)_tensors).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Releases every output tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in _tensors)
        {
            tensor.Dispose();
        }
    }
}
