namespace TopicKit.Embedding;

/// <summary>Where ONNX Runtime runs the model (<see cref="SentenceEncoderOptions.ExecutionProvider"/>).</summary>
public enum OnnxExecutionProvider
{
    /// <summary>ONNX Runtime's CPU kernels (the default; in the <c>Microsoft.ML.OnnxRuntime</c> package TopicKit references).</summary>
    Cpu = 0,

    /// <summary>
    /// NVIDIA CUDA on <see cref="SentenceEncoderOptions.DeviceId"/>. Needs the <c>Microsoft.ML.OnnxRuntime.Gpu</c> package
    /// in the application (its native library replaces the CPU-only one) plus the CUDA and cuDNN libraries it names.
    /// </summary>
    Cuda = 1,
}
