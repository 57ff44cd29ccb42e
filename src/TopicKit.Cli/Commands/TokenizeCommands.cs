using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Pipeline;
using TopicKit.Text;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit tokenize</c>: writes the token ids each text is fed to the model with.</summary>
internal static class TokenizeCommands
{
    private const int ChunkLines = 2048;
    private const int SerialBelow = 64;

    /// <summary>Builds the <c>tokenize</c> command.</summary>
    public static Command Create()
    {
        var model = SharedOptions.Model("Required: the tokenizer of this model (tokenizer.json or vocab.txt, or vocab.json for SentencePiece).");
        model.Required = true;
        var input = new Option<string>("--input") { Description = "JSONL file, one object per line holding the text.", Required = true, HelpName = "FILE" };
        var field = new Option<string>("--field") { Description = "Name of the field holding the text.", DefaultValueFactory = _ => "text" };
        var output = SharedOptions.Out("JSONL file to write: {\"id\": <input id if present>, \"ids\": [...]} per input line.", required: true);
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var json = SharedOptions.Json();

        var command = new Command("tokenize", "Tokenize texts exactly as the model receives them (special tokens added, truncated to its maximum length).")
        {
            model, input, field, output, modelsDir, json,
        };
        command.SetHandler((parseResult, _) =>
        {
            var choice = ModelSelection.Resolve(parseResult.GetRequiredValue(model), EmbeddingModels.Store(parseResult.GetValue(modelsDir)));
            var folder = choice.Folder ?? throw new ArgumentException("the lexical encoder has no tokenizer; pass a model folder or a registry model name");
            var tokenizer = TokenizerLoader.FromModelFolder(folder);
            var inputPath = parseResult.GetRequiredValue(input);
            if (!File.Exists(inputPath))
            {
                throw new FileNotFoundException($"input file '{inputPath}' does not exist.", inputPath);
            }

            var outPath = parseResult.GetRequiredValue(output)!;
            var clock = Stopwatch.StartNew();
            (int Texts, long Ids, int Truncated) stats = default;
            AtomicFile.Write(outPath, path => stats = Tokenize(tokenizer, inputPath, parseResult.GetValue(field) ?? "text", path));
            clock.Stop();
            Report(tokenizer, outPath, stats, clock.Elapsed.TotalSeconds, parseResult.GetValue(json), parseResult.InvocationConfiguration.Output);
            return ExitCodes.Ok;
        });
        return command;
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
            CliJson.Write(stdout, new TokenizeJson(
                stats.Texts, stats.Ids, stats.Truncated, tokenizer.GetType().Name, tokenizer.MaxLength, CliJson.Seconds(seconds), Math.Round(rate), output),
                c => c.TokenizeJson);
            return;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Tokenized {stats.Texts:N0} texts with {tokenizer.GetType().Name} (max length {tokenizer.MaxLength}): {stats.Ids:N0} ids, {stats.Truncated:N0} truncated, {seconds:F2} s ({rate:N0} texts/s) -> {output}"));
    }
}

/// <summary><c>tokenize --json</c>.</summary>
internal sealed record TokenizeJson(int Texts, long Ids, int Truncated, string Tokenizer, int MaxLength, double Seconds, double TextsPerSecond, string Output);
