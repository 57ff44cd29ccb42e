using System.CommandLine;
using System.Globalization;
using System.Text;
using TopicKit.Pipeline;
using TopicKit.Topics;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit topics</c>: keywords, labels and representative documents of labelled workspace documents (the library's <see cref="TopicsJob"/>).</summary>
internal static class TopicsCommands
{
    // Details are in README.md ("Topics"); help keeps to one line.
    private const string Help = "Topic keywords (BERTopic's c-TF-IDF), labels and representative documents for a cluster run or a doc_id,label CSV.";

    public static Command Create()
    {
        var workspace = SharedOptions.Workspace();
        var run = SharedOptions.Run("Take the labels of this cluster run (default: the latest).");
        var labels = new Option<string?>("--labels") { Description = "Take the labels from a CSV with the columns doc_id,label.", HelpName = "FILE.csv" };
        var representation = new Option<string>("--representation") { Description = "ctfidf, mmr or keybert.", DefaultValueFactory = _ => "ctfidf" };
        representation.AcceptOnlyFromAmong("ctfidf", "mmr", "keybert");
        var model = SharedOptions.Model("The word encoder of mmr/keybert (default: as topickit embed chooses).");
        var diversity = SharedOptions.Double("--diversity", "MMR diversity.", 0.1, 0, 1);
        var topN = SharedOptions.Int("--top-n", "Keywords per topic.", 10, 1);
        var ngram = new Option<string>("--ngram") { Description = "N-gram range A..B.", DefaultValueFactory = _ => "1..1", HelpName = "A..B" };
        var minDf = SharedOptions.Int("--min-df", "Drop terms found in fewer documents.", 1, 1);
        var stopWords = new Option<string>("--stop-words") { Description = "english, none, or a file with one word per line.", DefaultValueFactory = _ => "english", HelpName = "english|none|FILE" };
        var bm25 = new Option<bool>("--bm25") { Description = "BM25 idf (BERTopic's bm25_weighting)." };
        var reduceFrequent = new Option<bool>("--reduce-frequent-words") { Description = "Square root of the term frequency (BERTopic's reduce_frequent_words)." };
        var reduceOutliers = new Option<string?>("--reduce-outliers") { Description = "Give outliers a topic by ctfidf, embeddings or probabilities similarity." };
        reduceOutliers.AcceptOnlyFromAmong("ctfidf", "embeddings", "probabilities");
        var threshold = SharedOptions.Double("--threshold", "Outliers move only at this similarity or probability or more.", 0.0, -1, 1, "T");
        var probabilities = new Option<string?>("--probabilities") { Description = "Documents x topics probabilities (.npy or .csv) for --reduce-outliers probabilities.", HelpName = "FILE" };
        var reduceTo = new Option<string?>("--reduce-to") { Description = "Merge similar topics down to N, or auto.", HelpName = "N|auto" };
        var merge = new Option<string?>("--merge") { Description = "Merge groups of topic ids, e.g. \"1,2;5,7\".", HelpName = "GROUPS" };
        var output = SharedOptions.Out("Write id,size,label,keywords,representative_ids here.");
        var json = SharedOptions.Json();
        var wait = SharedOptions.Wait();

        var command = new Command("topics", Help);
        foreach (var option in new Option[]
                 {
                     workspace, run, labels, representation, model, diversity, topN, ngram, minDf, stopWords, bm25, reduceFrequent, reduceOutliers, threshold,
                     probabilities, reduceTo, merge, output, json, wait,
                 })
        {
            command.Options.Add(option);
        }

        command.SetHandler((parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(run) is not null && parseResult.GetValue(labels) is not null)
            {
                throw new UsageException("give either --run or --labels, not both.");
            }

            var range = ParseRange(parseResult.GetValue(ngram)!);
            var request = new TopicsRequest(SharedOptions.ResolveWorkspace(parseResult, workspace))
            {
                Run = parseResult.GetValue(run),
                Labels = parseResult.GetValue(labels),
                Representation = new ClassTfidfOptions(
                    NgramMin: range.Min,
                    NgramMax: range.Max,
                    MinDocumentFrequency: parseResult.GetValue(minDf),
                    StopWords: StopWordList.Parse(parseResult.GetValue(stopWords)!),
                    TopN: parseResult.GetValue(topN),
                    Bm25Weighting: parseResult.GetValue(bm25),
                    ReduceFrequentWords: parseResult.GetValue(reduceFrequent)),
                Refinement = parseResult.GetValue(representation) switch { "mmr" => KeywordRefinement.Mmr, "keybert" => KeywordRefinement.KeyBert, _ => KeywordRefinement.ClassTfidf },
                Model = parseResult.GetValue(model),
                Diversity = parseResult.GetValue(diversity),
                Merge = parseResult.GetValue(merge) is { } groups ? ParseGroups(groups) : null,
                ReduceTo = parseResult.GetValue(reduceTo) is { } target ? ParseTarget(target) : null,
                ReduceOutliers = parseResult.GetValue(reduceOutliers) is { } strategy
                    ? new OutlierReductionOptions(
                        strategy switch { "embeddings" => OutlierStrategy.Embeddings, "probabilities" => OutlierStrategy.Probabilities, _ => OutlierStrategy.ClassTfidf },
                        parseResult.GetValue(threshold))
                    : null,
                Probabilities = parseResult.GetValue(probabilities),
                LockTimeout = SharedOptions.WaitTime(parseResult, wait),
            };
            var result = TopicsJob.Run(request, null, cancellationToken);
            var error = parseResult.InvocationConfiguration.Error;
            if (result.MergeMapping is { } merged)
            {
                error.WriteLine("topickit topics: merged; old -> new: " + Mapping(merged));
            }

            if (result.ReductionMapping is { } reduced)
            {
                error.WriteLine("topickit topics: reduced; old -> new: " + Mapping(reduced));
            }

            if (result.Outliers is { } o)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"topickit topics: outliers {o.Before} -> {o.After} ({o.Moved} moved, {parseResult.GetValue(reduceOutliers)}, threshold {request.ReduceOutliers!.Threshold})"));
            }

            var ids = result.Documents.Ids!;
            if (parseResult.GetValue(output) is { } path)
            {
                AtomicFile.Write(Path.GetFullPath(path), temporary => File.WriteAllText(temporary, Csv(result.Representation, ids), new UTF8Encoding(false)));
            }

            if (parseResult.GetValue(json))
            {
                CliJson.Write(parseResult.InvocationConfiguration.Output, TopicJson.From(result.Representation, ids), c => c.TopicJsonList);
            }
            else
            {
                Render(parseResult.InvocationConfiguration.Output, result);
            }

            return ExitCodes.Ok;
        });

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

    /// <summary>Makes untrusted text safe for a terminal: control characters become spaces.</summary>
    internal static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));

    private static TopicReductionTarget ParseTarget(string text) =>
        text == "auto" ? TopicReductionTarget.Auto
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? new TopicReductionTarget(n)
        : throw new ArgumentException($"--reduce-to '{text}': give a number of topics (1 or more) or auto.");

    private static string Mapping(IReadOnlyDictionary<int, int> mapping) =>
        string.Join(", ", mapping.Where(p => p.Key != -1).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}->{p.Value}")));

    private static string Csv(TopicRepresentation representation, IReadOnlyList<string> ids)
    {
        var sb = new StringBuilder("id,size,label,keywords,representative_ids\n");
        foreach (var t in representation.Topics)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{t.Id},{t.Size},{Quote(t.Label)},{Quote(string.Join(' ', t.Keywords.Select(k => k.Term)))},{Quote(string.Join(' ', t.RepresentativeDocuments.Select(d => ids[d])))}\n");
        }

        return sb.ToString();
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static void Render(TextWriter stdout, TopicsJobResult result)
    {
        var (representation, ids, evaluation) = (result.Representation, result.Documents.Ids!, result.Evaluation);
        stdout.WriteLine(Printable(string.Create(CultureInfo.InvariantCulture, $"topics run {result.Run.Id} from {result.Source}: {evaluation.Topics} topics, outliers {evaluation.OutlierShare:P1}")));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"diversity (top-25 unique share) {evaluation.Diversity:F3}   coherence (NPMI, top 10) {evaluation.Coherence:F3}"));
        stdout.WriteLine();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"id",5} {"size",6}  {"label",-40}  keywords"));
        foreach (var t in representation.Topics)
        {
            var label = Printable(t.Label);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t.Id,5} {t.Size,6}  {(label.Length > 40 ? label[..39] + "…" : label),-40}  {Printable(string.Join(", ", t.Keywords.Take(8).Select(k => k.Term)))}"));
            if (t.RepresentativeDocuments.Count > 0)
            {
                stdout.WriteLine(Printable($"{"",14}representative: {string.Join(", ", t.RepresentativeDocuments.Select(d => ids[d]))}"));
            }
        }
    }
}

/// <summary>One topic of <c>topics --json</c> (the script contract: <c>[{id, size, label, keywords: [{term, score}], representative_ids}]</c>).</summary>
internal sealed record TopicJson(int Id, int Size, string Label, IReadOnlyList<KeywordJson> Keywords, IReadOnlyList<string> RepresentativeIds)
{
    public static IReadOnlyList<TopicJson> From(TopicRepresentation representation, IReadOnlyList<string> ids) =>
        [.. representation.Topics.Select(t => new TopicJson(
            t.Id, t.Size, t.Label, KeywordJson.From(t.Keywords), [.. t.RepresentativeDocuments.Select(d => ids[d])]))];
}

/// <summary>A scored keyword in JSON.</summary>
internal sealed record KeywordJson(string Term, double Score)
{
    public static IReadOnlyList<KeywordJson> From(IEnumerable<TopicKeyword> keywords) => [.. keywords.Select(k => new KeywordJson(k.Term, k.Score))];
}
