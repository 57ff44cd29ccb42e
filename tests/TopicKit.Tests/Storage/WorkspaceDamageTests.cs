using System.Security.Cryptography;
using TopicKit.Corpus;
using TopicKit.Storage;
using TopicKit.Tests.Infrastructure;
using static TopicKit.Tests.Storage.WorkspaceTestKit;

namespace TopicKit.Tests.Storage;

/// <summary>
/// Damaged, empty and read-only workspaces through the library: each is a <see cref="WorkspaceException"/> (never a raw
/// SQLite error), readers work on read-only files and folders, and nothing is written by a failed or read-only open.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WorkspaceDamageTests
{
    [Fact]
    public async Task ANegativeSchemaVersionIsDamage()
    {
        using var folder = new TempFolder();
        var ws = await CreateAsync(folder);
        Execute(ws, "PRAGMA user_version = -1;");
        var before = Fingerprint(ws);

        var error = Assert.Throws<WorkspaceDamagedException>(() => Workspace.Open(ws));

        Assert.StartsWith($"workspace {ws} is damaged: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Fingerprint(ws));
    }

    [Fact]
    public async Task ADroppedTableIsDamageAtOpen()
    {
        using var folder = new TempFolder();
        var ws = await CreateAsync(folder);
        Execute(ws, "DROP TABLE run_results; DROP TABLE runs;");

        var error = Assert.Throws<WorkspaceDamagedException>(() => Workspace.Open(ws, new WorkspaceOptions(CreateIfMissing: false)));

        Assert.Contains("runs, run_results", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptedPagesAreDamageWhenRead()
    {
        using var folder = new TempFolder();
        var ws = await CreateAsync(folder, documents: 400);
        var database = Path.Combine(ws, Workspace.DatabaseFileName);
        var bytes = File.ReadAllBytes(database);
        const int Page = 4096;
        Assert.True(bytes.Length > 8 * Page, $"the test needs a database of several pages, got {bytes.Length} bytes");
        // Keep page 1 (header and schema) so the file still opens; every other page becomes garbage.
        Array.Fill(bytes, (byte)0xA5, Page, bytes.Length - Page);
        File.WriteAllBytes(database, bytes);

        using var workspace = Workspace.Open(ws, new WorkspaceOptions(CreateIfMissing: false));
        var error = Assert.Throws<WorkspaceDamagedException>(() => workspace.Documents.List());

        Assert.StartsWith($"workspace {ws} is damaged: ", error.Message, StringComparison.Ordinal);
        Assert.Throws<WorkspaceDamagedException>(() => workspace.Documents.GetStats());
        await Assert.ThrowsAsync<WorkspaceDamagedException>(() =>
            workspace.IngestAsync(Stream(Records("more.jsonl", "m", 3))));
    }

    [Fact]
    public void AZeroByteDatabaseIsNotANewWorkspaceForReaders()
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("ws");
        Directory.CreateDirectory(ws);
        var database = Path.Combine(ws, Workspace.DatabaseFileName);
        File.WriteAllBytes(database, []);

        var error = Assert.Throws<WorkspaceDamagedException>(() => Workspace.Open(ws, new WorkspaceOptions(CreateIfMissing: false)));

        Assert.Contains("empty (0 bytes)", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(database).Length);
        Assert.Equal([database], Directory.GetFiles(ws));
    }

    [Fact]
    public async Task AnIdRepeatedInOneFileIsReportedAsRenamedAndKeepsItsOriginal()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "repeat.jsonl");
        File.WriteAllText(file,
            "{\"id\": \"p1\", \"abstract\": \"first\"}\n{\"id\": \"p1\", \"abstract\": \"second\"}\n{\"id\": \"p1\", \"abstract\": \"third\"}\n");
        using var workspace = Workspace.Open(folder.Combine("ws"));

        var result = await workspace.IngestFileAsync(file);

        Assert.Equal(["p1", "p1~2", "p1~3"], result.DocumentIds);
        Assert.Equal(
            [new RenamedDocument("p1", "p1~2", "repeat.jsonl", 1), new RenamedDocument("p1", "p1~3", "repeat.jsonl", 2)],
            result.Renamed);
        Assert.Equal("p1", workspace.Documents.GetOriginalId("p1~2"));
        Assert.Equal("p1", workspace.Documents.GetOriginalId("p1"));
        Assert.Equal("first", workspace.Documents.Get("p1")!.Abstract);

        // A second file with the same id continues the same sequence, as across files before.
        var other = Path.Combine(folder.Path, "other.jsonl");
        File.WriteAllText(other, "{\"id\": \"p1\", \"abstract\": \"fourth\"}\n");
        var next = await workspace.IngestFileAsync(other);
        Assert.Equal([new RenamedDocument("p1", "p1~4", "other.jsonl", 0)], next.Renamed);
    }

    [Fact]
    public async Task AReadOnlyFolderIsReadableAndRefusesWritesWithAClearMessage()
    {
        using var folder = new TempFolder();
        var ws = await CreateAsync(folder);
        var before = Fingerprint(ws);
        using (new ReadOnlyPaths().Protect(Path.Combine(ws, Workspace.DatabaseFileName)).Protect(ws))
        {
            using var workspace = Workspace.Open(ws, new WorkspaceOptions(CreateIfMissing: false));

            Assert.True(workspace.IsReadOnly);
            Assert.Equal(10, workspace.Documents.Count());
            Assert.Equal(10, workspace.Documents.GetStats().Documents);
            var error = await Assert.ThrowsAsync<WorkspaceReadOnlyException>(() => workspace.IngestAsync(Stream(Records("b.jsonl", "b", 2))));
            Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
            Assert.Throws<WorkspaceReadOnlyException>(() => workspace.Artifacts.Put("x", [1]));
            Assert.Throws<WorkspaceReadOnlyException>(() => workspace.EnsureWritable());
        }

        // No -wal or -shm left behind, no byte changed.
        Assert.Equal(before, Fingerprint(ws));
    }

    [Fact]
    public async Task AReadOnlyDatabaseFileInAWritableFolderIsReadable()
    {
        using var folder = new TempFolder();
        var ws = await CreateAsync(folder);
        using (new ReadOnlyPaths().Protect(Path.Combine(ws, Workspace.DatabaseFileName)))
        {
            using var workspace = Workspace.Open(ws);

            Assert.True(workspace.IsReadOnly);
            Assert.Equal(10, workspace.Documents.List().Count);
            await Assert.ThrowsAsync<WorkspaceReadOnlyException>(() => workspace.IngestAsync(Stream(Records("b.jsonl", "b", 2))));
        }
    }

    [Fact]
    public async Task AnUnwritableLockFileIsReadOnlyNotInUse()
    {
        using var folder = new TempFolder();
        var ws = await CreateAsync(folder);
        var lockFile = Path.Combine(ws, "writer.lock");
        Assert.True(File.Exists(lockFile));
        using (new ReadOnlyPaths().Protect(lockFile))
        {
            using var workspace = Workspace.Open(ws, new WorkspaceOptions(LockTimeout: TimeSpan.FromMinutes(5)));

            // Before the fix this waited the whole lock timeout and then blamed "another topickit process".
            var error = await Assert.ThrowsAsync<WorkspaceReadOnlyException>(() => workspace.IngestAsync(Stream(Records("b.jsonl", "b", 2))))
                .WaitAsync(TimeSpan.FromMinutes(1));
            Assert.DoesNotContain("in use", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A workspace of <paramref name="documents"/> documents in <c>ws</c>, closed (so its WAL is checkpointed).</summary>
    internal static async Task<string> CreateAsync(TempFolder folder, int documents = 10)
    {
        var ws = folder.Combine("ws");
        using (var workspace = Workspace.Open(ws))
        {
            await workspace.IngestAsync(Stream(Records("a.jsonl", "a", documents)));
        }

        return ws;
    }

    internal static void Execute(string ws, string sql)
    {
        using var connection = OpenRaw(ws);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Names and SHA-256 of every file in the folder: any write shows.</summary>
    internal static string Fingerprint(string directory) => string.Join('\n',
        Directory.GetFiles(directory).Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));
}
