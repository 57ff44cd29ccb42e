using TopicKit.Cli.Commands;
namespace TopicKit.Cli.Tests;

/// <summary><c>topickit cluster</c> through the command tree: the contract, bad input, workspaces and signals.</summary>
public sealed partial class ClusterCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task FailuresFollowTheErrorConvention()
    {
        CliConventions.AssertUsageError(await CliRunner.RunAsync("cluster", "-w", _folder.Combine("ws"), "--bogus"), "topickit cluster", "'--bogus'");
        CliConventions.AssertError(await CliRunner.RunAsync("cluster", "-w", _folder.Combine("absent")), ExitCodes.WorkspaceUnusable, "no workspace at");
        CliConventions.AssertError(
            await CliRunner.RunAsync("cluster", "--embeddings", _folder.Combine("missing.npy"), "-a", "kmeans", "--k", "2"), ExitCodes.BadInput, "missing.npy");
    }
}
