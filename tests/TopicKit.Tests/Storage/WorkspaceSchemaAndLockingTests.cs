using Microsoft.Data.Sqlite;
using TopicKit.Corpus;
using TopicKit.Tests.Infrastructure;
using TopicKit.Storage;
using static TopicKit.Tests.Storage.WorkspaceTestKit;

namespace TopicKit.Tests.Storage;


public class WorkspaceSchemaAndLockingTests
{
    [Fact]
    public void OpenCreatesTheFolderAndTheLatestSchemaAndReopens()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("nested/ws");
        using (var workspace = Workspace.Open(path))
        {
            Assert.Equal(Path.GetFullPath(path), workspace.Directory);
            Assert.True(File.Exists(workspace.DatabasePath));
            Assert.Equal(Workspace.LatestSchemaVersion, workspace.SchemaVersion);
        }

        var before = Snapshot(path);
        using (var reopened = Workspace.Open(path, new WorkspaceOptions(CreateIfMissing: false)))
        {
            Assert.Equal(Workspace.LatestSchemaVersion, reopened.SchemaVersion);
        }

        Assert.Equal(before, Snapshot(path));
    }

    [Fact]
    public void MissingWorkspaceIsAnErrorWhenCreationIsOff()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<WorkspaceException>(() => Workspace.Open(folder.Combine("none"), new WorkspaceOptions(CreateIfMissing: false)));
        Assert.StartsWith("no workspace at ", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("none")));
    }

    [Fact]
    public void ForeignDatabasesAndFilesAreRefusedWithAClearMessage()
    {
        using var folder = new TempFolder();
        var foreign = folder.Combine("foreign");
        Directory.CreateDirectory(foreign);
        using (var connection = OpenRaw(foreign))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x INTEGER);";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<WorkspaceException>(() => Workspace.Open(foreign));
        Assert.Contains("not a TopicKit workspace", error.Message, StringComparison.Ordinal);

        var garbage = folder.Combine("garbage");
        Directory.CreateDirectory(garbage);
        File.WriteAllText(Path.Combine(garbage, Workspace.DatabaseFileName), new string('x', 4096));
        var garbageError = Assert.Throws<WorkspaceException>(() => Workspace.Open(garbage));
        Assert.Contains("cannot be opened as a TopicKit workspace", garbageError.Message, StringComparison.Ordinal);

        var file = folder.Combine("plain.txt");
        File.WriteAllText(file, "hello");
        Assert.Throws<WorkspaceException>(() => Workspace.Open(file));
    }

    [Fact]
    public async Task AVersionOneDatabaseMigratesKeepingItsDocuments()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("old");
        Directory.CreateDirectory(path);
        using (var connection = OpenRaw(path))
        {
            using var transaction = connection.BeginTransaction();
            SchemaMigrations.MigrateTo(connection, transaction, 1);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                """
                INSERT INTO ingestions (label, started_utc, added, skipped) VALUES ('old.jsonl', '2025-01-01T00:00:00.0000000+00:00', 1, 0);
                INSERT INTO documents (id, original_id, title, abstract, authors, date, categories, primary_category, source,
                                       position, content_key, occurrence, abstract_words, author_count, ingestion_id)
                VALUES ('old-1', 'old-1', 'Old title', 'An old abstract.', '["Ann"]', '2020-02-29', '["cs.CL"]', 'cs.CL',
                        'old.jsonl', 0, 'k', 0, 3, 1, 1);
                """;
            insert.ExecuteNonQuery();
            transaction.Commit();
            Assert.Equal(1, SchemaMigrations.ReadVersion(connection));
        }

        using var workspace = Workspace.Open(path);

        Assert.Equal(Workspace.LatestSchemaVersion, workspace.SchemaVersion);
        AssertSameDocument(
            new Document("old-1", "Old title", "An old abstract.", ["Ann"], new DateOnly(2020, 2, 29), ["cs.CL"], "old.jsonl", 0),
            Assert.Single(workspace.Documents.List()));
        // Tables of later versions exist and work on the migrated store.
        var run = workspace.Runs.Create("kmeans", "{\"k\":2}");
        workspace.Runs.PutResults(run.Id, [new RunResult("old-1", 1, 1f, 0.5f)]);
        Assert.Equal([new RunResult("old-1", 1, 1f, 0.5f)], workspace.Runs.GetResults(run.Id));
        var added = await workspace.IngestAsync(Stream(Records("new.jsonl", "n", 2)));
        Assert.Equal(2, added.Added);
    }

    [Fact]
    public void ANewerSchemaIsRefused()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("ws");
        using (Workspace.Open(path))
        {
        }

        using (var connection = OpenRaw(path))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {Workspace.LatestSchemaVersion + 1};";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<WorkspaceException>(() => Workspace.Open(path));
        Assert.Contains("newer than this TopicKit understands", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondWriterGetsTheInUseMessageWhileTheFirstHoldsTheLock()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("ws");
        using var first = Workspace.Open(path);
        using var second = Workspace.Open(path, new WorkspaceOptions(LockTimeout: TimeSpan.FromMilliseconds(200)));
        await using var held = await HeldWriterLock.StartAsync(first, Doc("a0", "a.jsonl", 0, "First."), Doc("a1", "a.jsonl", 1, "Second."));

        var error = await Assert.ThrowsAsync<WorkspaceLockedException>(() => second.IngestAsync(Stream(Records("b.jsonl", "b", 2))));
        Assert.StartsWith($"workspace {Path.GetFullPath(path)} is in use by another", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(pid {Environment.ProcessId})", error.Message, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessId, error.OwnerPid);
        // Readers are not blocked by the writer (WAL): the uncommitted file is invisible.
        Assert.Equal(0, second.Documents.Count());

        Assert.Equal(2, (await held.ReleaseAsync()).Added);
        Assert.Equal(2, (await second.IngestAsync(Stream(Records("b.jsonl", "b", 2)))).Added);
        Assert.Equal(4, second.Documents.Count());
    }

    [Fact]
    public async Task ConcurrentWritersWaitForEachOtherAndLoseNothing()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("ws");
        using (Workspace.Open(path))
        {
        }

        async Task WriteFiles(string prefix)
        {
            using var workspace = Workspace.Open(path, new WorkspaceOptions(LockTimeout: TimeSpan.FromSeconds(60)));
            for (var f = 0; f < 4; f++)
            {
                await workspace.IngestAsync(Stream(Records($"{prefix}{f}.jsonl", $"{prefix}{f}-", 25)));
                workspace.Embeddings.Put("m-" + prefix, [$"{prefix}{f}"], new TopicKit.Numerics.Matrix([f, 1f], 1, 2));
            }
        }

        await Task.WhenAll(Task.Run(() => WriteFiles("x")), Task.Run(() => WriteFiles("y")));

        using var check = Workspace.Open(path);
        Assert.Equal(200, check.Documents.Count());
        Assert.Equal(200, check.Documents.List().Select(d => d.Id).Distinct().Count());
        Assert.Equal(2, check.Embeddings.ListModels().Count);
        using var command = check.Connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", command.ExecuteScalar());
    }
}

public class WorkspaceForeignWriterTests
{
    [Fact]
    public async Task AWriterThatBypassesTheLockFileStillYieldsTheInUseError()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("ws");
        using var workspace = Workspace.Open(path, new WorkspaceOptions(LockTimeout: TimeSpan.FromMilliseconds(300)));
        using var foreign = OpenRaw(path);
        using var transaction = foreign.BeginTransaction(deferred: false);
        var before = Snapshot(path);

        var error = await Assert.ThrowsAsync<WorkspaceLockedException>(() => workspace.IngestAsync(Stream(Records("a.jsonl", "a", 2))));

        Assert.Null(error.OwnerPid);
        Assert.StartsWith($"workspace {Path.GetFullPath(path)} is in use by another topickit process;", error.Message, StringComparison.Ordinal);
        transaction.Rollback();
        Assert.Equal(before, Snapshot(path));
        Assert.Equal(2, (await workspace.IngestAsync(Stream(Records("a.jsonl", "a", 2)))).Added);
    }
}
