namespace TopicKit.Cli.Tests;

/// <summary><c>topickit cluster</c> through the command tree: the contract, bad input, workspaces and signals.</summary>
public sealed partial class ClusterCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();
}
