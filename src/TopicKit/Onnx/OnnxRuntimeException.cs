namespace TopicKit.Onnx;

/// <summary>Error codes reported by ONNX Runtime (<c>OrtErrorCode</c> in the C API).</summary>
public enum OnnxErrorCode
{
    /// <summary>No error.</summary>
    Ok = 0,

    /// <summary>Generic failure (also used when a run was terminated).</summary>
    Fail = 1,

    /// <summary>An argument was invalid, e.g. an input of the wrong shape.</summary>
    InvalidArgument = 2,

    /// <summary>The model file does not exist.</summary>
    NoSuchFile = 3,

    /// <summary>No model was loaded.</summary>
    NoModel = 4,

    /// <summary>Execution engine error.</summary>
    EngineError = 5,

    /// <summary>An exception was raised inside the runtime.</summary>
    RuntimeException = 6,

    /// <summary>The model bytes are not a valid ONNX protobuf.</summary>
    InvalidProtobuf = 7,

    /// <summary>A model was already loaded.</summary>
    ModelLoaded = 8,

    /// <summary>The operation is not implemented.</summary>
    NotImplemented = 9,

    /// <summary>The model graph is invalid.</summary>
    InvalidGraph = 10,

    /// <summary>An execution provider failed.</summary>
    ExecutionProviderFail = 11,
}

/// <summary>An error status returned by ONNX Runtime, carrying its code and message verbatim.</summary>
public sealed class OnnxRuntimeException : Exception
{
    /// <summary>Creates the exception from an ONNX Runtime status.</summary>
    public OnnxRuntimeException(OnnxErrorCode errorCode, string runtimeMessage)
        : base($"ONNX Runtime error {errorCode}: {runtimeMessage}")
    {
        ErrorCode = errorCode;
        RuntimeMessage = runtimeMessage;
    }

    /// <summary>The <c>OrtErrorCode</c> of the failed call.</summary>
    public OnnxErrorCode ErrorCode { get; }

    /// <summary>ONNX Runtime's own message, unmodified.</summary>
    public string RuntimeMessage { get; }
}

/// <summary>The ONNX Runtime native library is missing, of the wrong version, or not loadable; the message says how to fix it.</summary>
public sealed class OnnxRuntimeLoadException : Exception
{
    /// <summary>Creates the exception with a message that includes the fix.</summary>
    public OnnxRuntimeLoadException(string message)
        : base(message)
    {
    }
}
