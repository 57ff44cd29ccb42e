using System.Buffers;
using System.Security.Cryptography;

namespace TopicKit.Embedding;

/// <summary>Streaming sha256 of files, in large buffered reads so multi-hundred-MB models hash at disk speed.</summary>
internal static class ModelFileHash
{
    internal const int BufferSize = 1 << 20;

    public static string Compute(string path, CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, path, long.MaxValue, cancellationToken);
        return ToHex(hash.GetHashAndReset());
    }

    /// <summary>Feeds up to <paramref name="maxBytes"/> leading bytes of a file into a running hash; returns the count fed.</summary>
    public static long Append(IncrementalHash hash, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            long total = 0;
            while (total < maxBytes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(buffer.Length, maxBytes - total);
                var n = stream.Read(buffer, 0, want);
                if (n == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, n);
                total += n;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string ToHex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);
}
