using System.Text.Json;
using System.Text.RegularExpressions;

namespace TopicKit.Bench;

/// <summary>Reading <c>{id, text}</c> JSONL files for the embedding benches.</summary>
internal static partial class EmbedTexts
{
    /// <summary>All (id, text) rows of a JSONL file.</summary>
    public static List<(string Id, string Text)> Read(string path)
    {
        var rows = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            rows.Add(ParseLine(path, lineNumber, line));
        }

        return rows;
    }

    /// <summary>
    /// The texts of <paramref name="path"/> repeated in file order until <paramref name="count"/> have been produced,
    /// re-reading the file each cycle so only one line is held at a time (as a streamed 100k-line file would be).
    /// </summary>
    public static IEnumerable<string> Cycle(string path, int count)
    {
        var produced = 0;
        while (produced < count)
        {
            var before = produced;
            var lineNumber = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                yield return ParseLine(path, lineNumber, line).Text;
                if (++produced == count)
                {
                    yield break;
                }
            }

            if (produced == before)
            {
                throw new InvalidDataException($"{path} holds no texts.");
            }
        }
    }

    /// <summary>Texts of the seed pages (ids <c>NNN-k</c>) of the embedding oracle texts, without the hand-made cases.</summary>
    public static List<(string Id, string Text)> SeedAbstracts(string oracleTexts) =>
        Read(oracleTexts).Where(r => SeedId().IsMatch(r.Id)).ToList();

    /// <summary>Writes rows as <c>{id, text}</c> JSONL (for the peer, which reads a file).</summary>
    public static void Write(string path, IEnumerable<(string Id, string Text)> rows)
    {
        using var writer = new StreamWriter(path);
        foreach (var (id, text) in rows)
        {
            writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["text"] = text }));
        }
    }

    private static (string Id, string Text) ParseLine(string path, int lineNumber, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (id, root.GetProperty("text").GetString() ?? string.Empty);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: not a JSON object with a string \"text\" field ({e.Message}).", e);
        }
    }

    [GeneratedRegex(@"^\d{3}-\d+$")]
    private static partial Regex SeedId();
}
