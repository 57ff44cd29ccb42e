using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Tests.Storage;

/// <summary>Keeps a workspace's writer lock held by an ingestion paused after its first record, until released.</summary>
internal sealed class HeldWriterLock : IAsyncDisposable
{
    private readonly SemaphoreSlim _started = new(0);
    private readonly SemaphoreSlim _release = new(0);
    private Task<IngestResult>? _ingestion;

    private HeldWriterLock()
    {
    }

    /// <summary>Starts an ingestion of <paramref name="first"/> then <paramref name="second"/> and returns once it holds the lock.</summary>
    public static async Task<HeldWriterLock> StartAsync(TopicKit.Storage.Workspace workspace, Document first, Document? second = null)
    {
        var held = new HeldWriterLock();
        held._ingestion = Task.Run(() => workspace.IngestAsync(held.Paused(first, second)));
        await held._started.WaitAsync();
        return held;
    }

    /// <summary>Lets the ingestion finish and returns its result.</summary>
    public async Task<IngestResult> ReleaseAsync()
    {
        _release.Release();
        return await _ingestion!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_release.CurrentCount == 0 && _ingestion is { IsCompleted: false })
        {
            _release.Release();
            await _ingestion;
        }

        _started.Dispose();
        _release.Dispose();
    }

    private async IAsyncEnumerable<Document> Paused(Document first, Document? second)
    {
        yield return first;
        _started.Release();
        await _release.WaitAsync();
        if (second is not null)
        {
            yield return second;
        }
    }
}
