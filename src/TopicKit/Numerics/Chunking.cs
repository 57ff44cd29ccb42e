namespace TopicKit.Numerics;

/// <summary>
/// A fixed split of N rows into reduction chunks that depends only on N (never on the thread count), so per-chunk
/// partial sums combined in chunk order give bit-identical totals however the chunks are scheduled.
/// </summary>
internal readonly struct Chunking
{
    private const int MinChunk = 1024;
    private const int MaxChunks = 64;

    public Chunking(int n)
    {
        N = n;
        Size = Math.Max(MinChunk, (n + MaxChunks - 1) / MaxChunks);
        Count = n == 0 ? 0 : (n + Size - 1) / Size;
    }

    public int N { get; }

    public int Size { get; }

    public int Count { get; }

    public (int Start, int End) Range(int chunk) => (chunk * Size, Math.Min(N, (chunk + 1) * Size));
}
