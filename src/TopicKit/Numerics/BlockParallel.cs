namespace TopicKit.Numerics;

/// <summary>
/// Runs independent blocks of work with <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>, or inline when
/// there is a single block or one thread is requested. Each block must write only its own outputs so that the result
/// does not depend on scheduling.
/// </summary>
internal static class BlockParallel
{
    public static void For<TScratch>(
        int blockCount, int maxDegreeOfParallelism, Func<TScratch> scratch, Action<int, TScratch> body, CancellationToken cancellationToken)
    {
        if (blockCount <= 0)
        {
            return;
        }

        if (blockCount == 1 || maxDegreeOfParallelism == 1 || Environment.ProcessorCount == 1)
        {
            var local = scratch();
            for (var b = 0; b < blockCount; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(b, local);
            }

            return;
        }

        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism <= 0 ? -1 : maxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        Parallel.For(
            0,
            blockCount,
            options,
            scratch,
            (b, _, local) =>
            {
                body(b, local);
                return local;
            },
            _ => { });
    }
}
