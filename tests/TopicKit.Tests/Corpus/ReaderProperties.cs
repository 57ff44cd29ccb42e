using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

/// <summary>A generated corpus file: its bytes, the format to read it with, and the ids it holds when intact.</summary>
public sealed record CorpusCase(string Kind, CorpusFormat Format, string Extension, byte[] Bytes, string[]? ExpectedIds)
{
    public override string ToString() =>
        $"{Kind} as {Format} ({Bytes.Length} bytes): {Encoding.UTF8.GetString(Bytes[..Math.Min(Bytes.Length, 300)])}";
}

/// <summary>A paper record as generated, before rendering into a format.</summary>
public sealed record PaperRecord(string Id, string Title, string Abstract);

/// <summary>
/// FsCheck generators for the reader properties: valid records in every format, the same files truncated at a random
/// byte or with random bytes changed, and plain random bytes under every reader.
/// </summary>
public static class CorpusArbitraries
{
    private static readonly string[] Words =
    [
        "graph", "neural", "speech", "protein", "quantum", "model", "data", "learning", "Über", "naïve", "日本語", "x²",
        "a,b", "say \"hi\"", "tab\there", "back\\slash", "50%", "C++", "{braced}", "e-mail@host", "[1]", "-", "null", "42",
    ];

    private static readonly char[] Noise = ['{', '}', '[', ']', '"', '\\', ',', '\n', '\r', '\t', '@', '=', ':', '\0', 'u', 'é', '\uD800'];

    private static readonly (CorpusFormat Format, string Extension)[] AllFormats =
    [
        (CorpusFormat.Auto, ".txt"), (CorpusFormat.Json, ".jsonl"), (CorpusFormat.Csv, ".csv"), (CorpusFormat.Tsv, ".tsv"),
        (CorpusFormat.Bibtex, ".bib"), (CorpusFormat.HfDailyPapers, ".txt"), (CorpusFormat.PublicationList, ".txt"),
        (CorpusFormat.AbstractLines, ".txt"), (CorpusFormat.PlainText, ".txt"),
    ];

    public static Arbitrary<CorpusCase> Cases() => Arb.From(Gen.Frequency(
        (3, Valid()),
        (3, Valid().SelectMany(Truncate)),
        (3, Valid().SelectMany(Mutate)),
        (2, RandomBytes())));

    /// <summary>Intact files in the formats whose ids can be predicted.</summary>
    public static Gen<CorpusCase> Valid() =>
        from records in Gen.NonEmptyListOf(Record()).Select(r => r.Take(12).ToArray())
        from kind in Gen.Elements("jsonl", "json-array", "csv", "tsv", "bibtex")
        select Render(kind, records);

    private static Gen<PaperRecord> Record() =>
        from id in Gen.Elements("p1", "p2", "p3", "x9", "key7")
        from title in Text(0, 6)
        from abstractText in Text(1, 25)
        select new PaperRecord(id, title, abstractText);

    private static Gen<string> Text(int min, int max) =>
        from count in Gen.Choose(min, max)
        from words in Gen.ArrayOf(Gen.Elements(Words), count)
        select string.Join(' ', words.Append(min > 0 ? "word" : string.Empty)).Trim();

    private static CorpusCase Render(string kind, PaperRecord[] records)
    {
        var text = new StringBuilder();
        var ids = records.Select(r => r.Id).ToArray();
        switch (kind)
        {
            case "jsonl":
                foreach (var r in records)
                {
                    text.Append(JsonSerializer.Serialize(new { id = r.Id, title = r.Title, @abstract = r.Abstract })).Append('\n');
                }

                return new CorpusCase(kind, CorpusFormat.Json, ".jsonl", Encoding.UTF8.GetBytes(text.ToString()), ids);
            case "json-array":
                var json = JsonSerializer.Serialize(records.Select(r => new { id = r.Id, title = r.Title, @abstract = r.Abstract }),
                    new JsonSerializerOptions { WriteIndented = true });
                return new CorpusCase(kind, CorpusFormat.Json, ".json", Encoding.UTF8.GetBytes(json), ids);
            case "csv" or "tsv":
                var separator = kind == "csv" ? "," : "\t";
                text.Append(string.Join(separator, "id", "title", "abstract")).Append('\n');
                foreach (var r in records)
                {
                    text.Append(string.Join(separator, Quote(r.Id), Quote(r.Title), Quote(r.Abstract))).Append('\n');
                }

                return new CorpusCase(kind, kind == "csv" ? CorpusFormat.Csv : CorpusFormat.Tsv, "." + kind, Encoding.UTF8.GetBytes(text.ToString()), ids);
            default:
                foreach (var r in records)
                {
                    text.Append(CultureInvariant($"@article{{{r.Id},\n  title = {{{Braceless(r.Title)}}},\n  abstract = {{{Braceless(r.Abstract)}}},\n}}\n\n"));
                }

                return new CorpusCase(kind, CorpusFormat.Bibtex, ".bib", Encoding.UTF8.GetBytes(text.ToString()), ids);
        }
    }

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Braceless(string s) => s.Replace("{", string.Empty, StringComparison.Ordinal).Replace("}", string.Empty, StringComparison.Ordinal);

    private static Gen<CorpusCase> Truncate(CorpusCase valid) =>
        from cut in Gen.Choose(0, Math.Max(0, valid.Bytes.Length - 1))
        from format in AnyReader(valid.Format)
        select valid with { Kind = valid.Kind + " truncated", Format = format, Bytes = valid.Bytes[..cut], ExpectedIds = null };

    private static Gen<CorpusCase> Mutate(CorpusCase valid) =>
        from edits in Gen.ArrayOf(Gen.Zip(Gen.Choose(0, Math.Max(0, valid.Bytes.Length - 1)), Gen.Elements(Noise)), 3)
        from format in AnyReader(valid.Format)
        select valid with { Kind = valid.Kind + " mutated", Format = format, Bytes = Apply(valid.Bytes, edits), ExpectedIds = null };

    /// <summary>Mostly the file's own format or detection, sometimes any other reader.</summary>
    private static Gen<CorpusFormat> AnyReader(CorpusFormat own) => Gen.Frequency(
        (2, Gen.Constant(own)), (2, Gen.Constant(CorpusFormat.Auto)), (1, Gen.Elements(AllFormats.Select(f => f.Format).ToArray())));

    private static byte[] Apply(byte[] bytes, (int, char)[] edits)
    {
        var list = bytes.ToList();
        foreach (var (at, c) in edits)
        {
            // A lone surrogate cannot be UTF-8 encoded; write it as the JSON escape that triggered issue 9.
            var insert = c == '\uD800' ? "\\ud800"u8.ToArray() : Encoding.UTF8.GetBytes(c.ToString());
            list.InsertRange(Math.Min(at, list.Count), insert);
        }

        return [.. list];
    }

    private static Gen<CorpusCase> RandomBytes() =>
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
        from format in Gen.Elements(AllFormats)
        select new CorpusCase("random bytes", format.Format, format.Extension, bytes, null);
}
