using System.Globalization;
using System.Text.Json;

namespace TopicKit.Embedding;

/// <summary>
/// Parses and validates a model manifest. Validation is strict because a manifest decides what gets written
/// to disk and which bytes are trusted: every problem names the manifest and the field.
/// </summary>
internal static class ModelManifestReader
{
    public static ModelManifest Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Model manifest '{source}' is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(source, "the top level must be a JSON object");
            }

            var name = RequiredString(root, "name", source);
            if (!IsValidName(name))
            {
                throw Bad(source, $"'name' must be lower-case letters, digits, '.', '-' or '_' (got '{name}')");
            }

            var poolingText = RequiredString(root, "pooling", source);
            var pooling = poolingText switch
            {
                "mean" => ModelPooling.Mean,
                "cls" => ModelPooling.Cls,
                _ => throw Bad(source, $"'pooling' must be \"mean\" or \"cls\" (got \"{poolingText}\")"),
            };

            var files = ParseFiles(root, source);
            var homepage = OptionalString(root, "homepage", source);
            return new ModelManifest
            {
                Name = name,
                Description = RequiredString(root, "description", source),
                Homepage = homepage is null ? null : HttpsUri(homepage, source, "homepage"),
                License = RequiredString(root, "license", source),
                Dimension = PositiveInt(root, "dimension", source),
                Pooling = pooling,
                Normalize = RequiredBool(root, "normalize", source),
                MaxLength = PositiveInt(root, "maxLength", source),
                QueryPrefix = OptionalString(root, "queryPrefix", source) ?? string.Empty,
                PassagePrefix = OptionalString(root, "passagePrefix", source) ?? string.Empty,
                Files = files,
            };
        }
    }

    internal static bool IsValidName(string name) =>
        name.Length is > 0 and <= 100 && name[0] is not ('.' or '-') &&
        name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_');

    internal static bool IsSha256Hex(string s) =>
        s.Length == 64 && s.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static List<ModelFile> ParseFiles(JsonElement root, string source)
    {
        if (!root.TryGetProperty("files", out var filesElement) || filesElement.ValueKind != JsonValueKind.Array)
        {
            throw Bad(source, "'files' must be an array");
        }

        var files = new List<ModelFile>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var f in filesElement.EnumerateArray())
        {
            var where = $"files[{index++}]";
            if (f.ValueKind != JsonValueKind.Object)
            {
                throw Bad(source, $"{where} must be an object");
            }

            var path = RequiredString(f, "path", source, where);
            if (!IsSafeRelativePath(path))
            {
                throw Bad(source, $"{where}.path '{path}' must be a relative path with forward slashes and no '..' segments");
            }

            if (!seen.Add(path))
            {
                throw Bad(source, $"{where}.path '{path}' is listed twice");
            }

            var url = HttpsUri(RequiredString(f, "url", source, where), source, where + ".url");
            long? size = null;
            if (f.TryGetProperty("size", out var sizeElement) && sizeElement.ValueKind != JsonValueKind.Null)
            {
                if (!sizeElement.TryGetInt64(out var s) || s < 0)
                {
                    throw Bad(source, $"{where}.size must be a non-negative integer or null");
                }

                size = s;
            }

            var sha = OptionalString(f, "sha256", source, where);
            if (sha is not null && !IsSha256Hex(sha))
            {
                throw Bad(source, $"{where}.sha256 must be 64 lower-case hex digits or null");
            }

            if ((size is null) != (sha is null))
            {
                throw Bad(source, $"{where} must give both size and sha256, or neither");
            }

            if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && sha is null)
            {
                // Model graphs are large and executed: they are never accepted unverified.
                throw Bad(source, $"{where} ('{path}') is an ONNX model and must pin its size and sha256");
            }

            files.Add(new ModelFile(path, url, size, sha));
        }

        if (!seen.Contains("model.onnx"))
        {
            throw Bad(source, "'files' must contain the ONNX graph with path \"model.onnx\"");
        }

        return files;
    }

    internal static bool IsSafeRelativePath(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains(':', StringComparison.Ordinal) &&
        path.Split('/').All(seg => seg.Length > 0 && seg != "." && seg != ".." && !seg.EndsWith(".partial", StringComparison.OrdinalIgnoreCase));

    private static Uri HttpsUri(string text, string source, string field)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw Bad(source, $"'{field}' must be an absolute https URL (got '{text}')");
        }

        return uri;
    }

    private static string RequiredString(JsonElement obj, string name, string source, string? where = null) =>
        OptionalString(obj, name, source, where) is { Length: > 0 } s
            ? s
            : throw Bad(source, $"'{Field(name, where)}' is required and must be a non-empty string");

    private static string? OptionalString(JsonElement obj, string name, string source, string? where = null)
    {
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.String
            ? e.GetString()
            : throw Bad(source, $"'{Field(name, where)}' must be a string");
    }

    private static int PositiveInt(JsonElement obj, string name, string source) =>
        obj.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && v > 0
            ? v
            : throw Bad(source, $"'{name}' is required and must be a positive integer");

    private static bool RequiredBool(JsonElement obj, string name, string source) =>
        obj.TryGetProperty(name, out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? e.GetBoolean()
            : throw Bad(source, $"'{name}' is required and must be true or false");

    private static string Field(string name, string? where) => where is null ? name : where + "." + name;

    private static InvalidDataException Bad(string source, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Model manifest '{source}': {problem}."));
}
