using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Numerics;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit encode</c>: the script contract, JSONL texts in, a float32 <c>.npy</c> matrix out, nothing cached.</summary>
internal static class EncodeCommands
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "Registry model name, model folder path, or 'lexical' (fitted on the input texts themselves).",
            Required = true,
            HelpName = "NAME|PATH|lexical",
        };
        var input = new Option<string>("--input") { Description = "JSONL file, one object per line holding the text.", Required = true, HelpName = "FILE" };
        var field = new Option<string>("--field") { Description = "Name of the field holding the text.", DefaultValueFactory = _ => "text" };
        var output = new Option<string>("--out") { Description = "The .npy file to write: float32, C order, shape [lines, dim].", Required = true, HelpName = "FILE" };
        var dim = EmbeddingModels.DimOption();
        var batchTokens = EmbeddingModels.BatchTokensOption();
        var threads = EmbeddingModels.ThreadsOption();
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object (rows, dim, modelId, seconds, textsPerSecond)." };
        var command = new Command(
            "encode",
            "Encode the given field of each JSONL line, in input order and exactly as given (no prefix or title added), "
            + "into a float32 .npy matrix. Blank lines are skipped.")
        {
            model, input, field, output, dim, batchTokens, threads, modelsDir, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            if (!EmbeddingModels.CheckMinimum(parseResult, (batchTokens, 1), (threads, 0), (dim, 1)))
            {
                return Task.FromResult(ExitCodes.Usage);
            }

            // Off the invoking thread, so System.CommandLine's Ctrl+C handler is installed and the token fires (see embed).
            return Task.Run(() => Run(
                parseResult,
                parseResult.GetRequiredValue(model),
                parseResult.GetRequiredValue(input),
                parseResult.GetValue(field) ?? "text",
                parseResult.GetRequiredValue(output),
                parseResult.GetValue(dim),
                new SentenceEncoderOptions { TokenBudget = parseResult.GetValue(batchTokens), Threads = parseResult.GetValue(threads), Prefix = string.Empty },
                parseResult.GetValue(modelsDir),
                parseResult.GetValue(json),
                cancellationToken), CancellationToken.None);
        });
        return command;
    }

    private static int Run(
        ParseResult parseResult, string model, string input, string field, string output, int dimension,
        SentenceEncoderOptions encoderOptions, string? modelsDir, bool json, CancellationToken cancellationToken)
    {
        var temporary = output + ".partial";
        try
        {
            var store = EmbeddingModels.Store(modelsDir);
            var choice = EmbeddingModels.Choose(model, store);
            var texts = ReadTexts(input, field);
            var clock = Stopwatch.StartNew();
            Matrix vectors;
            string modelId;
            if (choice.IsLexical)
            {
                var lexical = LexicalEncoder.Fit(texts, new LexicalEncoderOptions(dimension), cancellationToken);
                if (lexical.DimensionNotice(dimension) is { } notice)
                {
                    parseResult.InvocationConfiguration.Error.WriteLine("topickit: " + notice + ".");
                }
                vectors = lexical.Encode(texts, cancellationToken);
                modelId = lexical.ModelId;
            }
            else
            {
                using var encoder = EmbeddingModels.LoadOnnx(choice, store, encoderOptions);
                vectors = encoder.Encode(texts, cancellationToken);
                modelId = encoder.ModelId;
            }

            NpyFile.Write(temporary, vectors);
            File.Move(temporary, output, overwrite: true);
            clock.Stop();
            Report(parseResult.InvocationConfiguration.Output, json, vectors, modelId, clock.Elapsed.TotalSeconds, output);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            TokenizeCommands.TryDelete(temporary);
            CliSupport.Error(parseResult, $"cancelled; {output} was not written.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            TokenizeCommands.TryDelete(temporary);
            return EmbeddingModels.Fail(parseResult, e);
        }
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
            stdout.WriteLine(JsonSerializer.Serialize(new
            {
                rows = vectors.Rows,
                dim = vectors.Columns,
                modelId,
                seconds = Math.Round(seconds, 3),
                textsPerSecond = Math.Round(rate, 1),
                output,
            }, EmbeddingModels.Json));
            return;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Encoded {vectors.Rows:N0} texts with {modelId} into [{vectors.Rows}, {vectors.Columns}] float32 in {seconds:F2} s ({rate:N0} texts/s) -> {output}"));
    }
}
