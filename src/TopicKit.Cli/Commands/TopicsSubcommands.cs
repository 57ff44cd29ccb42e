using System.CommandLine;
using System.Globalization;
using TopicKit.Pipeline;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit topics hierarchy|over-time|evaluate</c>: read a stored run with topics (default the latest, <see cref="TopicRuns.Load"/>).</summary>
internal static class TopicsSubcommands
{
    public static Command Hierarchy()
    {
        var (workspace, run, wait) = Common();
        var format = new Option<string>("--format") { Description = "json or newick.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "newick");
        var vectors = new Option<string>("--vectors") { Description = "ctfidf or centroids (needs embeddings when the topics were made).", DefaultValueFactory = _ => "ctfidf" };
        vectors.AcceptOnlyFromAmong("ctfidf", "centroids");
        var command = new Command("hierarchy", "Ward linkage of the topics on 1 - cosine of their c-TF-IDF rows (or centroids), as JSON or Newick.")
        {
            workspace, run, format, vectors, wait,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            using var ws = Open(parseResult, workspace, wait);
            var stored = TopicRuns.Load(ws, parseResult.GetValue(run));
            var tree = TopicHierarchy.Build(stored.Representation, parseResult.GetValue(vectors) == "centroids" ? TopicVectorSource.Centroids : TopicVectorSource.ClassTfidf);
            parseResult.InvocationConfiguration.Output.WriteLine(parseResult.GetValue(format) == "newick" ? tree.ToNewick() : tree.ToJson());
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command OverTime()
    {
        var (workspace, run, wait) = Common();
        var bins = SharedOptions.OptionalInt("--bins", "Equal-width time bins (default: one per distinct date).", 1);
        var noGlobal = new Option<bool>("--no-global-tuning") { Description = "Do not average with the topic's global keywords." };
        var noEvolution = new Option<bool>("--no-evolution-tuning") { Description = "Do not average with the previous bin." };
        var json = SharedOptions.Json();
        var command = new Command("over-time", "Keywords and frequency of every topic per time bin (documents without a date are left out).")
        {
            workspace, run, bins, noGlobal, noEvolution, json, wait,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            using var ws = Open(parseResult, workspace, wait);
            var stored = TopicRuns.Load(ws, parseResult.GetValue(run));
            var docs = stored.Documents;
            var dates = ws.Documents.List().ToDictionary(d => d.Id, d => d.Date, StringComparer.Ordinal);
            var dated = Enumerable.Range(0, docs.Count).Where(i => dates[docs.Ids![i]] is not null).ToArray();
            if (dated.Length == 0)
            {
                throw new InvalidDataException($"no document of run {stored.Run.Id} in workspace {ws.Directory} has a date; topics over time need dates.");
            }

            var subset = new TopicDocuments(dated.Select(i => docs.Texts[i]).ToArray(), dated.Select(i => docs.Labels[i]).ToArray());
            var times = dated.Select(i => dates[docs.Ids![i]]!.Value.ToDateTime(TimeOnly.MinValue)).ToArray();
            var slices = TopicsOverTime.OverTime(
                subset, stored.Representation, times, parseResult.GetValue(bins), !parseResult.GetValue(noGlobal), !parseResult.GetValue(noEvolution), cancellationToken);
            WriteSlices(parseResult, slices, parseResult.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Evaluate()
    {
        var (workspace, run, wait) = Common();
        var reference = new Option<string?>("--reference") { Description = "Ground-truth labels (CSV doc_id,label) for V-measure and ARI.", HelpName = "FILE.csv" };
        var compare = new Option<long?>("--compare-run") { Description = "Another topics or cluster run (e.g. another seed): stability = ARI between the two.", HelpName = "N" };
        var json = SharedOptions.Json();
        var command = new Command("evaluate", "Diversity, NPMI coherence, outlier share; with --reference V-measure and ARI; with --compare-run stability.")
        {
            workspace, run, reference, compare, json, wait,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            using var ws = Open(parseResult, workspace, wait);
            var (info, representation, docs) = TopicRuns.Load(ws, parseResult.GetValue(run));
            int[]? referenceLabels = null;
            if (parseResult.GetValue(reference) is { } file)
            {
                var truth = TopicsInput.Load(ws, null, file, Embedding.EmbeddingTextField.TitleAbstract).Documents;
                var byId = truth.Ids!.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => truth.Labels[p.i], StringComparer.Ordinal);
                referenceLabels = docs.Ids!.Select(id => byId.TryGetValue(id, out var l) ? l : throw new InvalidDataException($"{Path.GetFullPath(file)}: no label for document '{id}'.")).ToArray();
            }

            int[]? other = null;
            if (parseResult.GetValue(compare) is { } otherRun)
            {
                _ = ws.Runs.Get(otherRun) ?? throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"--compare-run {otherRun}: no run {otherRun} in workspace {ws.Directory}."));
                var results = ws.Runs.GetResults(otherRun).ToDictionary(r => r.DocumentId, r => r.Label, StringComparer.Ordinal);
                other = docs.Ids!.Select(id => results.TryGetValue(id, out var l) ? l : throw new InvalidDataException($"run {otherRun} has no label for document '{id}'.")).ToArray();
            }

            var e = TopicEvaluation.Evaluate(docs, representation, referenceLabels, other, cancellationToken);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                CliJson.Write(output, new TopicEvaluationJson(info.Id, e.Topics, e.OutlierShare, e.Diversity, e.Coherence, e.VMeasure, e.AdjustedRandIndex, e.Stability), c => c.TopicEvaluationJson);
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {info.Id}: {e.Topics} topics, outliers {e.OutlierShare:P1}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"diversity {e.Diversity:F4}  coherence (NPMI) {e.Coherence:F4}"));
                if (e.VMeasure is { } v)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"V-measure {v:F4}  ARI {e.AdjustedRandIndex:F4}"));
                }

