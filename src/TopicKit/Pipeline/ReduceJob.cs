using System.Diagnostics;
using TopicKit.Numerics;
using TopicKit.Reduction;

namespace TopicKit.Pipeline;

/// <summary>What to reduce: a matrix file, the reducer to fit on it, and where the reduced matrix goes.</summary>
/// <param name="Embeddings">The input matrix (<c>.npy</c> or numeric <c>.csv</c>, see <see cref="MatrixInput.Read"/>).</param>
/// <param name="Reducer">The reduction to fit, e.g. <see cref="Umap"/> or <see cref="Pca"/> with their options.</param>
/// <param name="Output">The <c>.npy</c> file to write (float32, N x components), replaced atomically.</param>
public sealed record ReduceRequest(string Embeddings, IReducer Reducer, string Output);

/// <summary>What a reduction did.</summary>
/// <param name="Rows">Rows reduced.</param>
/// <param name="InputColumns">Columns of the input.</param>
/// <param name="Components">Columns of the output.</param>
/// <param name="Output">The file written (absolute).</param>
/// <param name="Elapsed">Time spent fitting.</param>
public sealed record ReduceResult(int Rows, int InputColumns, int Components, string Output, TimeSpan Elapsed);

/// <summary>The reduce stage on files: read, fit, write atomically (Ctrl+C or a failure writes nothing).</summary>
public static class ReduceJob
{
    /// <summary>Runs the reduction.</summary>
    /// <param name="request">What to reduce.</param>
    /// <param name="cancellationToken">Stops the fit; nothing is written.</param>
    /// <exception cref="InvalidDataException">The input is damaged or not finite.</exception>
    /// <exception cref="ArgumentException">The reducer's options do not fit the data (the parameter names the option property).</exception>
    public static ReduceResult Run(ReduceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var data = MatrixInput.Read(request.Embeddings);
        var clock = Stopwatch.StartNew();
        var reduced = request.Reducer.Fit(data, cancellationToken).Embedding;
        clock.Stop();
        var output = Path.GetFullPath(request.Output);
        AtomicFile.Write(output, path => NpyFile.Write(path, reduced));
        return new ReduceResult(data.Rows, data.Columns, reduced.Columns, output, clock.Elapsed);
    }
}
