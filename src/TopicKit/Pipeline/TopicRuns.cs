using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>A stored run with topics: the run, its representation and its documents (texts and final labels, in stored order).</summary>
/// <param name="Run">The run record.</param>
/// <param name="Representation">The stored topic representation.</param>
/// <param name="Documents">Texts, labels and ids of the run's documents.</param>
public sealed record StoredTopicsRun(RunInfo Run, TopicRepresentation Representation, TopicDocuments Documents);

/// <summary>
/// How runs keep their topics and map in the workspace, so later commands (<c>report</c>, <c>topics hierarchy</c>, ...)
/// read them: the representation as the artifact <c>topics/run-N</c> (a zip of the folder
/// <see cref="TopicRepresentation.Save"/> writes) and the 2-D map as <c>map/run-N</c> (a float32 <c>.npy</c>, N x 2,
/// one row per run result in stored document order). Run parameters name the embedding model (<c>model</c>) and text
/// (<c>text</c>) whose vectors the run used.
/// </summary>
public static class TopicRuns
{
    /// <summary>The artifact name of run <paramref name="runId"/>'s topic representation.</summary>
    public static string RepresentationArtifact(long runId) => string.Create(CultureInfo.InvariantCulture, $"topics/run-{runId}");

    /// <summary>The artifact name of run <paramref name="runId"/>'s 2-D map.</summary>
    public static string MapArtifact(long runId) => string.Create(CultureInfo.InvariantCulture, $"map/run-{runId}");

    /// <summary>The representation as artifact bytes (a zip of its saved folder).</summary>
    public static byte[] Pack(TopicRepresentation representation)
    {
        ArgumentNullException.ThrowIfNull(representation);
        var folder = Directory.CreateTempSubdirectory("topickit-topics-");
        try
        {
            representation.Save(folder.FullName);
            using var buffer = new MemoryStream();
            ZipFile.CreateFromDirectory(folder.FullName, buffer);
            return buffer.ToArray();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Reads bytes written by <see cref="Pack(TopicRepresentation)"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a stored representation.</exception>
    public static TopicRepresentation Unpack(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var folder = Directory.CreateTempSubdirectory("topickit-topics-");
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            {
                zip.ExtractToDirectory(folder.FullName);
            }

            return TopicRepresentation.Load(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A 2-D map as artifact bytes (float32 <c>.npy</c>).</summary>
    public static byte[] PackMap(Matrix map)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var buffer = new MemoryStream();
        NpyFile.Write(buffer, map);
        return buffer.ToArray();
    }

    /// <summary>The stored representation of run <paramref name="runId"/>, or <see langword="null"/> when it has none.</summary>
    public static TopicRepresentation? LoadRepresentation(Workspace workspace, long runId)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return workspace.Artifacts.Get(RepresentationArtifact(runId)) is { } bytes ? Unpack(bytes) : null;
    }

    /// <summary>The stored 2-D map of run <paramref name="runId"/>, or <see langword="null"/> when it has none.</summary>
    public static Matrix? LoadMap(Workspace workspace, long runId)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return workspace.Artifacts.Get(MapArtifact(runId)) is { } bytes ? NpyFile.Read(new MemoryStream(bytes), MapArtifact(runId)) : null;
    }

    /// <summary>Whether run <paramref name="runId"/> has a stored representation.</summary>
    public static bool HasTopics(Workspace workspace, long runId, IReadOnlySet<string>? artifactNames = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        artifactNames ??= workspace.Artifacts.List().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return artifactNames.Contains(RepresentationArtifact(runId));
    }

    /// <summary>The latest completed run with a stored representation (a <c>topics</c> or <c>run</c> run), or <see langword="null"/>.</summary>
    public static RunInfo? Latest(Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var names = workspace.Artifacts.List().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return workspace.Runs.List().LastOrDefault(r => r.Status == RunStatus.Completed && HasTopics(workspace, r.Id, names));
    }

    /// <summary>The latest (or the given) run with topics, its representation and its documents.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="runId">The run; <see langword="null"/> for <see cref="Latest"/>.</param>
    /// <param name="text">Which text of each document the topics describe.</param>
    /// <exception cref="KeyNotFoundException">No run <paramref name="runId"/>.</exception>
    /// <exception cref="InvalidDataException">No run with topics, or the given run has none.</exception>
    public static StoredTopicsRun Load(Workspace workspace, long? runId, EmbeddingTextField text = EmbeddingTextField.TitleAbstract)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var info = runId is { } id
            ? workspace.Runs.Get(id) ?? throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"no run {id} in workspace {workspace.Directory}."))
            : Latest(workspace)
              ?? throw new InvalidDataException($"workspace {workspace.Directory} has no run with topics; run `topickit topics` or `topickit run` first.");
        var representation = LoadRepresentation(workspace, info.Id)
            ?? throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture, $"run {info.Id} ({info.Kind}) has no stored topics; pass the id of a `topickit topics` or `topickit run` run."));
        return new StoredTopicsRun(info, representation, Documents(workspace, info.Id, text));
    }

    /// <summary>The run's documents in stored order, with their texts and the run's labels.</summary>
    public static TopicDocuments Documents(Workspace workspace, long runId, EmbeddingTextField text = EmbeddingTextField.TitleAbstract)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var documents = workspace.Documents.List().ToDictionary(d => d.Id, StringComparer.Ordinal);
        var results = workspace.Runs.GetResults(runId);
        var texts = results.Select(r => EmbeddingText.For(documents[r.DocumentId], text)).ToArray();
        return new TopicDocuments(texts, results.Select(r => r.Label).ToArray()) { Ids = results.Select(r => r.DocumentId).ToArray() };
    }

    /// <summary>
    /// The embedding model and text a run's vectors came from, as its parameters record them (<c>model</c>, <c>text</c>);
    /// <see langword="null"/> model when the run names none (then the workspace's default model applies).
    /// </summary>
    public static (string? Model, EmbeddingTextField Text, int? Seed) VectorsOf(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var parameters = JsonDocument.Parse(run.ParametersJson);
        var root = parameters.RootElement;
        string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var text = Text("text") is { } t && EmbeddingText.Names.Contains(t) ? EmbeddingText.Parse(t) : EmbeddingTextField.TitleAbstract;
        int? seed = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("seed", out var s) && s.TryGetInt32(out var n) ? n : null;
        return (Text("model"), text, seed);
    }
}