                if (e.Stability is { } s)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stability (ARI with run {parseResult.GetValue(compare)}) {s:F4}"));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static (Option<string?> Workspace, Option<long?> Run, Option<double> Wait) Common() =>
        (SharedOptions.Workspace(), SharedOptions.Run("The run with topics (default: the latest topics or run run)."), SharedOptions.Wait());

    private static Workspace Open(ParseResult parseResult, Option<string?> workspace, Option<double> wait) =>
        Workspace.Open(
            SharedOptions.ResolveWorkspace(parseResult, workspace),
            new WorkspaceOptions(CreateIfMissing: false, LockTimeout: SharedOptions.WaitTime(parseResult, wait)));

    private static void WriteSlices(ParseResult parseResult, IReadOnlyList<TopicSlice> slices, bool json)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (json)
        {
            CliJson.Write<IReadOnlyList<TopicSliceJson>>(output, [.. slices.Select(TopicSliceJson.From)], c => c.TopicSliceJsonList);
            return;
        }

        output.WriteLine($"{"bin",4} {"start",-10} {"topic",5} {"docs",5}  keywords");
        foreach (var s in slices)
        {
            output.WriteLine(TopicsCommands.Printable(string.Create(CultureInfo.InvariantCulture,
                $"{s.Group,4} {s.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),-10} {s.TopicId,5} {s.Frequency,5}  {string.Join(", ", s.Keywords.Take(6).Select(k => k.Term))}")));
        }
    }
}

/// <summary><c>topics evaluate --json</c>.</summary>
internal sealed record TopicEvaluationJson(
    long RunId, int Topics, double OutlierShare, double Diversity, double Coherence, double? VMeasure, double? Ari, double? StabilityAri);

/// <summary>One topic in one bin of <c>topics over-time --json</c>.</summary>
internal sealed record TopicSliceJson(int Topic, string Bin, string? Start, string? End, int Frequency, IReadOnlyList<KeywordJson> Keywords)
{
    public static TopicSliceJson From(TopicSlice s) => new(
        s.TopicId, s.Group, s.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.End?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        s.Frequency, KeywordJson.From(s.Keywords));
}
