using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary>
/// The JSON contract of the workspace commands, written with <see cref="Utf8JsonWriter"/> (no reflection).
/// Field names and shapes are relied on by scripts: see README.md before changing them.
/// </summary>
internal static class WorkspaceJson
{
    private const int FlushBytes = 1 << 20;

    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes one JSON value and a newline to <paramref name="output"/>, streaming large values in chunks.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter, Action> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(buffer, Options);

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

    /// <summary><c>{id, title, abstract, authors[], date, categories[], source, position}</c>.</summary>
    public static void WriteDocument(Utf8JsonWriter writer, Document document)
    {
        writer.WriteStartObject();
        writer.WriteString("id", document.Id);
        writer.WriteString("title", document.Title);
        writer.WriteString("abstract", document.Abstract);
        WriteStrings(writer, "authors", document.Authors);
        if (document.Date is { } date)
        {
            writer.WriteString("date", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull("date");
        }

        WriteStrings(writer, "categories", document.Categories);
        writer.WriteString("source", document.Source);
        writer.WriteNumber("position", document.Position);
        writer.WriteEndObject();
    }

    public static void WriteDuplicateGroups(Utf8JsonWriter writer, string name, IReadOnlyList<IReadOnlyList<string>> groups)
    {
        writer.WriteStartArray(name);
        foreach (var group in groups)
        {
            writer.WriteStartArray();
            foreach (var id in group)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    public static void WriteStats(Utf8JsonWriter writer, CorpusStats stats)
    {
        writer.WriteStartObject();
        writer.WriteNumber("documents", stats.Documents);
        writer.WriteNumber("withTitle", stats.WithTitle);
        writer.WriteNumber("withoutTitle", stats.Documents - stats.WithTitle);
        writer.WriteNumber("withDate", stats.WithDate);
        writer.WriteNumber("withAuthors", stats.WithAuthors);
        writer.WriteNumber("withCategories", stats.WithCategories);
        writer.WriteNumber("averageAbstractWords", Math.Round(stats.AverageAbstractWords, 2));
        writer.WriteNumber("minAbstractWords", stats.MinAbstractWords);
        writer.WriteNumber("maxAbstractWords", stats.MaxAbstractWords);
        writer.WriteNumber("averageAuthors", Math.Round(stats.AverageAuthors, 2));
        writer.WriteNumber("distinctAuthors", stats.DistinctAuthors);
        writer.WriteNumber("duplicateGroups", stats.DuplicateGroups);
        writer.WriteNumber("documentsInDuplicateGroups", stats.DocumentsInDuplicateGroups);
        WriteCounts(writer, "bySource", stats.BySource);
        WriteCounts(writer, "byYear", stats.ByYear);
        WriteCounts(writer, "byPrimaryCategory", stats.ByPrimaryCategory);
        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, IReadOnlyList<CountEntry> entries)
    {
        writer.WriteStartObject(name);
        foreach (var entry in entries)
        {
            writer.WriteNumber(entry.Key, entry.Count);
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values ?? [])
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
