using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Pipeline;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit encode</c>: the script contract, JSONL texts in, a float32 <c>.npy</c> matrix out, nothing cached.</summary>
internal static class EncodeCommands
{
    public static Command Create()
    {
        var model = SharedOptions.Model("Required; 'lexical' is fitted on the input texts themselves.");
        model.Required = true;
        var input = new Option<string>("--input") { Description = "JSONL file, one object per line holding the text.", Required = true, HelpName = "FILE" };
        var field = new Option<string>("--field") { Description = "Name of the field holding the text.", DefaultValueFactory = _ => "text" };
        var output = SharedOptions.Out("The .npy file to write: float32, C order, shape [lines, dim].", required: true);
        var dim = EmbeddingModels.DimOption();
        var batchTokens = EmbeddingModels.BatchTokensOption();
        var threads = EmbeddingModels.ThreadsOption();
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var json = SharedOptions.Json();
        var command = new Command("encode", "Encode a field of each JSONL line, in order and exactly as given (no prefix or title), into a float32 .npy matrix.")
        {
            model, input, field, output, dim, batchTokens, threads, modelsDir, json,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            var outPath = parseResult.GetRequiredValue(output)!;
            var inputPath = parseResult.GetRequiredValue(input);
            var store = EmbeddingModels.Store(parseResult.GetValue(modelsDir));
            var choice = ModelSelection.Resolve(parseResult.GetRequiredValue(model), store);
            var texts = ReadTexts(inputPath, parseResult.GetValue(field) ?? "text");
            var clock = Stopwatch.StartNew();
            Matrix vectors;
            string modelId;
            if (choice.IsLexical)
            {
                var lexical = LexicalEncoder.Fit(texts, new LexicalEncoderOptions(parseResult.GetValue(dim)), cancellationToken);
                if (lexical.DimensionNotice(parseResult.GetValue(dim)) is { } notice)
                {
                    parseResult.InvocationConfiguration.Error.WriteLine("topickit: " + notice + ".");
                }

                vectors = lexical.Encode(texts, cancellationToken);
                modelId = lexical.ModelId;
            }
            else
            {
                var options = new SentenceEncoderOptions { TokenBudget = parseResult.GetValue(batchTokens), Threads = parseResult.GetValue(threads), Prefix = string.Empty };
                using var encoder = ModelSelection.LoadOnnx(choice, store, options);
                vectors = encoder.Encode(texts, cancellationToken);
                modelId = encoder.ModelId;
            }

            AtomicFile.Write(outPath, path => NpyFile.Write(path, vectors));
            clock.Stop();
            Report(parseResult.InvocationConfiguration.Output, parseResult.GetValue(json), vectors, modelId, clock.Elapsed.TotalSeconds, outPath);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<string> ReadTexts(string input, string field)
    {
        if (!File.Exists(input))
        {
            throw new FileNotFoundException($"input file '{input}' does not exist.", input);
        }

        var texts = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(input))
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                texts.Add(TokenizeCommands.ParseLine(line, lineNumber, input, field).Text);
            }
        }

        return texts;
    }

    private static void Report(TextWriter stdout, bool json, Matrix vectors, string modelId, double seconds, string output)
    {
        var rate = vectors.Rows / Math.Max(seconds, 1e-9);
        if (json)
        {
            CliJson.Write(stdout, new EncodeJson(vectors.Rows, vectors.Columns, modelId, CliJson.Seconds(seconds), Math.Round(rate, 1), output), c => c.EncodeJson);
            return;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Encoded {vectors.Rows:N0} texts with {modelId} into [{vectors.Rows}, {vectors.Columns}] float32 in {seconds:F2} s ({rate:N0} texts/s) -> {output}"));
    }
}

/// <summary><c>encode --json</c>.</summary>
internal sealed record EncodeJson(int Rows, int Dim, string ModelId, double Seconds, double TextsPerSecond, string Output);
