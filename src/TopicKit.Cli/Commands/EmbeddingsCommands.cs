using System.CommandLine;
using System.Globalization;
using System.Text;
using Spectre.Console;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using TopicKit.Storage;

namespace TopicKit.Cli.Commands;

/// <summary><c>topickit embeddings list|export</c>: inspect and export the workspace's embedding cache.</summary>
internal static class EmbeddingsCommands
{
    public static Command Create()
    {
        var command = new Command("embeddings", "Inspect and export the embeddings cached in the workspace.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateExport());
        return command;
    }

    private static Command CreateList()
    {
        var workspaceOption = SharedOptions.Workspace();
        var json = SharedOptions.Json();
        var command = new Command("list", "Show the models with cached vectors, their dimension and vector count.") { workspaceOption, json };
        command.SetHandler((parseResult, _) =>
        {
            using var workspace = CliSupport.OpenExisting(SharedOptions.ResolveWorkspace(parseResult, workspaceOption));
            var models = workspace.Embeddings.ListModels();
            var lexical = workspace.Artifacts.Get(WorkspaceEmbedder.LexicalArtifact) is null ? null : WorkspaceEmbedder.LoadLexical(workspace)?.ModelId;
            if (parseResult.GetValue(json))
            {
                CliJson.Write(parseResult.InvocationConfiguration.Output, new EmbeddingsListJson(
                    workspace.Documents.Count(),
                    [.. models.Select(m => new EmbeddingModelJson(m.ModelId, m.Dimension, m.Count, m.ModelId == lexical))]), c => c.EmbeddingsListJson);
                return ExitCodes.Ok;
            }

            var console = CliSupport.Stdout(parseResult);
            if (models.Count == 0)
            {
                console.WriteLine($"No embeddings in workspace {workspace.Directory}; run `topickit embed`.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumn("Model id").AddColumn(new TableColumn("Dim").RightAligned()).AddColumn(new TableColumn("Vectors").RightAligned());
            foreach (var m in models)
            {
                var name = m.ModelId == lexical ? m.ModelId + " (current lexical)" : m.ModelId;
                table.AddRow(Markup.Escape(name), m.Dimension.ToString(CultureInfo.InvariantCulture), m.Count.ToString("N0", CultureInfo.InvariantCulture));
            }

            console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateExport()
    {
        var workspaceOption = SharedOptions.Workspace();
        var model = SharedOptions.Model("Default: the model with the most vectors.");
        var text = EmbeddingModels.TextOption("The text the vectors were made from (as given to embed):");
        var format = new Option<string>("--format") { Description = "npy (float32, C order) or csv (one row per line, no header).", Required = true };
        format.AcceptOnlyFromAmong("npy", "csv");
        var output = SharedOptions.Out("Matrix file to write, one row per document in document order.", required: true);
        var ids = new Option<string?>("--ids") { Description = "Document ids file, one per line (default: FILE.ids.txt).", HelpName = "FILE" };
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var json = SharedOptions.Json();
        var command = new Command("export", "Write the cached vectors of every document, in document order, plus a file of document ids.")
        {
            workspaceOption, model, text, format, output, ids, modelsDir, json,
        };
        command.SetHandler((parseResult, _) =>
        {
            var outPath = parseResult.GetRequiredValue(output)!;
            var idsPath = parseResult.GetValue(ids) ?? outPath + ".ids.txt";
            if (string.Equals(Path.GetFullPath(outPath), Path.GetFullPath(idsPath), StringComparison.Ordinal))
            {
                throw new UsageException($"--ids and --out both name {outPath}; the id list would overwrite the matrix. Give --ids another file.");
            }

            using var workspace = CliSupport.OpenExisting(SharedOptions.ResolveWorkspace(parseResult, workspaceOption));
            var (modelId, prefix) = ModelSelection.ResolveStored(workspace, parseResult.GetValue(model), EmbeddingModels.Store(parseResult.GetValue(modelsDir)));
            var field = EmbeddingText.Parse(parseResult.GetValue(text) ?? EmbeddingText.Names[0]);
            var (documentIds, vectors) = WorkspaceEmbedder.GetDocumentVectors(workspace, modelId, prefix, field);
            // Both files or neither: the matrix is useless without the ids that say which row is which document.
            AtomicFile.WriteAll(
            [
                (outPath, path =>
                {
                    if (parseResult.GetValue(format) == "csv")
                    {
                        WriteCsv(path, vectors);
                    }
                    else
                    {
                        NpyFile.Write(path, vectors);
                    }
                }),
                (idsPath, path => File.WriteAllLines(path, documentIds, new UTF8Encoding(false))),
            ]);
            var stdout = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                CliJson.Write(stdout, new EmbeddingsExportJson(vectors.Rows, vectors.Columns, modelId, outPath, idsPath), c => c.EmbeddingsExportJson);
            }
            else
            {
                stdout.WriteLine($"Wrote {vectors.Rows:N0} x {vectors.Columns} vectors of {modelId} to {outPath} and their document ids to {idsPath}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteCsv(string path, Matrix vectors)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        var line = new StringBuilder();
        for (var i = 0; i < vectors.Rows; i++)
        {
            line.Clear();
            var row = vectors.RowReadOnly(i);
            for (var j = 0; j < row.Length; j++)
            {
                if (j > 0)
                {
                    line.Append(',');
                }

                // Shortest round-trip formatting: reading the CSV back gives the same float32 values.
                line.Append(row[j].ToString(CultureInfo.InvariantCulture));
            }

            writer.WriteLine(line);
        }
    }
}

/// <summary><c>embeddings list --json</c>.</summary>
internal sealed record EmbeddingsListJson(int Documents, IReadOnlyList<EmbeddingModelJson> Models);

/// <summary>One stored model of <see cref="EmbeddingsListJson"/>.</summary>
internal sealed record EmbeddingModelJson(string ModelId, int Dimension, long Count, bool CurrentLexical);

/// <summary><c>embeddings export --json</c>.</summary>
internal sealed record EmbeddingsExportJson(int Rows, int Dim, string ModelId, string Output, string Ids);
