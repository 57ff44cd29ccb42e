using System.Text.Json;

namespace TopicKit.Text;

/// <summary>File helpers shared by the tokenizer loaders, with errors that name the folder and file.</summary>
internal static class ModelFolderFiles
{
    public static void RequireDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Model folder '{directory}' does not exist.");
        }
    }

    public static JsonDocument ReadJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    public static JsonDocument? TryReadJson(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        return File.Exists(path) ? ReadJson(path) : null;
    }
}
