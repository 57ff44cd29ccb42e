using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TopicKit.Embedding;
using TopicKit.Numerics;
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
        var workspaceOption = CliSupport.WorkspaceOption();
        var json = CliSupport.JsonOption();
        var command = new Command("list", "Show the models with cached vectors, their dimension and vector count.") { workspaceOption, json };
        command.SetAction(parseResult =>
        {
            try
            {
                using var workspace = CliSupport.OpenExisting(CliSupport.ResolveWorkspace(parseResult, workspaceOption));
                var models = workspace.Embeddings.ListModels();
                var lexical = workspace.Artifacts.Get(WorkspaceEmbedder.LexicalArtifact) is null ? null : WorkspaceEmbedder.LoadLexical(workspace)?.ModelId;
                if (parseResult.GetValue(json))
                {
                    parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new
                    {
                        documents = workspace.Documents.Count(),
                        models = models.Select(m => new { modelId = m.ModelId, dimension = m.Dimension, count = m.Count, currentLexical = m.ModelId == lexical }),
                    }, EmbeddingModels.Json));
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
            }
            catch (Exception e)
            {
                return CliSupport.Fail(parseResult, e);
            }
        });
        return command;
    }

    private static Command CreateExport()
    {
        var workspaceOption = CliSupport.WorkspaceOption();
        var model = new Option<string?>("--model")
        {
            Description = "Model id (as in `embeddings list`), registry name, model folder or 'lexical'. Default: the only cached model, else embed's default.",
            HelpName = "ID|NAME|PATH|lexical",
        };
        var text = new Option<string>("--text")
        {
            Description = "The text the vectors were made from (as given to embed).",
            DefaultValueFactory = _ => EmbeddingText.Name(EmbeddingTextField.TitleAbstract),
        };
        text.AcceptOnlyFromAmong([.. EmbeddingText.Names]);
        var format = new Option<string>("--format") { Description = "npy (float32, C order) or csv (one row per line, no header).", Required = true };
        format.AcceptOnlyFromAmong("npy", "csv");
        var output = new Option<string>("--out") { Description = "Matrix file to write, one row per document in document order.", Required = true, HelpName = "FILE" };
        var ids = new Option<string?>("--ids") { Description = "Document ids file, one per line (default: FILE.ids.txt).", HelpName = "FILE" };
        var modelsDir = EmbeddingModels.ModelsDirOption();
        var json = CliSupport.JsonOption();
        var command = new Command("export", "Write the cached vectors of every document, in document order, plus a file of document ids.")
        {
            workspaceOption, model, text, format, output, ids, modelsDir, json,
        };
        command.SetAction(parseResult =>
        {
            var outPath = parseResult.GetRequiredValue(output);
            var idsPath = parseResult.GetValue(ids) ?? outPath + ".ids.txt";
            if (string.Equals(Path.GetFullPath(outPath), Path.GetFullPath(idsPath), StringComparison.Ordinal))
            {
                CliSupport.Error(parseResult, $"--ids and --out both name {outPath}; the id list would overwrite the matrix. Give --ids another file.");
                return ExitCodes.Usage;
            }

            try
            {
                using var workspace = CliSupport.OpenExisting(CliSupport.ResolveWorkspace(parseResult, workspaceOption));
                var (modelId, prefix) = ResolveModelId(workspace, parseResult.GetValue(model), EmbeddingModels.Store(parseResult.GetValue(modelsDir)));
                var field = EmbeddingText.Parse(parseResult.GetValue(text) ?? EmbeddingText.Names[0]);
                var (documentIds, vectors) = WorkspaceEmbedder.GetDocumentVectors(workspace, modelId, prefix, field);
                WriteBothAtomically(
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
                    (idsPath, path => File.WriteAllLines(path, documentIds, new UTF8Encoding(false))));
                var stdout = parseResult.InvocationConfiguration.Output;
                if (parseResult.GetValue(json))
                {
                    stdout.WriteLine(JsonSerializer.Serialize(new { rows = vectors.Rows, dim = vectors.Columns, modelId, output = outPath, ids = idsPath }, EmbeddingModels.Json));
                }
                else
                {
                    stdout.WriteLine($"Wrote {vectors.Rows:N0} x {vectors.Columns} vectors of {modelId} to {outPath} and their document ids to {idsPath}.");
                }

                return ExitCodes.Ok;
            }
            catch (Exception e)
            {
                return EmbeddingModels.Fail(parseResult, e);
            }
        });
        return command;
    }

    /// <summary>The model id to export and the prefix its input texts carry.</summary>
    private static (string ModelId, string Prefix) ResolveModelId(Workspace workspace, string? spec, ModelStore store)
    {
        var stored = workspace.Embeddings.ListModels();
        if (stored.Count == 0)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} has no embeddings; run `topickit embed` first.");
        }

        if (string.IsNullOrWhiteSpace(spec) && stored.Count == 1)
        {
            return (stored[0].ModelId, WorkspaceEmbedder.RecordedPrefix(workspace, stored[0].ModelId) ?? string.Empty);
        }

        if (!string.IsNullOrWhiteSpace(spec) && stored.Any(m => m.ModelId == spec))
        {
            return (spec, WorkspaceEmbedder.RecordedPrefix(workspace, spec) ?? string.Empty);
        }

        var choice = EmbeddingModels.Choose(spec, store);
        string modelId;
        var prefix = string.Empty;
        if (choice.IsLexical)
        {
            modelId = WorkspaceEmbedder.LoadLexical(workspace)?.ModelId
                ?? throw new InvalidDataException($"workspace {workspace.Directory} has no fitted lexical encoder; run `topickit embed --model lexical` first.");
        }
        else
        {
            using var encoder = EmbeddingModels.LoadOnnx(choice, store, new SentenceEncoderOptions());
            modelId = encoder.ModelId;
            prefix = encoder.InputText(string.Empty);
        }

        return stored.Any(m => m.ModelId == modelId)
            ? (modelId, prefix)
            : throw new InvalidDataException(
                $"no embeddings of {modelId} in workspace {workspace.Directory} (cached: {string.Join(", ", stored.Select(m => m.ModelId))}); run `topickit embed --model {choice.Spec}` or pick a cached model id.");
    }

    /// <summary>
    /// Writes both files or neither: each goes to a <c>.partial</c> file first and both are renamed only when both
    /// were written, so a bad path for the second (e.g. --ids in a missing folder) leaves no matrix behind.
    /// </summary>
    private static void WriteBothAtomically(params (string Path, Action<string> Write)[] files)
    {
        var temporaries = files.Select(f => f.Path + ".partial").ToArray();
        try
        {
            for (var i = 0; i < files.Length; i++)
            {
                files[i].Write(temporaries[i]);
            }

            for (var i = 0; i < files.Length; i++)
            {
                File.Move(temporaries[i], files[i].Path, overwrite: true);
            }
        }
        catch
        {
            foreach (var temporary in temporaries)
            {
                TokenizeCommands.TryDelete(temporary);
            }

            throw;
        }
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
