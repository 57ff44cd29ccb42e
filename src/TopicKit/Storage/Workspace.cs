using Microsoft.Data.Sqlite;
using TopicKit.Corpus;

namespace TopicKit.Storage;

/// <summary>
/// A workspace: a folder holding one SQLite database (<see cref="DatabaseFileName"/>) with the ingested documents,
/// cached embeddings, runs with their per-document results, and named artifacts.
/// </summary>
/// <remarks>
/// <para><b>Transactions.</b> Every write (one ingestion, one embedding batch, one run update) is a single
/// <c>BEGIN IMMEDIATE</c> transaction: an exception or a cancellation anywhere in it leaves the store exactly as it was.</para>
/// <para><b>Concurrency.</b> The database runs in WAL mode, so readers never block. Writers first take the workspace's
/// exclusive writer lock (an OS file lock on <c>writer.lock</c>, released by the OS if the holder dies), waiting up to
/// <see cref="WorkspaceOptions.LockTimeout"/> before failing with <see cref="WorkspaceLockedException"/>, whose message
/// names the holder's pid. SQLite's busy timeout covers the short WAL checkpoints on top of that.
/// An instance is not thread-safe: use one per thread.</para>
/// <para><b>Re-ingestion.</b> A record's identity is (source file name, <see cref="DuplicateKey"/> of its content,
/// occurrence of that content within the source). Ingesting a record whose identity is stored already skips it, so
/// ingesting the same file twice adds nothing; an edited record is new. Exact duplicates under other identities
/// (the same abstract in two files, or twice in one file) are all stored and reported in duplicate groups.</para>
/// <para><b>Id policy.</b> Document ids are unique in the store. A new record whose id is already taken by another
/// document is stored as <c>id~2</c> (or <c>~3</c>, ... the first free one) and listed in
/// <see cref="IngestResult.Renamed"/>; its original id is kept. Given the same ingestion order this is deterministic.</para>
/// <para><b>Schema.</b> The schema version lives in <c>PRAGMA user_version</c>; opening an older workspace applies the
/// missing migrations in order (under the writer lock), a newer one is refused.</para>
/// </remarks>
public sealed class Workspace : IDisposable
{
    /// <summary>Name of the database file inside the workspace folder.</summary>
    public const string DatabaseFileName = "topickit.db";

    private readonly SqliteConnection _connection;
    private readonly WorkspaceOptions _options;
    private bool _disposed;

    private Workspace(string directory, SqliteConnection connection, WorkspaceOptions options, bool readOnly)
    {
        Directory = directory;
        _connection = connection;
        _options = options;
        IsReadOnly = readOnly;
        Documents = new DocumentStore(this);
        Embeddings = new EmbeddingStore(this);
        Runs = new RunStore(this);
        Artifacts = new ArtifactStore(this);
    }

    /// <summary>The schema version this build of TopicKit creates and migrates to.</summary>
    public static int LatestSchemaVersion => SchemaMigrations.LatestVersion;

    /// <summary>Absolute path of the workspace folder.</summary>
    public string Directory { get; }

    /// <summary>Whether the workspace was opened read-only because its folder or database file cannot be written
    /// (permissions, an immutable file, a read-only mount). Reads work; every write fails with
    /// <see cref="WorkspaceReadOnlyException"/> before touching anything.</summary>
    public bool IsReadOnly { get; }

    /// <summary>Absolute path of the SQLite database.</summary>
    public string DatabasePath => Path.Combine(Directory, DatabaseFileName);

    /// <summary>Queries over the stored documents.</summary>
    public DocumentStore Documents { get; }

    /// <summary>The embedding cache.</summary>
    public EmbeddingStore Embeddings { get; }

    /// <summary>Runs and their per-document results.</summary>
    public RunStore Runs { get; }

    /// <summary>Named binary artifacts.</summary>
    public ArtifactStore Artifacts { get; }

    /// <summary>The schema version of the open database (always <see cref="LatestSchemaVersion"/> after <see cref="Open"/>).</summary>
    public int SchemaVersion => SchemaMigrations.ReadVersion(Connection);

