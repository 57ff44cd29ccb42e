using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using TopicKit.Embedding;
using TopicKit.Numerics;

namespace TopicKit.Storage;

/// <summary>
/// The embedding cache of a <see cref="Workspace"/>: float32 vectors keyed by (model id, text hash), stored as
/// little-endian BLOBs so a round trip is bit-exact. Every query names one model, so vectors of different models never
/// mix, and all vectors of one model have the same dimension. Obtain it from <see cref="Workspace.Embeddings"/>.
/// </summary>
public sealed class EmbeddingStore : IEmbeddingCache
{
    /// <summary>Hashes sent to SQLite per statement (as one JSON array parameter).</summary>
    private const int ChunkSize = 20_000;

    /// <summary>Requested hashes (a JSON array) that have no vector for the model, in request order.</summary>
    internal const string FindMissingSql = """
        SELECT j.value FROM json_each($hashes) j
        WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model_id = $model AND e.text_hash = j.value)
        ORDER BY j.key;
        """;

    /// <summary>Vectors of requested hashes with their index in the request. CROSS JOIN fixes the loop order: walk the
    /// requested hashes and probe the unique index for each (the planner's own choice scans the array once per stored vector).</summary>
    internal const string GetSql = """
        SELECT j.key, e.vector FROM json_each($hashes) j CROSS JOIN embeddings e
        WHERE e.model_id = $model AND e.text_hash = j.value;
        """;

    private readonly Workspace _workspace;

    internal EmbeddingStore(Workspace workspace) => _workspace = workspace;

    /// <summary>The cache key of a text: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string ComputeTextHash(string text) => IEmbeddingCache.Key(text);

    /// <summary>The vector length cached for <paramref name="modelId"/>, or <see langword="null"/> when it has no vectors.</summary>
    public int? GetDimension(string modelId)
    {
        return _workspace.Guard(() =>
        {
            ArgumentException.ThrowIfNullOrEmpty(modelId);
            return ReadDimension(null, modelId);
        });
    }

