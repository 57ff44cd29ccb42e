using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace TopicKit.Cli.Commands;

/// <summary>
/// The one serializer of every command's <c>--json</c> output: source-generated (no reflection), snake_case keys,
/// '+' and non-ASCII left readable. A command declares a record for what it prints (beside its renderer) and adds one
/// <c>[JsonSerializable]</c> line here. The keys are a contract for scripts: README.md, "JSON contract".
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(IngestJson))]
[JsonSerializable(typeof(DocumentJson))]
[JsonSerializable(typeof(StatsJson))]
[JsonSerializable(typeof(RunJson))]
[JsonSerializable(typeof(AssignJson[]), TypeInfoPropertyName = "AssignJsonArray")]
[JsonSerializable(typeof(EmbedJson))]
[JsonSerializable(typeof(EmbeddingsListJson))]
[JsonSerializable(typeof(EmbeddingsExportJson))]
[JsonSerializable(typeof(EncodeJson))]
[JsonSerializable(typeof(TokenizeJson))]
[JsonSerializable(typeof(ReduceJson))]
[JsonSerializable(typeof(ClusterJson))]
[JsonSerializable(typeof(IReadOnlyList<ModelJson>))]
[JsonSerializable(typeof(ModelPullJson))]
[JsonSerializable(typeof(IReadOnlyList<ModelVerifyJson>))]
[JsonSerializable(typeof(ModelPathJson))]
[JsonSerializable(typeof(IReadOnlyList<TopicJson>), TypeInfoPropertyName = "TopicJsonList")]
[JsonSerializable(typeof(IReadOnlyList<TopicSliceJson>), TypeInfoPropertyName = "TopicSliceJsonList")]
[JsonSerializable(typeof(TopicEvaluationJson))]
[JsonSerializable(typeof(ReportJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>Writes <c>--json</c> output through <see cref="CliJsonContext"/>.</summary>
internal static class CliJson
{
    private const int FlushBytes = 1 << 20;

    /// <summary>The context every command serializes with (relaxed escaping: stdout is UTF-8 text, not HTML).</summary>
    public static CliJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    });

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Prints <paramref name="value"/> as one line of JSON.</summary>
    public static void Write<T>(TextWriter output, T value, Func<CliJsonContext, JsonTypeInfo<T>> type)
    {
        output.WriteLine(JsonSerializer.Serialize(value, type(Context)));
        output.Flush();
    }

    /// <summary>Prints a JSON array of <paramref name="items"/> as one line, streamed in chunks (for long listings).</summary>
    public static void WriteArray<T>(TextWriter output, IEnumerable<T> items, Func<CliJsonContext, JsonTypeInfo<T>> type)
    {
        var info = type(Context);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            JsonSerializer.Serialize(writer, item, info);
            writer.Flush();
            if (buffer.WrittenCount >= FlushBytes)
            {
                output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
                buffer.ResetWrittenCount();
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.WriteLine();
        output.Flush();
    }

    /// <summary>
    /// Writes one JSON value with <paramref name="write"/>, streamed in chunks (call the second argument after each
    /// large element), with the same escaping as <see cref="Write"/>. Only for outputs whose shape a record cannot
    /// express; prefer a record in <see cref="CliJsonContext"/>.
    /// </summary>
    public static void WriteRaw(TextWriter output, Action<Utf8JsonWriter, Action> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);

        void FlushIfLarge()
        {
            writer.Flush();
            if (buffer.WrittenCount >= FlushBytes)
            {
                output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
                buffer.ResetWrittenCount();
            }
        }

        write(writer, FlushIfLarge);
        writer.Flush();
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.WriteLine();
        output.Flush();
    }

    /// <summary>Seconds rounded for output (milliseconds).</summary>
    public static double Seconds(double seconds) => Math.Round(seconds, 3);
}