    internal SqliteConnection Connection
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _connection;
        }
    }

    /// <summary>Opens the workspace in <paramref name="directory"/>, creating the folder and database if needed and
    /// migrating an older schema.</summary>
    /// <exception cref="WorkspaceException">The folder holds no workspace and <see cref="WorkspaceOptions.CreateIfMissing"/>
    /// is off, the database is not a TopicKit workspace, or it was written by a newer TopicKit.</exception>
    /// <exception cref="WorkspaceLockedException">Creation or migration could not get the writer lock in time.</exception>
    public static Workspace Open(string directory, WorkspaceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= WorkspaceOptions.Default;
        var fullPath = Path.GetFullPath(directory);
        var databasePath = Path.Combine(fullPath, DatabaseFileName);
        if (File.Exists(fullPath))
        {
            throw new WorkspaceException($"workspace path {fullPath} is a file; a workspace is a folder (e.g. .topickit).");
        }

        var exists = File.Exists(databasePath);
        if (!exists)
        {
            if (!options.CreateIfMissing)
            {
                throw new WorkspaceException($"no workspace at {fullPath}; ingest some files first (topickit ingest FILE --workspace {directory}).");
            }

            System.IO.Directory.CreateDirectory(fullPath);
        }
        else if (!options.CreateIfMissing && new FileInfo(databasePath).Length == 0)
        {
            // SQLite would take an empty file for a new database and a reader would write a schema into it.
            throw new WorkspaceDamagedException(fullPath, $"{DatabaseFileName} is empty (0 bytes), probably from an interrupted creation; "
                + "remove it and ingest again, or restore it from a backup");
        }

        var readOnly = exists && !(FileAccessProbe.CanWrite(fullPath) && FileAccessProbe.CanWrite(databasePath));
        var connection = new SqliteConnection(ConnectionString(databasePath, fullPath, readOnly, options));
        try
        {
            connection.Open();
            var busyMs = (long)options.EffectiveLockTimeout.TotalMilliseconds;
            ExecuteRaw(connection, $"PRAGMA busy_timeout = {busyMs}; PRAGMA foreign_keys = ON;" + (readOnly ? string.Empty : " PRAGMA synchronous = NORMAL;"));
            var workspace = new Workspace(fullPath, connection, options, readOnly);
            workspace.EnsureSchema();
            return workspace;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw ex.SqliteErrorCode != 26 && Translate(ex, fullPath, readOnly) is WorkspaceException known
                ? known
                : new WorkspaceException($"{databasePath} cannot be opened as a TopicKit workspace: {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Read-write normally. Read-only when the folder or the database cannot be written; a read-only folder also
    /// cannot hold the WAL index (<c>-shm</c>), so without a live WAL the file is opened <c>immutable</c>, which
    /// needs no index and takes no locks.
    /// </summary>
    private static string ConnectionString(string databasePath, string folder, bool readOnly, WorkspaceOptions options)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.EffectiveLockTimeout.TotalSeconds)),
        };
        if (readOnly && !FileAccessProbe.CanWrite(folder) && !File.Exists(databasePath + "-wal"))
        {
            builder.DataSource = new Uri(databasePath).AbsoluteUri + "?immutable=1";
        }

        return builder.ToString();
    }

    /// <summary>Ingests one stream of documents (normally one file) in a single transaction.</summary>
    /// <param name="documents">The records; an exception thrown while enumerating rolls the whole ingestion back.</param>
    /// <param name="label">How the ingestion is named in results and the ingestion log (default: the first record's source).</param>
    /// <param name="cancellationToken">Cancelling rolls the ingestion back and throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidDataException">A record has an empty id or source.</exception>
    public async Task<IngestResult> IngestAsync(
        IAsyncEnumerable<Document> documents, string? label = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return await WriteAsync(
            transaction => DocumentIngestor.IngestAsync(this, transaction, documents, label, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <paramref name="path"/> with <see cref="CorpusReader"/> and ingests it in a single transaction;
    /// a <see cref="CorpusFormatException"/> anywhere in the file leaves the store unchanged.</summary>
    /// <param name="path">The corpus file; the result's label is this path.</param>
    /// <param name="format">Its format, or <see cref="CorpusFormat.Auto"/> to detect it.</param>
    /// <param name="columns">CSV/TSV column overrides.</param>
    /// <param name="cancellationToken">Cancelling rolls the file back.</param>
    public Task<IngestResult> IngestFileAsync(
        string path, CorpusFormat format = CorpusFormat.Auto, CsvColumnMap? columns = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return IngestAsync(CorpusReader.ReadAsync(path, format, columns, cancellationToken), path, cancellationToken);
    }

    /// <summary>Ingests several streams all-or-nothing: one transaction for all of them.</summary>
    /// <returns>One result per stream, in order; duplicate groups of each are as of the end of that stream.</returns>
    public async Task<IReadOnlyList<IngestResult>> IngestAllAsync(
        IReadOnlyList<(IAsyncEnumerable<Document> Documents, string? Label)> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return await WriteAsync<IReadOnlyList<IngestResult>>(
            async transaction =>
            {
                var results = new List<IngestResult>(sources.Count);
                foreach (var (documents, label) in sources)
                {
                    results.Add(await DocumentIngestor.IngestAsync(this, transaction, documents, label, cancellationToken).ConfigureAwait(false));
                }

                return results;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _connection.Dispose();
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction under the writer lock; commits when it returns.</summary>
    internal T Write<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        return Guard(() =>
        {
            using var writerLock = WriterLock.Acquire(Directory, _options.EffectiveLockTimeout, cancellationToken);
            using var transaction = BeginWrite();
            var result = work(transaction);
            transaction.Commit();
            return result;
        });
    }

    /// <summary>Asynchronous <see cref="Write{T}"/>.</summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        EnsureWritable();
        try
        {
            using var writerLock = WriterLock.Acquire(Directory, _options.EffectiveLockTimeout, cancellationToken);
            using var transaction = BeginWrite();
            var result = await work(transaction).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, Directory, IsReadOnly);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a read transaction, so all its queries see one snapshot.</summary>
    internal T Read<T>(Func<SqliteTransaction, T> work) => Guard(() =>
    {
        using var transaction = Connection.BeginTransaction(deferred: true);
        var result = work(transaction);
        transaction.Commit();
        return result;
    });

    /// <summary>Runs database work, turning SQLite failures that mean "this workspace cannot be used" (a damaged or
    /// read-only file, a missing table) into <see cref="WorkspaceException"/>s naming the workspace.</summary>
    internal T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, Directory, IsReadOnly);
        }
    }

    /// <summary>Fails with <see cref="WorkspaceReadOnlyException"/> when the workspace was opened read-only; call it
    /// before long work whose result is to be written, so the failure comes before the work.</summary>
    public void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsReadOnly)
        {
            throw new WorkspaceReadOnlyException(Directory);
        }
    }

    /// <summary>The workspace-level meaning of a SQLite error; a programming error (constraint, syntax) stays itself.</summary>
    internal static Exception Translate(SqliteException ex, string directory, bool readOnly) => ex.SqliteErrorCode switch
    {
        5 or 6 => new WorkspaceLockedException(directory, null, TimeSpan.Zero),
        8 => new WorkspaceReadOnlyException(directory, ex),                                   // SQLITE_READONLY
        11 or 26 => new WorkspaceDamagedException(directory, ex.Message, ex),                 // SQLITE_CORRUPT, SQLITE_NOTADB
        10 or 13 or 14 when readOnly => new WorkspaceReadOnlyException(directory, ex),        // IOERR, FULL, CANTOPEN
        10 => new WorkspaceException($"workspace {directory} cannot be read or written: {ex.Message} (a disk or file-system error)", ex),
        13 => new WorkspaceException($"workspace {directory} cannot be written: the disk is full; free some space and run the command again", ex),
        14 => new WorkspaceException($"workspace {directory} cannot be opened: {ex.Message}; check that the folder and {DatabaseFileName} are accessible", ex),
        1 when ex.Message.Contains("no such table", StringComparison.Ordinal) || ex.Message.Contains("no such column", StringComparison.Ordinal)
            => new WorkspaceDamagedException(directory, ex.Message, ex),
        _ => ex,
    };

    /// <summary>Creates a command bound to <paramref name="transaction"/>.</summary>
    internal SqliteCommand Command(string sql, SqliteTransaction? transaction)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// <c>BEGIN IMMEDIATE</c>. Behind the writer lock it normally succeeds at once; it waits out the busy timeout only
    /// for a writer that bypasses the lock (another SQLite client, or file locking disabled with
    /// DOTNET_SYSTEM_IO_DISABLEFILELOCKING), and then fails with the same "in use" error.
    /// </summary>
    private SqliteTransaction BeginWrite()
    {
        try
        {
            return Connection.BeginTransaction(deferred: false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            throw new WorkspaceLockedException(Directory, null, _options.EffectiveLockTimeout);
        }
    }

    private static void ExecuteRaw(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void EnsureSchema()
    {
        var version = SchemaMigrations.ReadVersion(_connection);
        if (version < 0)
        {
            throw new WorkspaceDamagedException(Directory, $"its schema version (PRAGMA user_version) is {version}, which no TopicKit writes");
        }

        if (version > LatestSchemaVersion)
        {
            throw new WorkspaceException(
                $"workspace {Directory} has schema version {version}, newer than this TopicKit understands ({LatestSchemaVersion}); upgrade topickit.");
        }

        EnsureTopicKitDatabase(version);
        if (version == LatestSchemaVersion)
        {
            SchemaMigrations.CheckTables(_connection, Directory);
            return;
        }

        if (IsReadOnly)
        {
            throw new WorkspaceReadOnlyException(Directory,
                version == 0 ? "it holds no TopicKit schema yet" : $"its schema (version {version}) needs an upgrade to version {LatestSchemaVersion}");
        }

        using var writerLock = WriterLock.Acquire(Directory, _options.EffectiveLockTimeout, CancellationToken.None);
        // WAL cannot be switched on inside a transaction; the setting is persistent, so this runs once per database.
        ExecuteRaw(_connection, "PRAGMA journal_mode = WAL;");
        using var transaction = _connection.BeginTransaction(deferred: false);
        // Another process may have migrated while this one waited for the lock; MigrateTo starts from what is there now.
        SchemaMigrations.MigrateTo(_connection, transaction, LatestSchemaVersion);
        transaction.Commit();
    }

    private void EnsureTopicKitDatabase(int version)
    {
        var applicationId = SchemaMigrations.ReadApplicationId(_connection);
        if (applicationId == SchemaMigrations.ApplicationId)
        {
            return;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_schema;";
        var objects = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (applicationId != 0 || version != 0 || objects != 0)
        {
            throw new WorkspaceException(
                $"{DatabasePath} is a SQLite database but not a TopicKit workspace; choose another --workspace folder.");
        }
    }
}
