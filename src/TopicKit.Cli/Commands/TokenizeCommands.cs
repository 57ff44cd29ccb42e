using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Text;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit tokenize</c>: writes the token ids each text is fed to the model with.</summary>
public static class TokenizeCommands
{
    private const int ChunkLines = 2048;
    private const int SerialBelow = 64;

    /// <summary>Builds the <c>tokenize</c> command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder (tokenizer.json or vocab.txt for WordPiece, vocab.json for SentencePiece).", Required = true };
        var input = new Option<string>("--input") { Description = "JSONL file, one object per line holding the text.", Required = true };
        var field = new Option<string>("--field") { Description = "Name of the field holding the text.", DefaultValueFactory = _ => "text" };
        var output = new Option<string>("--out") { Description = "JSONL file to write: {\"id\": <input id if present>, \"ids\": [...]} per input line.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };

        var command = new Command("tokenize", "Tokenize texts exactly as the model receives them (special tokens added, truncated to its maximum length).");
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(field);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(model),
            parseResult.GetRequiredValue(input),
            parseResult.GetValue(field) ?? "text",
            parseResult.GetRequiredValue(output),
            parseResult.GetValue(json),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the command; returns the exit code (0 success, 1 bad input or model).</summary>
    internal static int Run(string model, string input, string field, string output, bool json, TextWriter stdout, TextWriter stderr)
    {
        var temporary = output + ".partial";
        try
        {
            var tokenizer = TokenizerLoader.FromModelFolder(model);
            if (!File.Exists(input))
            {
                throw new FileNotFoundException($"Input file '{input}' does not exist.", input);
            }

            var clock = Stopwatch.StartNew();
            var stats = Tokenize(tokenizer, input, field, temporary);
            File.Move(temporary, output, overwrite: true);
            clock.Stop();
            Report(tokenizer, output, stats, clock.Elapsed.TotalSeconds, json, stdout);
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            TryDelete(temporary);
            stderr.WriteLine($"topickit tokenize: {e.Message}");
            return 1;
        }
    }

    private static (int Texts, long Ids, int Truncated) Tokenize(ITokenizer tokenizer, string input, string field, string outputPath)
    {
        var texts = new List<string>(ChunkLines);
        var ids = new List<string?>(ChunkLines);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var (count, total, truncated) = (0, 0L, 0);
        using var reader = new StreamReader(input);
        using var outStream = File.Create(outputPath);
        var lineNumber = 0;
        while (true)
        {
            texts.Clear();
            ids.Clear();
            string? line;
            while (texts.Count < ChunkLines && (line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var (text, id) = ParseLine(line, lineNumber, input, field);
                texts.Add(text);
                ids.Add(id);
            }

            if (texts.Count == 0)
            {
                break;
            }

            var encoded = new int[texts.Count][];
            var wasTruncated = new bool[texts.Count];
            void EncodeOne(int i)
            {
                encoded[i] = tokenizer.Encode(texts[i]);
                wasTruncated[i] = encoded[i].Length == tokenizer.MaxLength && tokenizer.CountTokens(texts[i]) > tokenizer.MaxLength;
            }

            if (texts.Count < SerialBelow)
            {
                for (var i = 0; i < texts.Count; i++)
                {
                    EncodeOne(i);
                }
            }
            else
            {
                Parallel.For(0, texts.Count, EncodeOne);
            }

            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
            {
                for (var i = 0; i < texts.Count; i++)
                {
                    WriteRow(writer, ids[i], encoded[i]);
                    writer.Flush();
                    buffer.Write("\n"u8);
                    writer.Reset();
                    total += encoded[i].Length;
                    truncated += wasTruncated[i] ? 1 : 0;
                }
            }

            outStream.Write(buffer.WrittenSpan);
            count += texts.Count;
        }

        return (count, total, truncated);
    }

    /// <summary>The text field and raw id of one JSONL line; errors name the file and line.</summary>
    internal static (string Text, string? RawId) ParseLine(string line, int lineNumber, string input, string field)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{input} line {lineNumber}: not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{input} line {lineNumber}: expected a JSON object, found {root.ValueKind}.");
            }

            if (!root.TryGetProperty(field, out var value))
            {
                throw new InvalidDataException($"{input} line {lineNumber}: no \"{field}\" field (choose the text field with --field).");
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{input} line {lineNumber}: field \"{field}\" is {value.ValueKind}, not a string.");
            }

            var id = root.TryGetProperty("id", out var idElement) ? idElement.GetRawText() : null;
            try
            {
                return (value.GetString()!, id);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json refuses lone surrogate escapes such as "\ud800": no valid text can be recovered from them.
                throw new InvalidDataException($"{input} line {lineNumber}: field \"{field}\" is not valid UTF-16 text (a lone surrogate escape such as \\ud800); fix or drop that line.", e);
            }
        }
    }

    private static void WriteRow(Utf8JsonWriter writer, string? rawId, int[] ids)
    {
        writer.WriteStartObject();
        if (rawId is not null)
        {
            writer.WritePropertyName("id");
            writer.WriteRawValue(rawId, skipInputValidation: true);
        }

        writer.WriteStartArray("ids");
        foreach (var id in ids)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Report(ITokenizer tokenizer, string output, (int Texts, long Ids, int Truncated) stats, double seconds, bool json, TextWriter stdout)
    {
        var rate = stats.Texts / Math.Max(seconds, 1e-9);
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new
            {
                texts = stats.Texts,
                ids = stats.Ids,
                truncated = stats.Truncated,
                tokenizer = tokenizer.GetType().Name,
                maxLength = tokenizer.MaxLength,
                seconds = Math.Round(seconds, 3),
                textsPerSecond = Math.Round(rate),
                output,
            }));
            return;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Tokenized {stats.Texts:N0} texts with {tokenizer.GetType().Name} (max length {tokenizer.MaxLength}): {stats.Ids:N0} ids, {stats.Truncated:N0} truncated, {seconds:F2} s ({rate:N0} texts/s) -> {output}"));
    }

    /// <summary>Deletes a leftover temporary file, ignoring I/O errors.</summary>
    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The temporary file is only a leftover; the error being reported matters more.
        }
    }
}
