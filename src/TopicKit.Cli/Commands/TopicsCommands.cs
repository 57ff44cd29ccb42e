using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit topics</c>: keywords, labels and representative documents of labelled workspace documents.</summary>
internal static class TopicsCommands
{
    // Details are in README.md ("Topics"); help keeps to one line.
    private const string Help = "Topic keywords (BERTopic's c-TF-IDF), labels and representative documents for a cluster run or a doc_id,label CSV.";

    public static Command Create()
    {
        var workspace = CliSupport.WorkspaceOption();
        var run = new Option<long?>("--run") { Description = "Take the labels of this cluster run (default: the latest).", HelpName = "N" };
        var labels = new Option<FileInfo?>("--labels") { Description = "Take the labels from a CSV with the columns doc_id,label.", HelpName = "FILE.csv" };
        var representation = new Option<string>("--representation") { Description = "ctfidf, mmr or keybert.", DefaultValueFactory = _ => "ctfidf" };
        representation.AcceptOnlyFromAmong("ctfidf", "mmr", "keybert");
        var model = new Option<string?>("--model") { Description = "Word encoder for mmr/keybert: a model name or folder, or lexical (default: as topickit embed chooses).", HelpName = "NAME" };
        var diversity = new Option<double>("--diversity") { Description = "MMR diversity, 0..1.", DefaultValueFactory = _ => 0.1 };
        var topN = new Option<int>("--top-n") { Description = "Keywords per topic.", DefaultValueFactory = _ => 10 };
        var ngram = new Option<string>("--ngram") { Description = "N-gram range A..B.", DefaultValueFactory = _ => "1..1", HelpName = "A..B" };
        var minDf = new Option<int>("--min-df") { Description = "Drop terms found in fewer documents.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var stopWords = new Option<string>("--stop-words") { Description = "english, none, or a file with one word per line.", DefaultValueFactory = _ => "english", HelpName = "english|none|FILE" };
        var bm25 = new Option<bool>("--bm25") { Description = "BM25 idf (BERTopic's bm25_weighting)." };
        var reduceFrequent = new Option<bool>("--reduce-frequent-words") { Description = "Square root of the term frequency (BERTopic's reduce_frequent_words)." };
        var reduceOutliers = new Option<string?>("--reduce-outliers") { Description = "Give outliers a topic by ctfidf, embeddings or probabilities similarity." };
        reduceOutliers.AcceptOnlyFromAmong("ctfidf", "embeddings", "probabilities");
        var threshold = new Option<double>("--threshold") { Description = "Outliers move only at this similarity or probability or more.", DefaultValueFactory = _ => 0.0, HelpName = "T" };
        var probabilities = new Option<FileInfo?>("--probabilities") { Description = "Documents x topics probabilities (.npy or .csv) for --reduce-outliers probabilities.", HelpName = "FILE" };
        var reduceTo = new Option<string?>("--reduce-to") { Description = "Merge similar topics down to N, or auto.", HelpName = "N|auto" };
        var merge = new Option<string?>("--merge") { Description = "Merge groups of topic ids, e.g. \"1,2;5,7\".", HelpName = "GROUPS" };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write id,size,label,keywords,representative_ids here.", HelpName = "topics.csv" };
        var json = CliSupport.JsonOption();
        var wait = CliSupport.WaitOption();

        var command = new Command("topics", Help);
        foreach (var option in new Option[]
                 {
                     workspace, run, labels, representation, model, diversity, topN, ngram, minDf, stopWords, bm25, reduceFrequent, reduceOutliers, threshold,
                     probabilities, reduceTo, merge, output, json, wait,
                 })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => TopicsRun.Guard(parseResult, cancellationToken, () =>
        {
            var request = new TopicsRequest(
                new ClassTfidfOptions(
                    NgramMin: ParseRange(parseResult.GetValue(ngram)!).Min,
                    NgramMax: ParseRange(parseResult.GetValue(ngram)!).Max,
                    MinDocumentFrequency: parseResult.GetValue(minDf),
                    StopWords: StopWordList.Parse(parseResult.GetValue(stopWords)!),
                    TopN: parseResult.GetValue(topN),
                    Bm25Weighting: parseResult.GetValue(bm25),
                    ReduceFrequentWords: parseResult.GetValue(reduceFrequent)),
                parseResult.GetValue(representation)!,
                parseResult.GetValue(model),
                parseResult.GetValue(diversity),
                parseResult.GetValue(run),
                parseResult.GetValue(labels),
                parseResult.GetValue(reduceOutliers),
                parseResult.GetValue(threshold),
                parseResult.GetValue(probabilities),
                parseResult.GetValue(reduceTo),
                parseResult.GetValue(merge),
                parseResult.GetValue(output),
                parseResult.GetValue(json));
            using var ws = TopicsRun.Open(parseResult, workspace, wait);
            return TopicsRun.Execute(parseResult, ws, request, cancellationToken);
        }));

        command.Subcommands.Add(TopicsSubcommands.Hierarchy());
        command.Subcommands.Add(TopicsSubcommands.OverTime());
        command.Subcommands.Add(TopicsSubcommands.Evaluate());
        return command;
    }

    /// <summary>Parses <c>A..B</c> into an inclusive n-gram range.</summary>
    internal static (int Min, int Max) ParseRange(string text)
    {
        var parts = text.Split("..", 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            return (min, max);
        }

        throw new ArgumentException($"--ngram '{text}' is not a range; write A..B, e.g. 1..2.");
    }

    /// <summary>Parses <c>"1,2;5,7"</c> into groups of topic ids.</summary>
    internal static IReadOnlyList<IReadOnlyList<int>> ParseGroups(string text)
    {
        var groups = new List<IReadOnlyList<int>>();
        foreach (var group in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ids = new List<int>();
            foreach (var part in group.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                ids.Add(int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
                    ? id
                    : throw new ArgumentException($"--merge '{text}': '{part}' is not a topic id; write groups like \"1,2;5,7\"."));
            }

            if (ids.Count < 2)
            {
                throw new ArgumentException($"--merge '{text}': the group '{group}' has fewer than two topics.");
            }

            groups.Add(ids);
        }

        return groups;
    }

    /// <summary>What the handler asks the library for.</summary>
    internal sealed record TopicsRequest(
        ClassTfidfOptions Options, string Representation, string? Model, double Diversity, long? Run, FileInfo? Labels, string? ReduceOutliers,
        double Threshold, FileInfo? Probabilities, string? ReduceTo, string? Merge, FileInfo? Output, bool Json);
}
