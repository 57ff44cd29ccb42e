using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TopicKit.Pipeline;
using TopicKit.Search;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit search</c> and <c>topickit similar</c>: ranked documents for a query or for a document.</summary>
internal static class SearchCommands
{
    /// <summary>Adds <c>search</c> and <c>similar</c> to <paramref name="root"/> (one registration line in CliApp).</summary>
    public static void Register(Command root)
    {
        root.Subcommands.Add(CreateSearch());
        root.Subcommands.Add(CreateSimilar());
    }

    private static Command CreateSearch()
    {
        var query = new Argument<string>("query") { Description = "The query text." };
        var workspace = CliSupport.WorkspaceOption();
        var k = SharedOptions.Int("-k", "Hits to print.", 10, 1);
        var mode = new Option<string?>("--mode") { Description = "semantic (exact cosine over the stored vectors), lexical (BM25) or hybrid (reciprocal rank fusion). Default: semantic when the workspace has embeddings, else lexical." };
        mode.AcceptOnlyFromAmong("semantic", "lexical", "hybrid");
        var model = new Option<string?>("--model") { Description = "Model NAME|PATH to embed the query with (default: the installed model whose vectors are stored).", HelpName = "MODEL" };
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var json = CliSupport.JsonOption();
        var command = new Command("search", "Rank the workspace's documents for a query: exact semantic search with the workspace's model and its query prefix, BM25, or both fused.")
        {
            query, workspace, k, mode, model, modelsDir, json,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            var request = new SearchRequest(SharedOptions.ResolveWorkspace(parseResult, workspace), parseResult.GetValue(query) ?? string.Empty)
            {
                Top = parseResult.GetValue(k),
                Mode = parseResult.GetValue(mode) switch { null => null, "lexical" => SearchMode.Lexical, "hybrid" => SearchMode.Hybrid, _ => SearchMode.Semantic },
                Model = parseResult.GetValue(model),
                ModelsDirectory = parseResult.GetValue(modelsDir),
            };
            var result = SearchJob.Search(request, progress: null, cancellationToken);
            if (result.LexicalFallback)
            {
                CliSupport.Note(parseResult, "notice: the workspace has no embeddings; using lexical (BM25) search. Run `topickit embed` for semantic search.");
            }

            if (result.Truncation is { } cut)
            {
                CliSupport.Note(parseResult, $"notice: the query has {cut.Tokens} tokens; model {cut.Model} reads only the first {cut.Limit}.");
            }

            Print(parseResult, result, parseResult.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateSimilar()
    {
        var id = new Argument<string>("id") { Description = "The document id." };
        var workspace = CliSupport.WorkspaceOption();
        var k = SharedOptions.Int("-k", "Hits to print.", 10, 1);
        var json = CliSupport.JsonOption();
        var command = new Command("similar", "The documents most similar to one document (exact cosine over the stored vectors), the document itself left out.")
        {
            id, workspace, k, json,
        };
        command.SetHandler((parseResult, cancellationToken) =>
        {
            var request = new SimilarRequest(SharedOptions.ResolveWorkspace(parseResult, workspace), parseResult.GetValue(id)!) { Top = parseResult.GetValue(k) };
            Print(parseResult, SearchJob.Similar(request, progress: null, cancellationToken), parseResult.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(ParseResult parseResult, SearchResult result, bool json)
    {
        var (hits, documents) = (result.Hits, result.Documents);
        if (json)
        {
            CliJson.WriteRaw(parseResult.InvocationConfiguration.Output, (w, _) =>
            {
                w.WriteStartArray();
                foreach (var h in hits)
                {
                    w.WriteStartObject();
                    w.WriteString("id", documents[h.Row].Id);
                    w.WriteNumber("score", h.Score);
                    if (documents[h.Row].Title is { } title)
                    {
                        w.WriteString("title", title);
                    }
                    else
                    {
                        w.WriteNull("title");
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumn("Score").AddColumn("Id").AddColumn("Title / snippet");
        for (var r = 0; r < hits.Count; r++)
        {
            var d = documents[hits[r].Row];
            table.AddRow(
                (r + 1).ToString(CultureInfo.InvariantCulture),
                hits[r].Score.ToString("F4", CultureInfo.InvariantCulture),
                Markup.Escape(d.Id),
                "[bold]" + Markup.Escape(d.Title ?? "(no title)") + "[/]\n" + Markup.Escape(Snippets.Make(d.Abstract, result.Query)));
        }

        CliSupport.Stdout(parseResult).Write(table);
    }
}
