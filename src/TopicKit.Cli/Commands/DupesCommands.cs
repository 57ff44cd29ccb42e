using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using TopicKit.Corpus;
using TopicKit.Duplicates;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit dupes</c>: near-duplicate groups of the workspace's documents or of a matrix's rows.</summary>
internal static class DupesCommands
{
    private const string Help = """
        Find near-duplicate papers. --method lexical (default with a workspace): MinHash LSH over word shingles, verified
        by exact Jaccard >= --jaccard (0.5). --method semantic (default with --embeddings): every pair with embedding
        cosine >= --threshold (0.95), exact up to 300,000 rows, NN-descent candidates verified exactly above.
        --method both: pairs accepted by either, scored by both. Exact duplicates found at ingestion are groups too.
        Groups are the connected pairs; each names a suggested canonical record (most complete metadata, then longest
        abstract, then earliest date, then first stored) and the metadata that differ. --embeddings X.npy without
        --workspace reports 0-based row numbers.
        """;

    public static Command Create()
    {
        var workspace = CliSupport.WorkspaceOption();
        var embeddings = new Option<FileInfo?>("--embeddings") { Description = "Search the rows of this matrix (.npy or .csv) instead of the workspace's vectors.", HelpName = "X.npy" };
        var threshold = new Option<double?>("--threshold", "-t") { Description = "Semantic: smallest cosine of a duplicate pair, in [0, 1] (default 0.95).", HelpName = "T" };
        var method = new Option<string?>("--method", "-m") { Description = "semantic, lexical or both (default: lexical with a workspace, semantic with --embeddings)." };
        method.AcceptOnlyFromAmong("semantic", "lexical", "both");
        var jaccard = new Option<double?>("--jaccard", "-j") { Description = "Lexical: smallest shingle Jaccard similarity, in [0, 1] (default 0.5).", HelpName = "J" };
        var shingle = new Option<int?>("--shingle") { Description = "Lexical: words per shingle (default 3).", HelpName = "N" };
        var permutations = new Option<int?>("--permutations") { Description = "Lexical: MinHash permutations (default 128).", HelpName = "N" };
        var model = new Option<string?>("--model") { Description = "Workspace embeddings of this model id (or a unique prefix of it).", HelpName = "MODEL" };
        var text = new Option<string>("--text")
        {
            Description = "Which text of each document: title+abstract (default), abstract or title.",
            DefaultValueFactory = _ => EmbeddingText.Name(EmbeddingTextField.TitleAbstract),
        };
        text.AcceptOnlyFromAmong([.. EmbeddingText.Names]);
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the pairs as CSV (group,a,b,semantic,lexical,exact,canonical,differing).", HelpName = "duplicates.csv" };
        var json = CliSupport.JsonOption();
        var command = new Command("dupes", Help);
        foreach (var option in new Option[] { workspace, embeddings, threshold, method, jaccard, shingle, permutations, model, text, output, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var t = parseResult.GetValue(threshold);
                var j = parseResult.GetValue(jaccard);
                foreach (var (name, value) in new[] { ("--threshold", t), ("--jaccard", j) })
                {
                    if (value is { } v && !(v >= 0 && v <= 1))
                    {
                        CliSupport.Error(parseResult, $"{name} must be between 0 and 1, got {v.ToString(CultureInfo.InvariantCulture)}.");
                        return ExitCodes.Usage;
                    }
                }

                if (parseResult.GetValue(shingle) is < 1 || parseResult.GetValue(permutations) is < 1)
                {
                    CliSupport.Error(parseResult, "--shingle and --permutations must be at least 1.");
                    return ExitCodes.Usage;
                }

                var file = parseResult.GetValue(embeddings);
                var methodName = parseResult.GetValue(method) ?? (file is null ? "lexical" : "semantic");
                var lexicalDefaults = new LexicalSearchOptions();
                var options = new DuplicateOptions
                {
                    Method = methodName switch { "semantic" => DuplicateMethod.Semantic, "both" => DuplicateMethod.Both, _ => DuplicateMethod.Lexical },
                    Semantic = new PairSearchOptions { Threshold = t ?? new PairSearchOptions().Threshold },
                    Lexical = lexicalDefaults with
                    {
                        Threshold = j ?? lexicalDefaults.Threshold,
                        ShingleSize = parseResult.GetValue(shingle) ?? lexicalDefaults.ShingleSize,
                        Permutations = parseResult.GetValue(permutations) ?? lexicalDefaults.Permutations,
                    },
                    Text = EmbeddingText.Parse(parseResult.GetValue(text)!),
                };
                var request = new DupesRequest(options, parseResult.GetValue(workspace), file, parseResult.GetValue(model), parseResult.GetValue(output), parseResult.GetValue(json));
                return await Task.Run(() => Run(parseResult, request, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                CliSupport.Error(parseResult, "cancelled; nothing was written.");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex)
            {
                return CliSupport.Fail(parseResult, ex);
            }
        });
        return command;
    }

    private sealed record DupesRequest(DuplicateOptions Options, string? Workspace, FileInfo? Embeddings, string? Model, FileInfo? Output, bool Json);

    private static int Run(ParseResult parseResult, DupesRequest request, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var needsVectors = request.Options.Method != DuplicateMethod.Lexical;
        if (request.Embeddings is not null && request.Model is not null)
        {
            throw new ArgumentException("--model picks workspace embeddings; it cannot be combined with --embeddings.");
        }

        if (request.Embeddings is not null && !needsVectors && request.Workspace is null)
        {
            throw new ArgumentException("--method lexical compares the documents' texts; it needs --workspace, not a bare --embeddings matrix.");
        }

        // With --embeddings the workspace is used only when named explicitly; its documents must then match the rows.
        var directory = request.Embeddings is null || request.Workspace is not null
            ? CliSupport.ChooseWorkspace(request.Workspace, Environment.GetEnvironmentVariable(CliSupport.WorkspaceVariable))
            : null;
        using var workspace = directory is null ? null : CliSupport.OpenExisting(directory);
        IReadOnlyList<Document>? documents = null;
        List<IReadOnlyList<int>>? exact = null;
        if (workspace is not null)
        {
            documents = workspace.Documents.List();
            if (documents.Count == 0)
            {
                throw new InvalidDataException($"workspace {workspace.Directory} has no documents; run `topickit ingest FILES` first.");
            }

            var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < documents.Count; i++)
            {
                rowOf[documents[i].Id] = i;
            }

            exact = [.. workspace.Documents.GetDuplicateGroups().Select(g => (IReadOnlyList<int>)[.. g.Select(id => rowOf[id])])];
        }

        Matrix? vectors = null;
        if (request.Embeddings is not null)
        {
            vectors = ReadFinite(request.Embeddings.FullName);
            if (documents is not null && documents.Count != vectors.Rows)
            {
                throw new ArgumentException(
                    $"{request.Embeddings.FullName} has {vectors.Rows} rows but workspace {workspace!.Directory} has {documents.Count} documents; "
                    + "with --workspace the rows must be the documents in stored order.");
            }
        }
        else if (needsVectors)
        {
            vectors = ClusterInput.FromWorkspace(workspace!, request.Model, request.Options.Text, EmbeddingModels.Store(null)).Vectors;
        }

        var report = DuplicateFinder.Find(documents, vectors, request.Options, exact, cancellationToken);
        var ids = documents?.Select(d => d.Id).ToArray();
        if (request.Output is not null)
        {
            // Written beside the target and moved into place last, so a failure never leaves half a file.
            var temporary = request.Output.FullName + ".partial";
            using (var writer = new StreamWriter(temporary))
            {
                DuplicateReportCsv.Write(writer, report, ids);
            }

            File.Move(temporary, request.Output.FullName, overwrite: true);
        }

        if (request.Json)
        {
            WriteJson(parseResult.InvocationConfiguration.Output, request.Options, report, ids, watch.Elapsed.TotalSeconds);
        }
        else
        {
            Render(CliSupport.Stdout(parseResult), request.Options, report, documents, watch.Elapsed.TotalSeconds);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Reads a matrix and names the first row holding NaN or an infinity.</summary>
    private static Matrix ReadFinite(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var matrix = extension switch
        {
            ".npy" => NpyFile.Read(path),
            ".csv" => MatrixCsv.Read(path),
            _ => throw new ArgumentException($"--embeddings {path}: use a .npy or .csv file (got '{extension}')."),
        };
        var data = matrix.Data;
        for (var i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                var row = i / Math.Max(1, matrix.Columns);
                throw new InvalidDataException(
                    $"{path}: row {row} holds {data[i].ToString(CultureInfo.InvariantCulture)} (column {i - (row * matrix.Columns)}); drop or re-embed that row before searching for duplicates.");
            }
        }

        return matrix;
    }

    private static void WriteJson(TextWriter output, DuplicateOptions options, DuplicateReport report, string[]? ids, double seconds)
    {
        CliJson.WriteRaw(output, (w, flush) =>
        {
            void Name(string property, int row)
            {
                if (ids is null)
                {
                    w.WriteNumber(property, row);
                }
                else
                {
                    w.WriteString(property, ids[row]);
                }
            }

            void Score(string property, double? value)
            {
                if (value is { } v)
                {
                    w.WriteNumber(property, v);
                }
                else
                {
                    w.WriteNull(property);
                }
            }

            w.WriteStartObject();
            w.WriteStartArray("groups");
            foreach (var g in report.Groups)
            {
                w.WriteStartObject();
                w.WriteStartArray("ids");
                foreach (var m in g.Members)
                {
                    if (ids is null)
                    {
                        w.WriteNumberValue(m);
                    }
                    else
                    {
                        w.WriteStringValue(ids[m]);
                    }
                }

                w.WriteEndArray();
                Name("canonical", g.Canonical);
                w.WriteStartArray("pairs");
                foreach (var p in g.Pairs)
                {
                    w.WriteStartObject();
                    Name("a", p.A);
                    Name("b", p.B);
                    Score("semantic", p.Semantic);
                    Score("lexical", p.Lexical);
                    w.WriteBoolean("exact", p.Exact);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("differing");
                foreach (var field in g.DifferingFields)
                {
                    w.WriteStringValue(field);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                flush();
            }

            w.WriteEndArray();
            w.WriteString("method", report.Method.ToString().ToLowerInvariant());
            w.WriteNumber("rows", report.Rows);
            Score("threshold", report.SemanticSearch is null ? null : options.Semantic.Threshold);
            Score("jaccard", report.Banding is null ? null : options.Lexical.Threshold);
            if (report.SemanticSearch is null)
            {
                w.WriteNull("semantic_search");
            }
            else
            {
                w.WriteString("semantic_search", report.SemanticSearch);
            }

            Score("lsh_bands", report.Banding?.Bands);
            Score("lsh_rows", report.Banding?.Rows);
            w.WriteNumber("seconds", Math.Round(seconds, 3));
            w.WriteEndObject();
        });
    }

    private static void Render(IAnsiConsole console, DuplicateOptions options, DuplicateReport report, IReadOnlyList<Document>? documents, double seconds)
    {
        string Name(int row) => documents is null ? row.ToString(CultureInfo.InvariantCulture) : documents[row].Id;
        static string F(double? v) => v is { } x ? x.ToString("F4", CultureInfo.InvariantCulture) : "-";
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Group").AddColumn("A").AddColumn("B").AddColumn("Semantic").AddColumn("Lexical").AddColumn("Exact").AddColumn("Canonical").AddColumn("Differs");
        for (var g = 0; g < report.Groups.Count; g++)
        {
            var group = report.Groups[g];
            foreach (var p in group.Pairs)
            {
                table.AddRow(
                    g.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(Name(p.A)),
                    Markup.Escape(Name(p.B)),
                    F(p.Semantic),
                    F(p.Lexical),
                    p.Exact ? "yes" : string.Empty,
                    Markup.Escape(Name(group.Canonical)),
                    Markup.Escape(string.Join(", ", group.DifferingFields)));
            }
        }

        if (report.Groups.Count > 0)
        {
            console.Write(table);
        }

        var pairs = report.Groups.Sum(g => g.Pairs.Count);
        var settings = (report.SemanticSearch is null ? string.Empty : $"cosine >= {options.Semantic.Threshold.ToString(CultureInfo.InvariantCulture)} ({report.SemanticSearch}) ")
            + (report.Banding is { } b ? $"jaccard >= {options.Lexical.Threshold.ToString(CultureInfo.InvariantCulture)} (LSH {b.Bands} bands x {b.Rows} rows)" : string.Empty);
        console.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Groups.Count:N0} groups, {pairs:N0} pairs among {report.Rows:N0} rows; {settings.Trim()}; {seconds:F2} s")));
    }
}
