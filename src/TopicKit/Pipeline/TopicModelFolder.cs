using System.Text.Json.Nodes;
using TopicKit.Clustering;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Reduction;
using TopicKit.Storage;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>
/// The saved form of a <see cref="FittedTopicModel"/>: <c>topic-model.json</c> (format, version, encoder, topic
/// numbering, transform settings), <c>embeddings.npy</c>, <c>documents.npy</c> (topic, probability, outlier score per
/// document), <c>map.npy</c>, and one sub-folder per fitted stage (<c>reducer/</c>, <c>clusterer/</c>,
/// <c>map-reducer/</c>, <c>topics/</c>, <c>encoder/</c>), each with its own versioned manifest.
/// </summary>
internal static class TopicModelFolder
{
    public const string Format = "topickit.topic_model";
    public const int Version = 1;
    public const string ManifestFile = "topic-model.json";
    private const string EmbeddingsFile = "embeddings.npy";
    private const string DocumentsFile = "documents.npy";
    private const string MapFile = "map.npy";
    private const string LexicalFile = "lexical.bin";

    public static void Save(FittedTopicModel model, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(target.TrimEnd(Path.DirectorySeparatorChar)) ?? ".";
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.saving-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Write(model.State, staging);
            ReplaceDirectory(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    public static FittedTopicModel Load(string directory, ISentenceEncoder? encoder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var path = Path.Combine(directory, ManifestFile);
        var manifest = ModelFolder.ReadManifest(path, Version, Format);
        var n = ModelFolder.Get<int>(manifest, "documents", path);
        var d = ModelFolder.Get<int>(manifest, "dimension", path);
        var embeddings = ModelFolder.ReadArray(Path.Combine(directory, EmbeddingsFile), n, d);
        var documents = ModelFolder.ReadArray(Path.Combine(directory, DocumentsFile), n, 3);
        var topics = new int[n];
        var probabilities = new float[n];
        var outlierScores = new float[n];
        for (var i = 0; i < n; i++)
        {
            var t = documents[i, 0];
            if (t < -1 || t != MathF.Round(t))
            {
                throw new ModelFormatException($"{Path.Combine(directory, DocumentsFile)} is damaged: row {i} has topic {t}.");
            }

            topics[i] = (int)t;
            probabilities[i] = documents[i, 1];
            outlierScores[i] = documents[i, 2];
        }

        var clusterToTopic = ModelFolder.Get<int[]>(manifest, "topic_of_cluster", path);
        var hasReducer = ModelFolder.Get<bool>(manifest, "has_reducer", path);
        var hasMapReducer = ModelFolder.Get<bool>(manifest, "has_map_reducer", path);
        var hasMap = ModelFolder.Get<bool>(manifest, "has_map", path);
        var reducer = hasReducer ? FittedReducers.Load(Path.Combine(directory, "reducer")) : null;
        var clusterer = FittedClusterers.Load(Path.Combine(directory, "clusterer"), cancellationToken);
        if (clusterer.Assignment.Labels.Length != n || clusterToTopic.Length != clusterer.Assignment.ClusterCount)
        {
            throw new ModelFormatException($"{directory}: the clusterer does not match the documents (labels or cluster count differ); the folder is damaged.");
        }

        return new FittedTopicModel(new FittedTopicModel.Parts
        {
            Encoder = LoadEncoder(directory, manifest, path, encoder, d),
            Ids = manifest["ids"] is null ? null : ModelFolder.Get<string[]>(manifest, "ids", path),
            Embeddings = embeddings,
            Reducer = reducer,
            Clusterer = clusterer,
            ClusterToTopic = clusterToTopic,
            Topics = topics,
            Probabilities = probabilities,
            OutlierScores = outlierScores,
            Representation = LoadRepresentation(Path.Combine(directory, "topics")),
            Outliers = ModelFolder.Get<OutlierSummary>(manifest, "outliers", path),
            MapReducer = hasMapReducer ? FittedReducers.Load(Path.Combine(directory, "map-reducer")) : null,
            Map = hasMap ? ModelFolder.ReadArray(Path.Combine(directory, MapFile), n, 2) : null,
            Transform = ModelFolder.Get<TopicTransformOptions>(manifest, "transform", path),
        });
    }

    private static void Write(FittedTopicModel.Parts parts, string directory)
    {
        Directory.CreateDirectory(directory);
        var encoder = new JsonObject();
        switch (parts.Encoder)
        {
            case null:
                encoder["kind"] = "none";
                break;
            case LexicalEncoder lexical:
                encoder["kind"] = "lexical";
                Directory.CreateDirectory(Path.Combine(directory, "encoder"));
                using (var stream = File.Create(Path.Combine(directory, "encoder", LexicalFile)))
                {
                    lexical.Save(stream);
                }

                break;
            case OnnxSentenceEncoder onnx:
                encoder["kind"] = "onnx";
                encoder["folder"] = Path.GetFullPath(onnx.Config.Folder);
                break;
            default:
                encoder["kind"] = "external";
                break;
        }

        if (parts.Encoder is { } e)
        {
            encoder["model_id"] = e.ModelId;
            encoder["dimension"] = e.Dimension;
        }

        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["documents"] = parts.Topics.Length,
            ["dimension"] = parts.Embeddings.Columns,
            ["encoder"] = encoder,
            ["reducer_kind"] = parts.Reducer?.Kind,
            ["clusterer_kind"] = parts.Clusterer.Kind,
            ["has_reducer"] = parts.Reducer is not null,
            ["has_map_reducer"] = parts.MapReducer is not null,
            ["has_map"] = parts.Map is not null,
            ["topic_of_cluster"] = ModelFolder.ToNode(parts.ClusterToTopic),
            ["outliers"] = ModelFolder.ToNode(parts.Outliers),
            ["transform"] = ModelFolder.ToNode(parts.Transform with { MaxDegreeOfParallelism = -1 }),
            ["topics"] = ModelFolder.ToNode(parts.Representation.Topics.Select(t => new { t.Id, t.Size, t.Label }).ToArray()),
        };
        if (parts.Ids is { } ids)
        {
            manifest["ids"] = ModelFolder.ToNode(ids);
        }

        NpyFile.Write(Path.Combine(directory, EmbeddingsFile), parts.Embeddings);
        var documents = new Matrix(parts.Topics.Length, 3);
        for (var i = 0; i < parts.Topics.Length; i++)
        {
            documents[i, 0] = parts.Topics[i];
            documents[i, 1] = parts.Probabilities[i];
            documents[i, 2] = parts.OutlierScores[i];
        }

        NpyFile.Write(Path.Combine(directory, DocumentsFile), documents);
        if (parts.Map is { } map)
        {
            NpyFile.Write(Path.Combine(directory, MapFile), map);
        }

        parts.Reducer?.Save(Path.Combine(directory, "reducer"));
        parts.Clusterer.Save(Path.Combine(directory, "clusterer"));
        parts.MapReducer?.Save(Path.Combine(directory, "map-reducer"));
        parts.Representation.Save(Path.Combine(directory, "topics"));

        // The manifest goes last: a folder without it is never mistaken for a complete model.
        ModelFolder.WriteManifest(Path.Combine(directory, ManifestFile), manifest);
    }

    private static ISentenceEncoder? LoadEncoder(string directory, JsonObject manifest, string path, ISentenceEncoder? given, int dimension)
    {
        var record = manifest["encoder"] as JsonObject ?? throw new ModelFormatException($"{path} is damaged: 'encoder' is missing.");
        var kind = ModelFolder.Get<string>(record, "kind", path);
        var savedId = record["model_id"] is null ? null : ModelFolder.Get<string>(record, "model_id", path);
        if (given is not null)
        {
            if (savedId is not null && given.ModelId != savedId)
            {
                throw new ModelFormatException($"the topic model in {directory} was fitted with encoder {savedId}, not {given.ModelId}; pass that encoder.");
            }

            if (given.Dimension != dimension)
            {
                throw new ModelFormatException($"the topic model in {directory} has {dimension}-dimensional embeddings but the encoder gives {given.Dimension}.");
            }

            return given;
        }

        switch (kind)
        {
            case "none":
                return null;
            case "lexical":
                var file = Path.Combine(directory, "encoder", LexicalFile);
                try
                {
                    using var stream = File.OpenRead(file);
                    var lexical = LexicalEncoder.Load(stream);
                    return lexical.ModelId == savedId ? lexical
                        : throw new ModelFormatException($"{file} holds lexical encoder {lexical.ModelId}, but the manifest says {savedId}; the folder is damaged.");
                }
                catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or UnauthorizedAccessException)
                {
                    throw new ModelFormatException($"{file} cannot be read: {e.Message}", e);
                }

            case "onnx":
                var folder = ModelFolder.Get<string>(record, "folder", path);
                if (!Directory.Exists(folder))
                {
                    throw new ModelFormatException(
                        $"the topic model in {directory} was fitted with the ONNX model in {folder}, which no longer exists; install it there again or pass an encoder with id {savedId}.");
                }

                var onnx = OnnxSentenceEncoder.Load(folder);
                if (onnx.ModelId != savedId)
                {
                    onnx.Dispose();
                    throw new ModelFormatException($"{folder} now holds model {onnx.ModelId}, but the topic model in {directory} was fitted with {savedId}; pass the original encoder.");
                }

                return onnx;
            default:
                throw new ModelFormatException($"the topic model in {directory} was fitted with a custom encoder ({savedId}); pass it to Load.");
        }
    }

    private static TopicRepresentation LoadRepresentation(string directory) => TopicRepresentation.Load(directory);

    /// <summary>Puts <paramref name="staging"/> in place of <paramref name="target"/>; the old folder is removed only once the new one is there.</summary>
    private static void ReplaceDirectory(string staging, string target)
    {
        if (File.Exists(target))
        {
            throw new IOException($"{target} is a file; a topic model is saved as a folder. Choose another path.");
        }

        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }

        if (Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, ManifestFile)))
        {
            throw new IOException($"{target} exists and is not a saved topic model; refusing to replace it. Choose an empty or new folder.");
        }

        var old = staging + ".old";
        Directory.Move(target, old);
        Directory.Move(staging, target);
        Directory.Delete(old, recursive: true);
    }
}
