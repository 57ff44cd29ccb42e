using System.Globalization;
using System.IO.Compression;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Cli.Commands;

/// <summary>
/// What <c>topickit topics</c> works on: workspace documents with labels from a cluster run or a <c>doc_id,label</c> CSV
/// (non-integer labels are numbered 0..k-1 in ordinal order and keep their text as the topic's label), plus the
/// workspace's embeddings when there are any. Also stores and reloads a topics run's representation.
/// </summary>
internal sealed record TopicsInput(TopicDocuments Documents, IReadOnlyDictionary<int, string> NamedLabels, string Source, long? SourceRun)
{
    public const string RunKind = "topics";

    public static string ArtifactName(long runId) => string.Create(CultureInfo.InvariantCulture, $"topics/run-{runId}");

    public static TopicsInput Load(Workspace workspace, long? run, FileInfo? labelsFile, EmbeddingTextField text)
    {
        var documents = workspace.Documents.List();
        if (documents.Count == 0)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} has no documents; run `topickit ingest FILE` first.");
        }

        var byId = documents.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var labelOf = new Dictionary<string, string>(StringComparer.Ordinal);
        string source;
        long? sourceRun = null;
        if (labelsFile is not null)
        {
            if (run is not null)
            {
                throw new ArgumentException("give either --run or --labels, not both.");
            }

            ReadLabels(labelsFile.FullName, byId, labelOf);
            source = labelsFile.FullName;
        }
        else
        {
            var info = run is { } id
                ? workspace.Runs.Get(id) ?? throw new KeyNotFoundException($"no run {id} in workspace {workspace.Directory}; `topickit cluster` creates one.")
                : workspace.Runs.List().LastOrDefault(r => r.Kind is "cluster" && r.Status == RunStatus.Completed)
                  ?? throw new InvalidDataException($"workspace {workspace.Directory} has no cluster run; run `topickit cluster` first or pass --labels FILE.csv.");
            foreach (var r in workspace.Runs.GetResults(info.Id))
            {
                labelOf[r.DocumentId] = r.Label.ToString(CultureInfo.InvariantCulture);
            }

            source = string.Create(CultureInfo.InvariantCulture, $"run {info.Id} ({info.Kind})");
            sourceRun = info.Id;
        }

        var numeric = labelOf.Values.All(v => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= -1);
        var names = numeric ? [] : labelOf.Values.Distinct().Order(StringComparer.Ordinal).ToArray();
        var nameIndex = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var rows = documents.Select((d, i) => (d, i)).Where(p => labelOf.ContainsKey(p.d.Id)).ToArray();
        var labels = rows.Select(p => numeric ? int.Parse(labelOf[p.d.Id], CultureInfo.InvariantCulture) : nameIndex[labelOf[p.d.Id]]).ToArray();
        var texts = rows.Select(p => EmbeddingText.For(p.d, text)).ToArray();
        var ids = rows.Select(p => p.d.Id).ToArray();
        Matrix? embeddings = null;
        if (workspace.Embeddings.ListModels().Count > 0)
        {
            var vectors = ClusterInput.FromWorkspace(workspace, null, text, ModelStore.Create(null));
            var rowOf = vectors.DocumentIds!.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
            embeddings = vectors.Vectors.SelectRows(ids.Select(id => rowOf[id]).ToArray());
        }

        var named = names.Select((n, i) => (n, i)).ToDictionary(p => p.i, p => p.n);
        return new TopicsInput(new TopicDocuments(texts, labels) { Ids = ids, Embeddings = embeddings }, named, source, sourceRun);
    }

    /// <summary>Stores the representation as a zip of its saved folder under the run's artifact name.</summary>
    public static void StoreRepresentation(Workspace workspace, long runId, TopicRepresentation representation)
    {
        var folder = Directory.CreateTempSubdirectory("topickit-topics-");
        try
        {
            representation.Save(folder.FullName);
            using var buffer = new MemoryStream();
            ZipFile.CreateFromDirectory(folder.FullName, buffer);
            workspace.Artifacts.Put(ArtifactName(runId), buffer.ToArray());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The latest (or the given) topics run, its representation and its documents.</summary>
    public static (RunInfo Run, TopicRepresentation Representation, TopicDocuments Documents) LoadRun(Workspace workspace, long? run, EmbeddingTextField text)
    {
        var info = run is { } id
            ? workspace.Runs.Get(id) ?? throw new KeyNotFoundException($"no run {id} in workspace {workspace.Directory}.")
            : workspace.Runs.List().LastOrDefault(r => r.Kind == RunKind)
              ?? throw new InvalidDataException($"workspace {workspace.Directory} has no topics run; run `topickit topics` first.");
        var bytes = workspace.Artifacts.Get(ArtifactName(info.Id))
            ?? throw new InvalidDataException($"run {info.Id} is not a topics run (no stored representation); pass the id of a `topickit topics` run.");
        var folder = Directory.CreateTempSubdirectory("topickit-topics-");
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            {
                zip.ExtractToDirectory(folder.FullName);
            }

            var representation = TopicRepresentation.Load(folder.FullName);
            var documents = workspace.Documents.List().ToDictionary(d => d.Id, StringComparer.Ordinal);
            var results = workspace.Runs.GetResults(info.Id);
            var texts = results.Select(r => EmbeddingText.For(documents[r.DocumentId], text)).ToArray();
            var docs = new TopicDocuments(texts, results.Select(r => r.Label).ToArray()) { Ids = results.Select(r => r.DocumentId).ToArray() };
            return (info, representation, docs);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void ReadLabels(string path, Dictionary<string, int> byId, Dictionary<string, string> labelOf)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--labels {path}: file not found.", path);
        }

        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray() ?? [];
        var idColumn = Array.IndexOf(header, "doc_id");
        var labelColumn = Array.IndexOf(header, "label");
        if (idColumn < 0 || labelColumn < 0)
        {
            throw new InvalidDataException($"{path}: line 1 must be a header with the columns doc_id and label (as `topickit cluster --out` writes).");
        }

        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var fields = text.Split(',');
            if (fields.Length <= Math.Max(idColumn, labelColumn))
            {
                throw new InvalidDataException($"{path}: line {line} has {fields.Length} fields; the header names {header.Length}.");
            }

            var id = fields[idColumn].Trim();
            var label = fields[labelColumn].Trim();
            if (!byId.ContainsKey(id))
            {
                throw new InvalidDataException($"{path}: line {line}: no document '{id}' in the workspace; ingest it or remove the line.");
            }

            if (label.Length == 0 || !labelOf.TryAdd(id, label))
            {
                throw new InvalidDataException($"{path}: line {line}: {(label.Length == 0 ? "empty label" : $"document '{id}' is labelled twice")}.");
            }
        }

        if (labelOf.Count == 0)
        {
            throw new InvalidDataException($"{path}: no labelled documents after the header.");
        }
    }
}
