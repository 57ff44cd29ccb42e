using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TopicKit.Storage;

/// <summary>Runs of pipeline stages and their per-document results; obtain it from <see cref="Workspace.Runs"/>.</summary>
public sealed class RunStore
{
    private const string RunColumns = "id, kind, parameters, created_utc, status, finished_utc";

    private readonly Workspace _workspace;

    internal RunStore(Workspace workspace) => _workspace = workspace;

    /// <summary>Creates a run in status <see cref="RunStatus.Running"/>.</summary>
    /// <param name="kind">What runs, e.g. <c>"hdbscan"</c>.</param>
    /// <param name="parametersJson">Its parameters as a JSON document.</param>
    /// <exception cref="ArgumentException"><paramref name="parametersJson"/> is not valid JSON.</exception>
    public RunInfo Create(string kind, string parametersJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        EnsureJson(parametersJson);
        var created = DateTimeOffset.UtcNow;
        var id = _workspace.Write(transaction =>
        {
            using var command = _workspace.Command(
                "INSERT INTO runs (kind, parameters, created_utc, status) VALUES ($kind, $parameters, $created, $status) RETURNING id;",
                transaction);
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$parameters", parametersJson);
            command.Parameters.AddWithValue("$created", StoreValues.ToText(created));
            command.Parameters.AddWithValue("$status", nameof(RunStatus.Running));
            return (long)command.ExecuteScalar()!;
        });
        return Get(id)!;
    }

    /// <summary>The run with id <paramref name="runId"/>, or <see langword="null"/>.</summary>
    public RunInfo? Get(long runId)
    {
        return _workspace.Guard(() =>
        {
            using var command = _workspace.Command($"SELECT {RunColumns} FROM runs WHERE id = $id;", null);
            command.Parameters.AddWithValue("$id", runId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRun(reader) : null;
        });
    }

    /// <summary>All runs, oldest first.</summary>
    public IReadOnlyList<RunInfo> List()
    {
        return _workspace.Guard(() =>
        {
            using var command = _workspace.Command($"SELECT {RunColumns} FROM runs ORDER BY id;", null);
            using var reader = command.ExecuteReader();
            var runs = new List<RunInfo>();
            while (reader.Read())
            {
                runs.Add(ReadRun(reader));
            }

            return runs;
        });
    }

    /// <summary>Sets the run's status; leaving <see cref="RunStatus.Running"/> stamps the finish time.</summary>
    /// <exception cref="KeyNotFoundException">No such run.</exception>
    public RunInfo SetStatus(long runId, RunStatus status)
    {
        var changed = _workspace.Write(transaction =>
        {
            using var command = _workspace.Command(
                "UPDATE runs SET status = $status, finished_utc = $finished WHERE id = $id;", transaction);
            command.Parameters.AddWithValue("$status", status.ToString());
            command.Parameters.AddWithValue(
                "$finished", status == RunStatus.Running ? DBNull.Value : StoreValues.ToText(DateTimeOffset.UtcNow));
            command.Parameters.AddWithValue("$id", runId);
            return command.ExecuteNonQuery();
        });
        return changed == 1 ? Get(runId)! : throw new KeyNotFoundException($"no run {runId} in workspace {_workspace.Directory}.");
    }

    /// <summary>Stores (or replaces) per-document results of a run, all in one transaction.</summary>
    /// <exception cref="KeyNotFoundException">No such run, or a result names a document that is not stored.</exception>
    public void PutResults(long runId, IReadOnlyList<RunResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        _workspace.Write(
            transaction =>
            {
                using var exists = _workspace.Command("SELECT 1 FROM runs WHERE id = $id;", transaction);
                exists.Parameters.AddWithValue("$id", runId);
                if (exists.ExecuteScalar() is null)
                {
                    throw new KeyNotFoundException($"no run {runId} in workspace {_workspace.Directory}.");
                }

                InsertResults(transaction, runId, results, cancellationToken);
                return 0;
            },
            cancellationToken);
    }

    /// <summary>
    /// Records a finished run in one transaction: the run (status <see cref="RunStatus.Completed"/>, created and
    /// finished now) with all its per-document results. An error or a cancellation leaves the store unchanged.
    /// </summary>
    /// <param name="kind">What ran, e.g. <c>"cluster"</c>.</param>
    /// <param name="parametersJson">Its parameters as a JSON document.</param>
    /// <param name="results">One result per document.</param>
    /// <param name="cancellationToken">Cancelling before the commit rolls everything back.</param>
    /// <exception cref="ArgumentException"><paramref name="parametersJson"/> is not valid JSON.</exception>
    /// <exception cref="KeyNotFoundException">A result names a document that is not stored.</exception>
    public RunInfo Record(string kind, string parametersJson, IReadOnlyList<RunResult> results, CancellationToken cancellationToken = default) =>
        Record(kind, parametersJson, results, null, cancellationToken);

    /// <summary>
    /// Records a finished run as <see cref="Record(string, string, IReadOnlyList{RunResult}, CancellationToken)"/> does,
    /// together with named artifacts (e.g. the run's topic representation) in the same transaction: either the run and
    /// all its artifacts are stored, or nothing is.
    /// </summary>
    /// <param name="kind">What ran, e.g. <c>"topics"</c>.</param>
    /// <param name="parametersJson">Its parameters as a JSON document.</param>
    /// <param name="results">One result per document.</param>
    /// <param name="artifacts">Given the new run's id, the artifacts to store under their names; <see langword="null"/>: none.</param>
    /// <param name="cancellationToken">Cancelling before the commit rolls everything back.</param>
    /// <exception cref="ArgumentException"><paramref name="parametersJson"/> is not valid JSON.</exception>
    /// <exception cref="KeyNotFoundException">A result names a document that is not stored.</exception>
    public RunInfo Record(
        string kind, string parametersJson, IReadOnlyList<RunResult> results, Func<long, IEnumerable<KeyValuePair<string, byte[]>>>? artifacts,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(results);
        EnsureJson(parametersJson);
        var now = StoreValues.ToText(DateTimeOffset.UtcNow);
        var id = _workspace.Write(
            transaction =>
            {
                using var command = _workspace.Command(
                    """
                    INSERT INTO runs (kind, parameters, created_utc, status, finished_utc)
                    VALUES ($kind, $parameters, $created, $status, $created) RETURNING id;
                    """,
                    transaction);
                command.Parameters.AddWithValue("$kind", kind);
                command.Parameters.AddWithValue("$parameters", parametersJson);
                command.Parameters.AddWithValue("$created", now);
                command.Parameters.AddWithValue("$status", nameof(RunStatus.Completed));
                var runId = (long)command.ExecuteScalar()!;
                InsertResults(transaction, runId, results, cancellationToken);
                foreach (var (name, content) in artifacts?.Invoke(runId) ?? [])
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    _workspace.Artifacts.Put(transaction, name, content);
                }

                cancellationToken.ThrowIfCancellationRequested();
                return runId;
            },
            cancellationToken);
        return Get(id)!;
    }

