using System.Runtime.ExceptionServices;

namespace TopicKit.Embedding;

/// <summary>
/// Runs model batches on a fixed number of workers, each taking the next batch when free. The caller's thread is
/// worker 0; the others are dedicated threads (not the thread pool, which the tokeniser uses meanwhile), so a busy
/// pool never starves the model. Every batch writes its own output rows, so results do not depend on which worker
/// ran what.
/// </summary>
internal static class BatchWorkers
{
    /// <summary>Calls <paramref name="body"/>(worker, item) once for every item in 0..<paramref name="count"/>-1.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; workers stop before their next item.</exception>
    public static void Run(int workers, int count, Action<int, int> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        workers = Math.Clamp(workers, 1, Math.Max(count, 1));
        if (workers == 1)
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(0, i);
            }

            return;
        }

        var next = -1;
        ExceptionDispatchInfo? failure = null;
        void Work(int worker)
        {
            try
            {
                int item;
                while (Volatile.Read(ref failure) is null && (item = Interlocked.Increment(ref next)) < count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    body(worker, item);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            }
        }

        var threads = new Thread[workers - 1];
        for (var w = 1; w < workers; w++)
        {
            var worker = w;
            threads[w - 1] = new Thread(() => Work(worker)) { IsBackground = true, Name = "TopicKit encoder worker" };
            threads[w - 1].Start();
        }

        Work(0);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        failure?.Throw();
    }
}
