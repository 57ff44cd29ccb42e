using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using TopicKit.Search;
using TopicKit.Storage;

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
        command.SetAction(parseResult => Guard(parseResult, () =>
        {
            var top = parseResult.GetValue(k);

            using var store = CliSupport.OpenExisting(CliSupport.ResolveWorkspace(parseResult, workspace));
            var documents = RequireDocuments(store);
            var text = parseResult.GetValue(query) ?? string.Empty;
            var hasVectors = store.Embeddings.ListModels().Count > 0;
            var chosen = parseResult.GetValue(mode) ?? (hasVectors ? "semantic" : "lexical");
            if (parseResult.GetValue(mode) is null && !hasVectors)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("topickit: notice: the workspace has no embeddings; using lexical (BM25) search. Run `topickit embed` for semantic search.");
            }

            IReadOnlyList<SearchHit> hits;
            Bm25Index Lexical() => Bm25Index.Build([.. documents.Select(d => EmbeddingText.For(d, EmbeddingTextField.TitleAbstract))]);
            if (chosen == "lexical")
            {
                hits = Lexical().Query(text, top);
            }
            else
            {
                var input = ClusterInput.FromWorkspace(store, null, EmbeddingTextField.TitleAbstract, EmbeddingModels.Store(null));
                var index = SemanticIndex.Build(input.Vectors);
                var vector = EmbedQuery(parseResult, store, input.ModelId!, text, parseResult.GetValue(model), parseResult.GetValue(modelsDir));
                hits = chosen == "semantic" ? index.Query(vector, top) : HybridSearch.Query(index, vector, Lexical(), text, top);
            }

            Print(parseResult, hits, documents, text, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
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
        command.SetAction(parseResult => Guard(parseResult, () =>
        {
            var top = parseResult.GetValue(k);

            using var store = CliSupport.OpenExisting(CliSupport.ResolveWorkspace(parseResult, workspace));
            var documents = RequireDocuments(store);
            var wanted = parseResult.GetValue(id)!;
            var row = -1;
            for (var i = 0; i < documents.Count && row < 0; i++)
            {
                row = documents[i].Id == wanted ? i : -1;
            }

            if (row < 0)
            {
                throw new KeyNotFoundException($"no document '{wanted}' in workspace {store.Directory}; list ids with `topickit docs list`.");
            }

            var input = ClusterInput.FromWorkspace(store, null, EmbeddingTextField.TitleAbstract, EmbeddingModels.Store(null));
            var hits = SemanticIndex.Build(input.Vectors).Similar(row, top);
            Print(parseResult, hits, documents, documents[row].Title ?? string.Empty, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static IReadOnlyList<Document> RequireDocuments(Workspace store)
    {
        var documents = store.Documents.List();
        return documents.Count > 0
            ? documents
            : throw new InvalidDataException($"workspace {store.Directory} has no documents; run `topickit ingest FILES` first.");
    }

    /// <summary>
    /// Embeds the query with the model that made the stored vectors: the workspace's lexical encoder, or an ONNX model
    /// (--model, else the installed model named like the stored one) with its query prefix; a query longer than the
    /// model reads is truncated with a notice.
    /// </summary>
    private static float[] EmbedQuery(ParseResult parseResult, Workspace store, string modelId, string text, string? spec, string? modelsDir)
    {
        if (WorkspaceEmbedder.LoadLexical(store) is { } lexical && lexical.ModelId == modelId)
        {
            return lexical.Encode([text]).Row(0).ToArray();
        }

        var modelStore = EmbeddingModels.Store(modelsDir);
        var name = spec ?? modelId[..Math.Max(0, modelId.IndexOf('@', StringComparison.Ordinal))];
        var choice = ModelSelection.Resolve(name, modelStore);
        if (choice.Kind != ModelKind.Onnx)
        {
            throw new InvalidDataException($"the stored vectors come from model {modelId}, not from the workspace's current lexical encoder; run `topickit embed` again.");
        }

        using var encoder = ModelSelection.LoadOnnx(choice, modelStore, new SentenceEncoderOptions());
        if (encoder.ModelId != modelId)
        {
            throw new InvalidDataException($"model {choice.Spec} is {encoder.ModelId} but the stored vectors come from {modelId}; pass --model with that model.");
        }

        var input = encoder.Config.QueryPrefix + text;
        var tokens = encoder.Tokenizer.CountTokens(input);
        var limit = Math.Min(encoder.Tokenizer.MaxLength, encoder.Config.MaxLength);
        if (tokens > limit)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"topickit: notice: the query has {tokens} tokens; model {choice.Spec} reads only the first {limit}.");
        }

        var vector = new Matrix(1, encoder.Dimension);
        encoder.EncodeTokenized([encoder.Tokenizer.Encode(input, truncate: true)], vector);
        return vector.Row(0).ToArray();
    }

    private static void Print(ParseResult parseResult, IReadOnlyList<SearchHit> hits, IReadOnlyList<Document> documents, string query, bool json)
    {
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
                "[bold]" + Markup.Escape(d.Title ?? "(no title)") + "[/]\n" + Markup.Escape(Snippets.Make(d.Abstract, query)));
        }

        CliSupport.Stdout(parseResult).Write(table);
    }

    private static int Guard(ParseResult parseResult, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex)
        {
            return CliErrors.Fail(parseResult, ex);
        }
    }
}
