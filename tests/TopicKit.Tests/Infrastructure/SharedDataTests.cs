namespace TopicKit.Tests.Infrastructure;

public class SharedDataTests
{
    [Fact]
    public void SharedFolderHoldsTheOracles()
    {
        Assert.True(Directory.Exists(SharedData.Path("oracles", "embedding")));
        Assert.True(File.Exists(SharedData.Path("data", "arxiv-2007-04-2000.csv")));
    }
}
