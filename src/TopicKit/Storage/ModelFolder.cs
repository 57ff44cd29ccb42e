using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TopicKit.Numerics;

namespace TopicKit.Storage;

/// <summary>A saved model does not load: a missing, damaged or foreign folder, a newer format, or a different encoder.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ModelFormatException()
        : base("The saved model cannot be loaded.")
    {
    }
}

/// <summary>
/// Reading and writing the files of a saved model folder: snake_case JSON manifests with a format name and version,
/// and float32 <c>.npy</c> arrays. Every read failure becomes a <see cref="ModelFormatException"/> naming the file.
/// </summary>
internal static class ModelFolder
{
    /// <summary>The JSON style of every manifest (snake_case keys, enums as snake_case strings, indented).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="manifest"/> (which must carry <c>format</c> and <c>version</c>) to <paramref name="path"/>.</summary>
    public static void WriteManifest(string path, JsonObject manifest) =>
        File.WriteAllText(path, manifest.ToJsonString(Json) + "\n");

    /// <summary>
    /// Reads a manifest and checks that its format is one of <paramref name="formats"/> and its version at most
    /// <paramref name="maxVersion"/>; the format read is <c>manifest["format"]</c>.
    /// </summary>
    public static JsonObject ReadManifest(string path, int maxVersion, params string[] formats)
    {
        var format = string.Join(" or ", formats);
        if (!File.Exists(path))
        {
            var folder = Path.GetDirectoryName(path) ?? path;
            throw new ModelFormatException(Directory.Exists(folder)
                ? $"{folder} is not a saved TopicKit {format} (no {Path.GetFileName(path)}); save one with Save(directory) or `topickit run`."
                : $"the model folder {folder} does not exist.");
        }

        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new ModelFormatException($"{path} is damaged: it is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path} is damaged: {e.Message}", e);
        }

        var actual = manifest["format"]?.GetValueKind() == JsonValueKind.String ? manifest["format"]!.GetValue<string>() : null;
        if (actual is null || !formats.Contains(actual))
        {
            throw new ModelFormatException($"{path} is not a TopicKit {format} manifest (format '{actual ?? "missing"}').");
        }

        var version = manifest["version"]?.GetValueKind() == JsonValueKind.Number ? manifest["version"]!.GetValue<int>() : 0;
        if (version < 1 || version > maxVersion)
        {
            throw new ModelFormatException(
                $"{path} has {format} version {version}; this TopicKit reads versions 1 to {maxVersion}. Upgrade TopicKit or save the model again.");
        }

        return manifest;
    }

    /// <summary>The format name of a manifest read by <see cref="ReadManifest"/>.</summary>
    public static string FormatOf(JsonObject manifest) => manifest["format"]!.GetValue<string>();

    /// <summary>Deserialises a required property of a manifest.</summary>
    public static T Get<T>(JsonObject manifest, string name, string path)
    {
        var node = manifest[name] ?? throw new ModelFormatException($"{path} is damaged: '{name}' is missing.");
        try
        {
            return node.Deserialize<T>(Json) ?? throw new ModelFormatException($"{path} is damaged: '{name}' is null.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ModelFormatException($"{path} is damaged: '{name}' cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>Serialises a value for a manifest property.</summary>
    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Json);

    /// <summary>Reads a float32 array and checks its shape (<paramref name="columns"/> -1 accepts any).</summary>
    public static Matrix ReadArray(string path, int rows, int columns)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"the saved model is incomplete: {path} is missing.");
        }

        Matrix matrix;
        try
        {
            matrix = NpyFile.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or FormatException)
        {
            throw new ModelFormatException($"{path} is damaged: {e.Message}", e);
        }

        if ((rows >= 0 && matrix.Rows != rows) || (columns >= 0 && matrix.Columns != columns))
        {
            throw new ModelFormatException(
                $"{path} is damaged: its shape is {matrix.Rows} x {matrix.Columns}, the manifest says {rows} x {(columns < 0 ? "any" : columns.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
        }

        return matrix;
    }

    /// <summary>Labels stored as one float32 column (exact for |label| &lt; 2^24).</summary>
    public static Matrix LabelColumn(IReadOnlyList<int> labels)
    {
        var data = new float[labels.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = labels[i];
        }

        return new Matrix(data, data.Length, 1);
    }

    /// <summary>Reads labels written by <see cref="LabelColumn"/>, checking that every value is a whole number of at least -1.</summary>
    public static int[] ReadLabels(string path, int rows)
    {
        var m = ReadArray(path, rows, 1);
        var labels = new int[m.Rows];
        for (var i = 0; i < labels.Length; i++)
        {
            var v = m.Data[i];
            if (v < -1 || v != MathF.Round(v))
            {
                throw new ModelFormatException($"{path} is damaged: row {i} holds {v}, not a label.");
            }

            labels[i] = (int)v;
        }

        return labels;
    }
}