    /// <summary>The run's results in document ingestion order.</summary>
    public IReadOnlyList<RunResult> GetResults(long runId)
    {
        return _workspace.Guard(() =>
        {
            using var command = _workspace.Command(
                """
                SELECT r.doc_id, r.label, r.probability, r.outlier_score
                FROM run_results r JOIN documents d ON d.id = r.doc_id
                WHERE r.run_id = $run ORDER BY d.seq;
                """,
                null);
            command.Parameters.AddWithValue("$run", runId);
            using var reader = command.ExecuteReader();
            var results = new List<RunResult>();
            while (reader.Read())
            {
                results.Add(new RunResult(reader.GetString(0), reader.GetInt32(1), (float)reader.GetDouble(2), (float)reader.GetDouble(3)));
            }

            return results;
        });
    }

    /// <summary>
    /// Deletes a run, its results and the artifacts that belong to it (named <c>KIND/run-ID</c>, as the runs that
    /// <see cref="Record(string, string, IReadOnlyList{RunResult}, Func{long, IEnumerable{KeyValuePair{string, byte[]}}}?, CancellationToken)"/>
    /// stores them); returns whether it existed.
    /// </summary>
    public bool Delete(long runId) => _workspace.Write(transaction =>
    {
        using var artifacts = _workspace.Command("DELETE FROM artifacts WHERE name LIKE '%/run-' || $id;", transaction);
        artifacts.Parameters.AddWithValue("$id", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        artifacts.ExecuteNonQuery();
        using var command = _workspace.Command("DELETE FROM runs WHERE id = $id;", transaction);
        command.Parameters.AddWithValue("$id", runId);
        return command.ExecuteNonQuery() == 1;
    });

    private void InsertResults(SqliteTransaction transaction, long runId, IReadOnlyList<RunResult> results, CancellationToken cancellationToken)
    {
        using var command = _workspace.Command(
            """
            INSERT OR REPLACE INTO run_results (run_id, doc_id, label, probability, outlier_score)
            SELECT $run, id, $label, $probability, $outlier FROM documents WHERE id = $doc;
            """,
            transaction);
        command.Parameters.AddWithValue("$run", runId);
        var doc = command.Parameters.Add("$doc", SqliteType.Text);
        var label = command.Parameters.Add("$label", SqliteType.Integer);
        var probability = command.Parameters.Add("$probability", SqliteType.Real);
        var outlier = command.Parameters.Add("$outlier", SqliteType.Real);
        foreach (var result in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            doc.Value = result.DocumentId;
            label.Value = result.Label;
            probability.Value = (double)result.Probability;
            outlier.Value = (double)result.OutlierScore;
            if (command.ExecuteNonQuery() != 1)
            {
                throw new KeyNotFoundException($"run {runId}: no document '{result.DocumentId}' in workspace {_workspace.Directory}.");
            }
        }
    }

    private static void EnsureJson(string parametersJson)
    {
        ArgumentNullException.ThrowIfNull(parametersJson);
        try
        {
            using var parsed = JsonDocument.Parse(parametersJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"run parameters are not valid JSON: {ex.Message}", nameof(parametersJson), ex);
        }
    }

    private static RunInfo ReadRun(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        StoreValues.ToTime(reader.GetString(3)),
        Enum.Parse<RunStatus>(reader.GetString(4)),
        reader.IsDBNull(5) ? null : StoreValues.ToTime(reader.GetString(5)));
}
