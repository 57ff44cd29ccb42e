using System.Globalization;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>
/// What <see cref="TopicsJob"/> works on: workspace documents with labels from a cluster run or a <c>doc_id,label</c> CSV
/// (non-integer labels are numbered 0..k-1 in ordinal order and keep their text as the topic's label), plus the
/// workspace's embeddings when there are any (those of the source run's model, else of the model with the most vectors).
/// </summary>
/// <param name="Documents">Texts, labels, ids and (when stored) embeddings of the labelled documents, in stored order.</param>
/// <param name="NamedLabels">Topic id to its text label, for non-integer labels.</param>
/// <param name="Source">Where the labels came from, for messages and the run record.</param>
/// <param name="SourceRun">The cluster run read, if any.</param>
/// <param name="ModelId">The embedding model of <see cref="TopicDocuments.Embeddings"/>, if any.</param>
public sealed record TopicsInput(TopicDocuments Documents, IReadOnlyDictionary<int, string> NamedLabels, string Source, long? SourceRun, string? ModelId)
{
    /// <summary>The run kind <see cref="TopicsJob"/> records.</summary>
    public const string RunKind = "topics";

    /// <summary>Reads the labels of a run (default: the latest cluster run) or of a labels CSV, and the documents they name.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="run">The run whose labels to take; <see langword="null"/> with no <paramref name="labelsFile"/>: the latest cluster run.</param>
    /// <param name="labelsFile">A CSV with the columns <c>doc_id,label</c>.</param>
    /// <param name="text">Which text of each document is described.</param>
    /// <exception cref="ArgumentException">Both a run and a labels file.</exception>
    /// <exception cref="KeyNotFoundException">No such run.</exception>
    /// <exception cref="InvalidDataException">No documents, no cluster run, or a malformed labels file (the message names the line).</exception>
    /// <exception cref="FileNotFoundException">The labels file does not exist.</exception>
    public static TopicsInput Load(Workspace workspace, long? run, string? labelsFile, EmbeddingTextField text)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var documents = workspace.Documents.List();
        if (documents.Count == 0)
        {
            throw new InvalidDataException($"workspace {workspace.Directory} has no documents; run `topickit ingest FILE` first.");
        }

        var byId = documents.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var labelOf = new Dictionary<string, string>(StringComparer.Ordinal);
        string source;
        long? sourceRun = null;
        string? model = null;
        if (labelsFile is not null)
        {
            if (run is not null)
            {
                throw new ArgumentException("Labels and Run are two sources of labels; give one of them.", nameof(TopicsRequest.Labels));
            }

            var path = Path.GetFullPath(labelsFile);
            ReadLabels(path, byId, labelOf);
            source = path;
        }
        else
        {
            var info = run is { } id
                ? workspace.Runs.Get(id) ?? throw new KeyNotFoundException($"no run {id} in workspace {workspace.Directory}; `topickit cluster` creates one.")
                : workspace.Runs.List().LastOrDefault(r => r.Kind is "cluster" && r.Status == RunStatus.Completed)
                  ?? throw new InvalidDataException($"workspace {workspace.Directory} has no cluster run; run `topickit cluster` first or give a labels file (doc_id,label).");
            foreach (var r in workspace.Runs.GetResults(info.Id))
            {
                labelOf[r.DocumentId] = r.Label.ToString(CultureInfo.InvariantCulture);
            }

            source = string.Create(CultureInfo.InvariantCulture, $"run {info.Id} ({info.Kind})");
            sourceRun = info.Id;
            model = TopicRuns.VectorsOf(info).Model;
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
            var stored = model is not null && workspace.Embeddings.ListModels().Any(m => m.ModelId == model) ? model : null;
            var vectors = ClusterInput.FromWorkspace(workspace, stored, text, ModelStore.Create(null));
            model = vectors.ModelId;
            var rowOf = vectors.DocumentIds!.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
            embeddings = vectors.Vectors.SelectRows(ids.Select(id => rowOf[id]).ToArray());
        }

        var named = names.Select((n, i) => (n, i)).ToDictionary(p => p.i, p => p.n);
        return new TopicsInput(new TopicDocuments(texts, labels) { Ids = ids, Embeddings = embeddings }, named, source, sourceRun, embeddings is null ? null : model);
    }

    private static void ReadLabels(string path, Dictionary<string, int> byId, Dictionary<string, string> labelOf)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: labels file not found.", path);
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
