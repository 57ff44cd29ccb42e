using Microsoft.Data.Sqlite;

namespace TopicKit.Storage;

/// <summary>
/// The ordered list of schema migrations. Migration <c>i</c> (1-based) turns a database of schema version
/// <c>i - 1</c> into version <c>i</c>; the version lives in <c>PRAGMA user_version</c> so it is read without any table.
/// Migrations are append-only: a released step is never edited, a change of schema is a new step.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>Marks the SQLite file as a TopicKit workspace (<c>PRAGMA application_id</c>, ASCII "TKWS").</summary>
    public const int ApplicationId = 0x544B5753;

    private static readonly string[] Steps =
    [
        // 1: documents and the log of ingestions that added them.
        """
        CREATE TABLE ingestions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            label TEXT NOT NULL,
            started_utc TEXT NOT NULL,
            added INTEGER NOT NULL,
            skipped INTEGER NOT NULL
        );
        CREATE TABLE documents (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            original_id TEXT NOT NULL,
            title TEXT,
            abstract TEXT NOT NULL,
            authors TEXT NOT NULL,
            date TEXT,
            categories TEXT NOT NULL,
            primary_category TEXT,
            source TEXT NOT NULL,
            position INTEGER NOT NULL,
            content_key TEXT NOT NULL,
            occurrence INTEGER NOT NULL,
            abstract_words INTEGER NOT NULL,
            author_count INTEGER NOT NULL,
            ingestion_id INTEGER NOT NULL REFERENCES ingestions(id)
        );
        CREATE UNIQUE INDEX documents_identity ON documents(source, content_key, occurrence);
        CREATE INDEX documents_content_key ON documents(content_key);
        """,

        // 2: embedding cache keyed by model and text hash. A rowid table, not WITHOUT ROWID: vectors of a few KiB are
        // far above the row size (about 1/20 of a page) for which SQLite recommends WITHOUT ROWID.
        """
        CREATE TABLE embeddings (
            id INTEGER PRIMARY KEY,
            model_id TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dimension INTEGER NOT NULL,
            vector BLOB NOT NULL,
            UNIQUE (model_id, text_hash)
        );
        """,

        // 3: runs, their per-document results, and named binary artifacts.
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            parameters TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            status TEXT NOT NULL,
            finished_utc TEXT
        );
        CREATE TABLE run_results (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            doc_id TEXT NOT NULL REFERENCES documents(id),
            label INTEGER NOT NULL,
            probability REAL NOT NULL,
            outlier_score REAL NOT NULL,
            PRIMARY KEY (run_id, doc_id)
        ) WITHOUT ROWID;
        CREATE TABLE artifacts (
            name TEXT PRIMARY KEY,
            content BLOB NOT NULL,
            updated_utc TEXT NOT NULL
        );
        """,
    ];

    /// <summary>The schema version this build creates and understands.</summary>
    public static int LatestVersion => Steps.Length;

    /// <summary>Reads <c>PRAGMA user_version</c>.</summary>
    public static int ReadVersion(SqliteConnection connection) => ReadPragma(connection, "user_version");

    /// <summary>Reads <c>PRAGMA application_id</c>.</summary>
    public static int ReadApplicationId(SqliteConnection connection) => ReadPragma(connection, "application_id");

    /// <summary>
    /// Applies every step above the current version up to <paramref name="targetVersion"/> inside
    /// <paramref name="transaction"/>; the caller holds the writer lock and commits.
    /// </summary>
    public static void MigrateTo(SqliteConnection connection, SqliteTransaction transaction, int targetVersion)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, LatestVersion);
        var current = ReadVersion(connection);
        for (var version = current + 1; version <= targetVersion; version++)
        {
            Execute(connection, transaction, Steps[version - 1]);
            Execute(connection, transaction, $"PRAGMA user_version = {version};");
        }

        if (current == 0 && targetVersion > 0)
        {
            Execute(connection, transaction, $"PRAGMA application_id = {ApplicationId};");
        }
    }

    /// <summary>The tables every current workspace has; a missing one means the file was tampered with or damaged.</summary>
    private static readonly string[] Tables = ["ingestions", "documents", "embeddings", "runs", "run_results", "artifacts"];

    /// <summary>Fails with <see cref="WorkspaceDamagedException"/> when a table of the latest schema is missing.</summary>
    public static void CheckTables(SqliteConnection connection, string directory)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table';";
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        var missing = Tables.Where(t => !present.Contains(t)).ToList();
        if (missing.Count > 0)
        {
            throw new WorkspaceDamagedException(directory, $"table {string.Join(", ", missing)} is missing from its database");
        }
    }

    private static int ReadPragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name + ";";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
