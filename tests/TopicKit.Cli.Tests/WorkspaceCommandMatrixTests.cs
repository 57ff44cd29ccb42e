using TopicKit.Storage;
using static TopicKit.Cli.Tests.CliRunner;

using TopicKit.Tests.Storage;

namespace TopicKit.Cli.Tests;

/// <summary>
/// Every workspace command against a missing, a damaged and a read-only workspace: a documented exit code (never 70),
/// one <c>topickit: error:</c> line that says what is wrong, and the workspace left exactly as it was.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WorkspaceCommandMatrixTests : IClassFixture<WorkspaceCommandMatrixTests.Prepared>
{
    private readonly Prepared _prepared;

    public WorkspaceCommandMatrixTests(Prepared prepared) => _prepared = prepared;

    /// <summary>Command, arguments (<c>{ws}</c> and <c>{out}</c> are filled in), and whether it writes to the workspace.</summary>
    public static TheoryData<string, string[], bool> Commands => new()
    {
        { "ingest", ["ingest", "{sample}", "-w", "{ws}"], true },
        { "run", ["run", "{sample}", "-w", "{ws}"], true },
        { "docs list", ["docs", "list", "-w", "{ws}"], false },
        { "docs show", ["docs", "show", "syn-qec-07", "-w", "{ws}"], false },
        { "docs stats", ["docs", "stats", "-w", "{ws}"], false },
        { "embed", ["embed", "--model", "lexical", "--dim", "8", "--refit", "-w", "{ws}"], true },
        { "embeddings list", ["embeddings", "list", "-w", "{ws}"], false },
        { "embeddings export", ["embeddings", "export", "--model", "lexical", "--format", "npy", "--out", "{out}", "-w", "{ws}"], false },
        { "cluster", ["cluster", "--algorithm", "kmeans", "--k", "2", "--reduce", "none", "-w", "{ws}"], true },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task MissingWorkspace(string name, string[] args, bool writes)
    {
        using var folder = new TempFolder();
        var ws = folder.Combine("none");

        var run = await RunAsync(Fill(args, ws, folder));

        if (name is "ingest" or "run")
        {
            // Documented: the commands that add documents create their workspace.
            Assert.Equal(0, run.ExitCode);
            Assert.True(File.Exists(Path.Combine(ws, Workspace.DatabaseFileName)));
            return;
        }

        Assert.True(run.ExitCode == 4, $"{name} (writes: {writes}) gave exit {run.ExitCode}: {run.Stderr}");
        Assert.StartsWith("topickit: error: no workspace at ", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ws));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task DamagedWorkspace(string name, string[] args, bool writes)
    {
        using var folder = new TempFolder();
        var ws = _prepared.CopyTo(folder);
        WorkspaceDamageTests.Execute(ws, "PRAGMA user_version = -1;");
        var before = WorkspaceDamageTests.Fingerprint(ws);

        var run = await RunAsync(Fill(args, ws, folder));

        Assert.True(run.ExitCode == 4, $"{name} (writes: {writes}) gave exit {run.ExitCode}: {run.Stderr}");
        Assert.StartsWith($"topickit: error: workspace {ws} is damaged: ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, WorkspaceDamageTests.Fingerprint(ws));
        Assert.False(File.Exists(folder.Combine("out.npy")));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task ReadOnlyWorkspace(string name, string[] args, bool writes)
    {
        using var folder = new TempFolder();
        var ws = _prepared.CopyTo(folder);
        var before = WorkspaceDamageTests.Fingerprint(ws);
        CliRun run;
        using (new ReadOnlyPaths().Protect(Path.Combine(ws, Workspace.DatabaseFileName)).Protect(ws))
        {
            run = await RunAsync(Fill(args, ws, folder));
        }

        if (writes)
        {
            Assert.True(run.ExitCode == 4, $"{name} gave exit {run.ExitCode}: {run.Stderr}");
            Assert.Contains($"workspace {ws} is read-only", run.Stderr, StringComparison.Ordinal);
            Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("topickit: error:", StringComparison.Ordinal));
        }
        else
        {
            Assert.True(run.ExitCode == 0, $"{name} gave exit {run.ExitCode}: {run.Stderr}");
        }

        Assert.Equal(before, WorkspaceDamageTests.Fingerprint(ws));
    }

    private string[] Fill(string[] args, string ws, TempFolder folder) =>
        [.. args.Select(a => a.Replace("{ws}", ws, StringComparison.Ordinal)
            .Replace("{out}", folder.Combine("out.npy"), StringComparison.Ordinal)
            .Replace("{sample}", SampleCorpus, StringComparison.Ordinal))];

    /// <summary>One workspace with the sample corpus and its lexical vectors, copied for each case.</summary>
    public sealed class Prepared : IDisposable
    {
        private readonly TempFolder _folder = new();

        public Prepared()
        {
            Workspace = _folder.Combine("ws");
            Check(RunAsync("ingest", SampleCorpus, "-w", Workspace).GetAwaiter().GetResult());
            Check(RunAsync("embed", "--model", "lexical", "--dim", "8", "-w", Workspace).GetAwaiter().GetResult());
        }

        public string Workspace { get; }

        /// <summary>Copies the workspace's database (no lock or owner files) into <c>ws</c> under <paramref name="folder"/>.</summary>
        internal string CopyTo(TempFolder folder)
        {
            var target = folder.Combine("ws");
            Directory.CreateDirectory(target);
            File.Copy(Path.Combine(Workspace, TopicKit.Storage.Workspace.DatabaseFileName), Path.Combine(target, TopicKit.Storage.Workspace.DatabaseFileName));
            return target;
        }

        public void Dispose() => _folder.Dispose();

        private static void Check(CliRun run)
        {
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"preparing the workspace failed ({run.ExitCode}): {run.Stderr}");
            }
        }
    }
}
