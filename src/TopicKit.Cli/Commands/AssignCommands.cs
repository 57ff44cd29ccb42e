using System.CommandLine;
using Spectre.Console;
using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Pipeline;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit assign FILES --model-dir DIR</c>: each document's topic from a saved topic model, no workspace needed.</summary>
internal static class AssignCommands
{
    public static Command Create()
    {
        var command = new Command("assign", "Assign the documents of FILES to the topics of a saved model (OUT/model of `topickit run`); no workspace needed.");
        var files = new Argument<string[]>("files") { Description = "Corpus files or globs, read as ingest reads them.", Arity = ArgumentArity.OneOrMore };
        var modelDir = new Option<string>("--model-dir") { Description = "The saved topic model folder (e.g. topickit-report/model).", Required = true, HelpName = "DIR" };
        var format = IngestCommands.CreateFormatOption();
        var json = SharedOptions.Json();
        command.Arguments.Add(files);
        command.Options.Add(modelDir);
        command.Options.Add(format);
        command.Options.Add(json);
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var expansions = InputFiles.Expand(parseResult.GetValue(files) ?? [], Environment.CurrentDirectory);
            if (expansions.FirstOrDefault(e => e.Error is not null || e.Files.Count == 0) is { } missing)
            {
                throw new FileNotFoundException(missing.Error ?? $"{missing.Argument}: no such file; nothing was assigned.");
            }

            var model = TopicModel.Load(parseResult.GetValue(modelDir)!, cancellationToken: cancellationToken);
            CorpusFormatNames.TryParse(parseResult.GetValue(format), out var corpusFormat);
            var documents = new List<Document>();
            foreach (var path in expansions.SelectMany(e => e.Files))
            {
                documents.AddRange(await CorpusReader.ReadAllAsync(path, new CorpusReadOptions { Format = corpusFormat }, cancellationToken).ConfigureAwait(false));
            }

            var prediction = model.Transform([.. documents.Select(d => EmbeddingText.For(d, EmbeddingTextField.TitleAbstract))], cancellationToken);
            var rows = documents.Select((d, i) => new AssignJson(d.Id, prediction.Topics[i], Math.Round(prediction.Probabilities[i], 4))).ToArray();
            if (parseResult.GetValue(json))
            {
                CliJson.Write(parseResult.InvocationConfiguration.Output, rows, c => c.AssignJsonArray);
                return ExitCodes.Ok;
            }

            var labels = model.Topics.ToDictionary(t => t.Id, t => t.Label);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Id").AddColumn(new TableColumn("Topic").RightAligned())
                .AddColumn(new TableColumn("Probability").RightAligned()).AddColumn("Label");
            foreach (var row in rows)
            {
                table.AddRow(Markup.Escape(row.Id), $"{row.Topic}", $"{row.Probability:0.00}", Markup.Escape(row.Topic < 0 ? "(outlier)" : labels.GetValueOrDefault(row.Topic, string.Empty)));
            }

            CliSupport.Stdout(parseResult).Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>One document's topic (the <c>assign --json</c> contract).</summary>
internal sealed record AssignJson(string Id, int Topic, double Probability);
