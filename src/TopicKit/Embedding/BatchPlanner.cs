namespace TopicKit.Embedding;

/// <summary>One model call: which inputs go in it and how long its padded rows are.</summary>
/// <param name="Start">Offset into the planner's length-sorted order.</param>
/// <param name="Count">Number of sequences.</param>
/// <param name="PaddedLength">Longest sequence in the batch; every row is padded to it.</param>
internal readonly record struct PlannedBatch(int Start, int Count, int PaddedLength);

/// <summary>
/// Groups sequences of similar length so that padding is minimal: sort by token count, then cut
/// batches whose padded size (rows x longest row) stays under a token budget.
/// </summary>
internal static class BatchPlanner
{
    /// <summary>Plans batches for sequences of the given lengths.</summary>
    /// <param name="lengths">Token count per sequence, in input order.</param>
    /// <param name="tokenBudget">Largest rows x padded length of one batch.</param>
    /// <param name="maxBatchSize">Largest number of rows of one batch.</param>
    /// <returns>The input indices in processing order (by length ascending, ties by index) and the batches over it.</returns>
    public static (int[] Order, List<PlannedBatch> Batches) Plan(ReadOnlySpan<int> lengths, int tokenBudget, int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenBudget);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        var order = new int[lengths.Length];
        var keys = new long[lengths.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = ((long)lengths[i] << 32) | (uint)i;
        }

        // Sorting on (length, index) keys keeps the plan independent of sort stability.
        Array.Sort(keys, order);

        var batches = new List<PlannedBatch>();
        var start = 0;
        while (start < order.Length)
        {
            var count = 0;
            var padded = 0;
            while (start + count < order.Length && count < maxBatchSize)
            {
                var next = Math.Max(lengths[order[start + count]], 1);
                if (count > 0 && (long)(count + 1) * Math.Max(padded, next) > tokenBudget)
                {
                    break;
                }

                padded = Math.Max(padded, next);
                count++;
            }

            batches.Add(new PlannedBatch(start, count, padded));
            start += count;
        }

        return (order, batches);
    }

    /// <summary>
    /// The order to hand batches to concurrent workers: most padded tokens first (ties by position), so the batches
    /// left when workers run out of work are the cheapest and no worker idles long at the end of a chunk.
    /// </summary>
    public static PlannedBatch[] LongestFirst(IEnumerable<PlannedBatch> batches) =>
        [.. batches.OrderByDescending(b => (long)b.Count * b.PaddedLength).ThenByDescending(b => b.PaddedLength).ThenBy(b => b.Start)];
}
