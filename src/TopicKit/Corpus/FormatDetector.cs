using System.Buffers;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace TopicKit.Corpus;

/// <summary>
/// Content-based format detection over the first 64 KiB of a file. Rules, first match wins:
/// <list type="number">
/// <item>First non-blank character <c>{</c>, or <c>[</c> followed by <c>{</c>, <c>"</c> or <c>]</c>, or the sample is
/// otherwise valid JSON (<c>42</c>, <c>[1,2]</c>): <see cref="CorpusFormat.Json"/>.</item>
/// <item>A line starting with <c>@type{</c> or <c>@type(</c>: <see cref="CorpusFormat.Bibtex"/>.</item>
/// <item><c>·</c> lines together with <c>• N authors</c> lines or the "Daily Papers" chrome: <see cref="CorpusFormat.HfDailyPapers"/>.</item>
/// <item>First non-blank line starts with <c>Abstract:</c> or <c>Title:</c>: <see cref="CorpusFormat.AbstractLines"/>.</item>
/// <item>First non-blank line is a publication-list metadata line (<c>77.1LGMay 16</c>): <see cref="CorpusFormat.PublicationList"/>.</item>
/// <item>The first line is a header naming an abstract-like column (or the extension is .csv/.tsv) and splits on
/// tabs or commas: <see cref="CorpusFormat.Tsv"/> or <see cref="CorpusFormat.Csv"/> (more tabs than commas, or a .tsv/.tab extension, means TSV).</item>
/// <item>Otherwise <see cref="CorpusFormat.PlainText"/>.</item>
/// </list>
/// </summary>
internal static partial class FormatDetector
{
    private const int SampleBytes = 64 * 1024;

    private static readonly string[] HeaderWords =
        ["abstract", "summary", "summaries", "text", "title", "titles", "authors", "categories", "terms"];

    public static CorpusFormat Detect(string path)
    {
        var (text, complete) = Sample(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length == 0)
        {
            throw new CorpusFormatException(path, null, null, "the file is empty (no text)", "pass a file that contains paper records");
        }

        // "[" alone could start a plain-text reference list ("[1] ..."): require an array of objects.
        if (trimmed[0] == '{' || (trimmed[0] == '[' && (trimmed.Length == 1 || trimmed[1..].TrimStart() is [] or ['{', ..] or [']', ..] or ['"', ..])))
        {
            return CorpusFormat.Json;
        }

        // Any other valid JSON (a number, an array of numbers, deep nesting) is JSON that holds no paper objects: the
        // JSON reader reports it, instead of plain text ingesting it as one document.
        if (IsJsonStart(trimmed[0]) && IsValidJson(text, complete))
        {
            return CorpusFormat.Json;
        }

        if (BibEntry().IsMatch(text))
        {
            return CorpusFormat.Bibtex;
        }

        var lines = text.Split('\n');
        if (lines.Length > 1 && text.Length == SampleBytes)
        {
            lines = lines[..^1]; // the last sampled line may be cut short
        }

        if (HfDailyPapersReader.LooksLikeListing(lines))
        {
            return CorpusFormat.HfDailyPapers;
        }

        var first = lines.Select(l => l.Trim()).First(l => l.Length > 0);
        if (first.StartsWith("abstract:", StringComparison.OrdinalIgnoreCase) || first.StartsWith("title:", StringComparison.OrdinalIgnoreCase))
        {
            return CorpusFormat.AbstractLines;
        }

        if (PublicationListReader.IsMetadataLine(first))
        {
            return CorpusFormat.PublicationList;
        }

        var header = first.ToLowerInvariant();
        var tabs = header.Count(c => c == '\t');
        var commas = header.Count(c => c == ',');
        var tabExt = ext is ".tsv" or ".tab";
        var csvExt = ext == ".csv";
        if (tabs + commas > 0 || tabExt || csvExt)
        {
            var useTabs = tabExt || (!csvExt && tabs > commas);
            var cells = header.Split(useTabs ? '\t' : ',').Select(c => c.Trim().Trim('"').Trim()).ToArray();
            if (tabExt || csvExt || cells.Any(c => HeaderWords.Contains(c)))
            {
                return useTabs ? CorpusFormat.Tsv : CorpusFormat.Csv;
            }
        }

        return CorpusFormat.PlainText;
    }

    private static bool IsJsonStart(char c) => c is '[' or '"' or '-' or 't' or 'f' or 'n' || char.IsAsciiDigit(c);

    /// <summary>Whether the sample is a sequence of valid JSON values (a valid prefix of one when the file is longer).</summary>
    private static bool IsValidJson(string text, bool complete)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        // Utf8JsonReader tracks depth in a bit stack, not on the call stack, so a huge MaxDepth is safe.
        var reader = new System.Text.Json.Utf8JsonReader(bytes.AsSpan(start), complete, new System.Text.Json.JsonReaderState(
            new System.Text.Json.JsonReaderOptions { MaxDepth = int.MaxValue, AllowMultipleValues = true, AllowTrailingCommas = true }));
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static (string Text, bool Complete) Sample(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var bytes = ArrayPool<byte>.Shared.Rent(SampleBytes);
        var chars = ArrayPool<char>.Shared.Rent(SampleBytes);
        try
        {
            var n = stream.ReadAtLeast(bytes.AsSpan(0, SampleBytes), SampleBytes, throwOnEndOfStream: false);
            var input = bytes.AsSpan(0, n);
            if (n == 0)
            {
                throw new CorpusFormatException(path, null, null, "the file is empty (0 bytes)", "pass a file that contains paper records");
            }

            if (n >= 2 && ((input[0] == 0xFF && input[1] == 0xFE) || (input[0] == 0xFE && input[1] == 0xFF)))
            {
                throw new CorpusFormatException(path, 1, null, "the file is UTF-16 encoded (byte-order mark found)",
                    "save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
            }

            if (n >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF)
            {
                input = input[3..];
            }

            var isFinal = n < SampleBytes;
            var status = Utf8.ToUtf16(input, chars, out var read, out var written, replaceInvalidSequences: false, isFinalBlock: isFinal);
            var decoded = chars.AsSpan(0, written);
            var nul = decoded.IndexOf('\0');
            if (nul >= 0)
            {
                throw new CorpusFormatException(path, decoded[..nul].Count('\n') + 1, null,
                    "the file contains NUL bytes, so it is binary, not text",
                    "pass a UTF-8 text file (CSV, TSV, JSON, BibTeX or a saved listing page)");
            }

            if (status == OperationStatus.InvalidData)
            {
                throw new CorpusFormatException(path, decoded.Count('\n') + 1, null,
                    $"invalid UTF-8 (byte 0x{input[read]:X2} at byte offset {read + (n - input.Length)})",
                    "re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 in > out)");
            }

            return (decoded.ToString(), isFinal);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    [GeneratedRegex(@"^\s*@[A-Za-z]+\s*[{(]", RegexOptions.Multiline)]
    private static partial Regex BibEntry();
}
