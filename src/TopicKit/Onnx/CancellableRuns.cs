using Microsoft.ML.OnnxRuntime;

namespace TopicKit.Onnx;

/// <summary>
/// Run options for a fixed number of concurrent model runs, one per worker, all terminated inside ONNX Runtime
/// (<see cref="RunOptions.Terminate"/>) when the token is cancelled, so a long run stops mid-graph instead of finishing.
/// The terminate flag is sticky: once cancelled, these options fail every later run, which is what a cancelled call wants.
/// </summary>
internal sealed class CancellableRuns : IDisposable
{
    private readonly RunOptions[] _options;
    private readonly CancellationToken _token;
    private CancellationTokenRegistration _registration;

    /// <summary>Creates options for <paramref name="workers"/> concurrent runs, terminated by <paramref name="token"/>.</summary>
    public CancellableRuns(int workers, CancellationToken token)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        _options = new RunOptions[workers];
        try
        {
            for (var i = 0; i < workers; i++)
            {
                _options[i] = new RunOptions();
            }
        }
        catch
        {
            DisposeOptions();
            throw;
        }

        _token = token;

        // Runs the callback inline when the token is already cancelled, so no run can start unterminated.
        _registration = token.UnsafeRegister(static state => TerminateAll((RunOptions[])state!), _options);
    }

    /// <summary>
    /// Runs the model on worker <paramref name="worker"/>'s options, writing into the caller's pre-allocated outputs.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the run.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed for another reason (message from ONNX Runtime).</exception>
    public void Run(
        int worker,
        InferenceSession session,
        IReadOnlyCollection<string> inputNames,
        IReadOnlyCollection<OrtValue> inputs,
        IReadOnlyCollection<string> outputNames,
        IReadOnlyCollection<OrtValue> outputs)
    {
        ArgumentNullException.ThrowIfNull(session);
        _token.ThrowIfCancellationRequested();
        try
        {
            session.Run(_options[worker], inputNames, inputs, outputNames, outputs);
        }
        catch (OnnxRuntimeException e) when (_token.IsCancellationRequested)
        {
            throw new OperationCanceledException("The ONNX Runtime run was cancelled.", e, _token);
        }
    }

    /// <summary>Runs the model on worker <paramref name="worker"/>'s options; ONNX Runtime allocates the outputs.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the run.</exception>
    public IDisposableReadOnlyCollection<OrtValue> Run(
        int worker,
        InferenceSession session,
        IReadOnlyCollection<string> inputNames,
        IReadOnlyCollection<OrtValue> inputs,
        IReadOnlyCollection<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(session);
        _token.ThrowIfCancellationRequested();
        try
        {
            return session.Run(_options[worker], inputNames, inputs, outputNames);
        }
        catch (OnnxRuntimeException e) when (_token.IsCancellationRequested)
        {
            throw new OperationCanceledException("The ONNX Runtime run was cancelled.", e, _token);
        }
    }

    /// <summary>Releases the run options once no cancellation callback can touch them any more.</summary>
    public void Dispose()
    {
        // Waits for a callback in progress, so Terminate is never set on released options.
        _registration.Dispose();
        DisposeOptions();
    }

    private static void TerminateAll(RunOptions[] options)
    {
        foreach (var option in options)
        {
            option.Terminate = true;
        }
    }

    private void DisposeOptions()
    {
        foreach (var option in _options)
        {
            option?.Dispose();
        }
    }
}
