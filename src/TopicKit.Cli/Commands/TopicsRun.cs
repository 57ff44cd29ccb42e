using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Cli.Commands;

/// <summary>Runs a <see cref="TopicsCommands.TopicsRequest"/> against the library, records the run and renders the result.</summary>
internal static class TopicsRun
{
    /// <summary>Runs <paramref name="body"/> off the invoking thread and maps errors and Ctrl+C to exit codes.</summary>
    public static async Task<int> Guard(ParseResult parseResult, CancellationToken cancellationToken, Func<int> body)
    {
        try
        {
            return await Task.Run(body, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            CliSupport.Error(parseResult, "cancelled; nothing was written to the workspace.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            _ = cancellationToken;
            return CliSupport.Fail(parseResult, ex);
        }
    }

    public static Workspace Open(ParseResult parseResult, Option<string?> workspace, Option<double> wait) =>
        Workspace.Open(
            CliSupport.ResolveWorkspace(parseResult, workspace),
            new WorkspaceOptions(CreateIfMissing: false, LockTimeout: TimeSpan.FromSeconds(Math.Max(0, parseResult.GetValue(wait)))));

    public static int Execute(ParseResult parseResult, Workspace workspace, TopicsCommands.TopicsRequest request, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        if ((request.ReduceOutliers == "probabilities") != (request.Probabilities is not null))
        {
            throw new ArgumentException("--probabilities FILE goes with --reduce-outliers probabilities (and that strategy needs it).");
        }

        var input = TopicsInput.Load(workspace, request.Run, request.Labels, EmbeddingTextField.TitleAbstract);
        var representer = new ClassTfidfRepresenter(request.Options, Refiner(request, input.Documents.Texts, cancellationToken));
        var docs = input.Documents;
        var fitted = representer.Fit(docs, cancellationToken);
        var renumbered = false;
        if (request.Merge is not null)
        {
            var merged = TopicReduction.Merge(docs, representer, TopicsCommands.ParseGroups(request.Merge), cancellationToken);
            (docs, fitted, renumbered) = (docs.WithLabels(merged.Labels), merged.Representation, true);
            error.WriteLine("topickit topics: merged; old -> new: " + Mapping(merged.Mapping));
        }

        if (request.ReduceTo is not null)
        {
            int? target = request.ReduceTo == "auto" ? null
                : int.TryParse(request.ReduceTo, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
                : throw new ArgumentException($"--reduce-to '{request.ReduceTo}': give a number of topics (1 or more) or auto.");
            var reduced = TopicReduction.ReduceTo(docs, fitted, representer, target, cancellationToken: cancellationToken);
            (docs, fitted, renumbered) = (docs.WithLabels(reduced.Labels), reduced.Representation, true);
            error.WriteLine("topickit topics: reduced; old -> new: " + Mapping(reduced.Mapping));
        }

        if (request.ReduceOutliers is { } strategy)
        {
            var probabilities = request.Probabilities is null ? null : MatrixInput.Read(request.Probabilities.FullName);
            var options = new OutlierReductionOptions(
                strategy switch { "embeddings" => OutlierStrategy.Embeddings, "probabilities" => OutlierStrategy.Probabilities, _ => OutlierStrategy.ClassTfidf },
                request.Threshold);
            var result = OutlierReduction.Reduce(docs, fitted, representer, options, probabilities, cancellationToken);
            (docs, fitted) = (docs.WithLabels(result.Labels), result.Representation);
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"topickit topics: outliers {result.OutliersBefore} -> {result.OutliersAfter} ({result.Moved} moved, {request.ReduceOutliers}, threshold {request.Threshold})"));
        }

        if (!renumbered && input.NamedLabels.Count > 0)
        {
            fitted = fitted.WithLabels(input.NamedLabels.Where(p => fitted.IndexOf(p.Key) >= 0).ToDictionary());
        }

        var evaluation = TopicEvaluation.Evaluate(docs, fitted, cancellationToken: cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var parameters = Parameters(request, input, evaluation);
        var results = docs.Ids!.Select((id, i) => new RunResult(id, docs.Labels[i], 1f, 0f)).ToArray();
        var run = workspace.Runs.Record(TopicsInput.RunKind, parameters, results, cancellationToken);
        TopicsInput.StoreRepresentation(workspace, run.Id, fitted);
        if (request.Output is not null)
        {
            WriteCsv(request.Output.FullName, fitted, docs.Ids!);
        }

        var stdout = parseResult.InvocationConfiguration.Output;
        if (request.Json)
        {
            stdout.WriteLine(Json(fitted, docs.Ids!));
        }
        else
        {
            Render(stdout, fitted, docs.Ids!, evaluation, run.Id, input.Source);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The script contract: [{id, size, label, keywords: [{term, score}], representative_ids}].</summary>
    public static string Json(TopicRepresentation representation, IReadOnlyList<string> ids)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var t in representation.Topics)
            {
                w.WriteStartObject();
                w.WriteNumber("id", t.Id);
                w.WriteNumber("size", t.Size);
                w.WriteString("label", t.Label);
                w.WriteStartArray("keywords");
                foreach (var k in t.Keywords)
                {
                    w.WriteStartObject();
                    w.WriteString("term", k.Term);
                    w.WriteNumber("score", k.Score);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("representative_ids");
                foreach (var d in t.RepresentativeDocuments)
                {
                    w.WriteStringValue(ids[d]);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Makes untrusted text safe for a terminal: control characters become spaces.</summary>
    public static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));

    private static IKeywordRefiner? Refiner(TopicsCommands.TopicsRequest request, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (request.Representation == "ctfidf")
        {
            if (request.Model is not null)
            {
                throw new ArgumentException("--model is the word encoder of --representation mmr or keybert.");
            }

            return null;
        }

        var store = ModelStore.Create(null);
        var choice = ModelSelection.Resolve(request.Model, store);
        ISentenceEncoder encoder = choice.IsLexical
            ? LexicalEncoder.Fit(texts, cancellationToken: cancellationToken)
            : ModelSelection.LoadOnnx(choice, store, new SentenceEncoderOptions());
        return request.Representation == "mmr" ? new MaximalMarginalRelevance(encoder, request.Diversity) : new KeyBertInspired(encoder);
    }

    private static string Mapping(IReadOnlyDictionary<int, int> mapping) =>
        string.Join(", ", mapping.Where(p => p.Key != -1).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}->{p.Value}")));

    private static string Parameters(TopicsCommands.TopicsRequest request, TopicsInput input, TopicEvaluationResult evaluation)
    {
        var o = request.Options;
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["source"] = input.Source,
            ["source_run"] = input.SourceRun,
            ["representation"] = request.Representation,
            ["top_n"] = o.TopN,
            ["ngram"] = string.Create(CultureInfo.InvariantCulture, $"{o.NgramMin}..{o.NgramMax}"),
            ["min_df"] = o.MinDocumentFrequency,
            ["stop_words"] = o.EffectiveStopWords.Name,
            ["bm25"] = o.Bm25Weighting,
            ["reduce_frequent_words"] = o.ReduceFrequentWords,
            ["reduce_outliers"] = request.ReduceOutliers,
            ["threshold"] = request.Threshold,
            ["reduce_to"] = request.ReduceTo,
            ["merge"] = request.Merge,
            ["topics"] = evaluation.Topics,
            ["outlier_share"] = evaluation.OutlierShare,
            ["diversity"] = evaluation.Diversity,
            ["coherence_npmi"] = evaluation.Coherence,
        });
    }

    private static void WriteCsv(string path, TopicRepresentation representation, IReadOnlyList<string> ids)
    {
        var sb = new StringBuilder("id,size,label,keywords,representative_ids\n");
        foreach (var t in representation.Topics)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{t.Id},{t.Size},{Quote(t.Label)},{Quote(string.Join(' ', t.Keywords.Select(k => k.Term)))},{Quote(string.Join(' ', t.RepresentativeDocuments.Select(d => ids[d])))}\n");
        }

        var temporary = path + ".partial";
        File.WriteAllText(temporary, sb.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static void Render(TextWriter stdout, TopicRepresentation representation, IReadOnlyList<string> ids, TopicEvaluationResult evaluation, long runId, string source)
    {
        stdout.WriteLine(Printable(string.Create(CultureInfo.InvariantCulture, $"topics run {runId} from {source}: {evaluation.Topics} topics, outliers {evaluation.OutlierShare:P1}")));
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
