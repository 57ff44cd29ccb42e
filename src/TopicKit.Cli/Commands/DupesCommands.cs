using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TopicKit.Duplicates;
using TopicKit.Embedding;
using TopicKit.Pipeline;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit dupes</c>: near-duplicate groups of the workspace's documents or of a matrix's rows.</summary>
internal static class DupesCommands
{
    public static Command Create()
    {
        var workspace = CliSupport.WorkspaceOption();
        var embeddings = new Option<FileInfo?>("--embeddings") { Description = "Search the rows of this matrix (.npy or .csv) instead of the workspace's vectors.", HelpName = "X.npy" };
        var threshold = new Option<double?>("--threshold", "-t") { Description = "Semantic: smallest cosine of a duplicate pair, in [0, 1] (default 0.95).", HelpName = "T" };
        var method = new Option<string?>("--method", "-m") { Description = "semantic, lexical or both (default: lexical with a workspace, semantic with --embeddings)." };
        method.AcceptOnlyFromAmong("semantic", "lexical", "both");
        var jaccard = new Option<double?>("--jaccard", "-j") { Description = "Lexical: smallest shingle Jaccard similarity, in [0, 1] (default 0.5).", HelpName = "J" };
        var containment = new Option<double?>("--containment")
        {
            Description = "Both: smallest word-set containment of a pair only the semantic method accepts, in [0, 1] (default 0.85; 0 keeps them all).",
            HelpName = "C",
        };
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
        var command = new Command("dupes", "Find near-duplicate papers (lexical MinHash, semantic cosine, or both) and group them with a suggested canonical record.");
        foreach (var option in new Option[] { workspace, embeddings, threshold, method, jaccard, containment, shingle, permutations, model, text, output, json })
        {
            command.Options.Add(option);
        }

        command.SetHandler((parseResult, cancellationToken) =>
        {
            var t = parseResult.GetValue(threshold);
            var j = parseResult.GetValue(jaccard);
            var c = parseResult.GetValue(containment);
            foreach (var (name, value) in new[] { ("--threshold", t), ("--jaccard", j), ("--containment", c) })
            {
                if (value is { } v && !(v >= 0 && v <= 1))
                {
                    throw new UsageException($"{name} must be between 0 and 1, got {v.ToString(CultureInfo.InvariantCulture)}.");
                }
            }

            if (parseResult.GetValue(shingle) is < 1 || parseResult.GetValue(permutations) is < 1)
            {
                throw new UsageException("--shingle and --permutations must be at least 1.");
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
                MinWordContainment = c ?? new DuplicateOptions().MinWordContainment,
            };

            // With --embeddings the workspace is used only when named explicitly; its documents must then match the rows.
            var named = parseResult.GetValue(workspace);
            var request = new DuplicatesRequest(options)
            {
                Workspace = file is null || named is not null ? SharedOptions.ResolveWorkspace(parseResult, workspace) : null,
                Embeddings = file?.FullName,
                Model = parseResult.GetValue(model),
                Output = parseResult.GetValue(output)?.FullName,
            };
            var result = DuplicatesJob.Run(request, progress: null, cancellationToken);
            if (parseResult.GetValue(json))
            {
                WriteJson(parseResult.InvocationConfiguration.Output, result);
            }
            else
            {
                Render(CliSupport.Stdout(parseResult), result);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, DuplicatesResult result)
    {
        var (report, options, ids) = (result.Report, result.Options, result.Ids);
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
            w.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
            w.WriteEndObject();
        });
    }

    private static void Render(IAnsiConsole console, DuplicatesResult result)
    {
        var (report, options) = (result.Report, result.Options);
        string Name(int row) => result.Name(row);
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
            + (report.Banding is { } b ? $"jaccard >= {options.Lexical.Threshold.ToString(CultureInfo.InvariantCulture)} (LSH {b.Bands} bands x {b.Rows} rows)" : string.Empty)
            + (report.Uncorroborated > 0 ? $"; {report.Uncorroborated:N0} semantic-only pairs dropped (word containment < {options.MinWordContainment.ToString(CultureInfo.InvariantCulture)})" : string.Empty);
        console.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Groups.Count:N0} groups, {pairs:N0} pairs among {report.Rows:N0} rows; {settings.Trim()}; {result.Elapsed.TotalSeconds:F2} s")));
    }
}