    /// <summary>The hashes among <paramref name="textHashes"/> with no vector for <paramref name="modelId"/>, each once,
    /// in order of first appearance.</summary>
    public IReadOnlyList<string> FindMissing(string modelId, IReadOnlyList<string> textHashes)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(textHashes);
        var distinct = textHashes.Distinct(StringComparer.Ordinal).ToList();
        return _workspace.Read(transaction =>
        {
            // One statement per chunk: SQLite walks the JSON array and probes the (model_id, text_hash) index natively.
            using var command = _workspace.Command(
FindMissingSql, transaction);
            command.Parameters.AddWithValue("$model", modelId);
            var hashes = command.Parameters.Add("$hashes", SqliteType.Text);
            var missing = new List<string>();
            for (var start = 0; start < distinct.Count; start += ChunkSize)
            {
                hashes.Value = StoreValues.ToJsonArray(distinct.GetRange(start, Math.Min(ChunkSize, distinct.Count - start)));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    missing.Add(reader.GetString(0));
                }
            }

            return missing;
        });
    }

    /// <summary>Stores (or replaces) one vector per hash, all in one transaction; row <c>i</c> of
    /// <paramref name="vectors"/> belongs to <c>textHashes[i]</c>. Chunking large batches into several calls is the caller's choice.</summary>
    /// <exception cref="ArgumentException">Counts differ, a vector is not finite, or the dimension differs from the
    /// vectors already cached for this model.</exception>
    public void Put(string modelId, IReadOnlyList<string> textHashes, Matrix vectors, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(textHashes);
        ArgumentNullException.ThrowIfNull(vectors);
        if (textHashes.Count != vectors.Rows)
        {
            throw new ArgumentException($"{textHashes.Count} text hashes but {vectors.Rows} vectors.", nameof(vectors));
        }

        if (vectors.Columns == 0 && vectors.Rows > 0)
        {
            throw new ArgumentException("Embedding vectors must have at least one dimension.", nameof(vectors));
        }

        vectors.EnsureFinite($"embeddings for model {modelId}");
        if (vectors.Rows == 0)
        {
            return;
        }

        _workspace.Write(
            transaction =>
            {
                var stored = ReadDimension(transaction, modelId);
                if (stored is { } dimension && dimension != vectors.Columns)
                {
                    throw new ArgumentException(
                        $"model {modelId} has {dimension}-dimensional vectors in this workspace; got {vectors.Columns}. A model id must identify one model exactly.",
                        nameof(vectors));
                }

                using var command = _workspace.Command(
                    "INSERT OR REPLACE INTO embeddings (model_id, text_hash, dimension, vector) VALUES ($model, $hash, $dimension, $vector);",
                    transaction);
                command.Parameters.AddWithValue("$model", modelId);
                command.Parameters.AddWithValue("$dimension", vectors.Columns);
                var hash = command.Parameters.Add("$hash", SqliteType.Text);
                var blob = command.Parameters.Add("$vector", SqliteType.Blob);
                for (var i = 0; i < vectors.Rows; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ArgumentException.ThrowIfNullOrEmpty(textHashes[i], nameof(textHashes));
                    hash.Value = textHashes[i];
                    blob.Value = ToBytes(vectors.RowReadOnly(i));
                    command.ExecuteNonQuery();
                }

                return 0;
            },
            cancellationToken);
    }

    /// <summary>The vectors of <paramref name="textHashes"/> for <paramref name="modelId"/>, row <c>i</c> for
    /// <c>textHashes[i]</c>, in one contiguous row-major matrix.</summary>
    /// <exception cref="KeyNotFoundException">A hash has no vector for this model (use <see cref="FindMissing"/> first).</exception>
    public Matrix Get(string modelId, IReadOnlyList<string> textHashes)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(textHashes);
        return _workspace.Read(transaction =>
        {
            var dimension = ReadDimension(transaction, modelId);
            if (dimension is null)
            {
                return textHashes.Count == 0
                    ? new Matrix(0, 0)
                    : throw new KeyNotFoundException($"model {modelId} has no cached embeddings in workspace {_workspace.Directory}.");
            }

            var result = new Matrix(textHashes.Count, dimension.Value);
            var filled = new bool[textHashes.Count];
            var bytes = new byte[dimension.Value * sizeof(float)];
            using var command = _workspace.Command(
GetSql, transaction);
            command.Parameters.AddWithValue("$model", modelId);
            var hashes = command.Parameters.Add("$hashes", SqliteType.Text);
            var all = textHashes as List<string> ?? [.. textHashes];
            for (var start = 0; start < all.Count; start += ChunkSize)
            {
                hashes.Value = StoreValues.ToJsonArray(all.GetRange(start, Math.Min(ChunkSize, all.Count - start)));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var row = start + reader.GetInt32(0);
                    var length = reader.GetBytes(1, 0, null, 0, 0);
                    if (length != bytes.Length)
                    {
                        throw new InvalidDataException(
                            $"embedding {all[row]} of model {modelId} holds {length} bytes, expected {bytes.Length}; the workspace is damaged.");
                    }

                    reader.GetBytes(1, 0, bytes, 0, bytes.Length);
                    FromBytes(bytes, result.Row(row));
                    filled[row] = true;
                }
            }

            var firstMissing = Array.IndexOf(filled, false);
            if (firstMissing >= 0)
            {
                throw new KeyNotFoundException($"no {modelId} embedding for text hash {all[firstMissing]} (row {firstMissing}).");
            }

            return result;
        });
    }

    /// <summary>Removes every vector of <paramref name="modelId"/>; returns how many were removed.</summary>
    public int Delete(string modelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        return _workspace.Write(transaction =>
        {
            using var command = _workspace.Command("DELETE FROM embeddings WHERE model_id = $model;", transaction);
            command.Parameters.AddWithValue("$model", modelId);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>Every model with cached vectors, by model id.</summary>
    public IReadOnlyList<EmbeddingModelInfo> ListModels()
    {
        return _workspace.Guard(() =>
        {
            using var command = _workspace.Command(
                "SELECT model_id, MIN(dimension), COUNT(*) FROM embeddings GROUP BY model_id ORDER BY model_id;", null);
            using var reader = command.ExecuteReader();
            var models = new List<EmbeddingModelInfo>();
            while (reader.Read())
            {
                models.Add(new EmbeddingModelInfo(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2)));
            }

            return models;
        });
    }

    private int? ReadDimension(SqliteTransaction? transaction, string modelId)
    {
        using var command = _workspace.Command("SELECT dimension FROM embeddings WHERE model_id = $model LIMIT 1;", transaction);
        command.Parameters.AddWithValue("$model", modelId);
        return command.ExecuteScalar() is long dimension ? (int)dimension : null;
    }

    private static byte[] ToBytes(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(bytes);
        }
        else
        {
            for (var j = 0; j < vector.Length; j++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(j * sizeof(float)), vector[j]);
            }
        }

        return bytes;
    }

    private static void FromBytes(ReadOnlySpan<byte> bytes, Span<float> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
            return;
        }

        for (var j = 0; j < destination.Length; j++)
        {
            destination[j] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(j * sizeof(float))..]);
        }
    }
}
