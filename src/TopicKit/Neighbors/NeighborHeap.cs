namespace TopicKit.Neighbors;

/// <summary>
/// A bounded max-heap of (distance, index) pairs over caller-owned spans, keeping the k smallest pairs seen.
/// Pairs compare by distance, then by index, so the kept set and its final order are deterministic under ties.
/// </summary>
internal static class NeighborHeap
{
    /// <summary>True when (d, i) orders after (dOther, iOther).</summary>
    private static bool After(float d, int i, float dOther, int iOther) => d > dOther || (d == dOther && i > iOther);

    /// <summary>Offers a candidate; <paramref name="count"/> is the number of filled slots and is updated.</summary>
    public static void Offer(Span<float> dist, Span<int> idx, ref int count, float d, int i)
    {
        var k = dist.Length;
        if (count < k)
        {
            // Sift up from the new leaf.
            var c = count++;
            while (c > 0)
            {
                var p = (c - 1) >> 1;
                if (!After(d, i, dist[p], idx[p]))
                {
                    break;
                }

                dist[c] = dist[p];
                idx[c] = idx[p];
                c = p;
            }

            dist[c] = d;
            idx[c] = i;
            return;
        }

        if (!After(dist[0], idx[0], d, i))
        {
            return;
        }

        // Replace the root and sift down.
        var pos = 0;
        while (true)
        {
            var l = (2 * pos) + 1;
            if (l >= k)
            {
                break;
            }

            var r = l + 1;
            var m = r < k && After(dist[r], idx[r], dist[l], idx[l]) ? r : l;
            if (!After(dist[m], idx[m], d, i))
            {
                break;
            }

            dist[pos] = dist[m];
            idx[pos] = idx[m];
            pos = m;
        }

        dist[pos] = d;
        idx[pos] = i;
    }

    /// <summary>The worst kept distance once the heap is full, else +infinity (any candidate may enter).</summary>
    public static float Bound(ReadOnlySpan<float> dist, int count) => count < dist.Length ? float.PositiveInfinity : dist[0];

    /// <summary>Sorts the first <paramref name="count"/> pairs ascending by (distance, index).</summary>
    /// <remarks>Distances must be non-negative (they are, after clamping), so their bit patterns order like the values.</remarks>
    public static void SortAscending(Span<float> dist, Span<int> idx, int count)
    {
        if (count > 32)
        {
            var keys = new long[count];
            for (var a = 0; a < count; a++)
            {
                keys[a] = ((long)BitConverter.SingleToInt32Bits(dist[a] + 0f) << 32) | (uint)idx[a];
            }

            Array.Sort(keys);
            for (var a = 0; a < count; a++)
            {
                dist[a] = BitConverter.Int32BitsToSingle((int)(keys[a] >> 32));
                idx[a] = (int)(keys[a] & 0xFFFFFFFF);
            }

            return;
        }

        // Insertion sort: k is small and the heap order is already partly sorted.
        for (var a = 1; a < count; a++)
        {
            var d = dist[a];
            var i = idx[a];
            var b = a - 1;
            while (b >= 0 && After(dist[b], idx[b], d, i))
            {
                dist[b + 1] = dist[b];
                idx[b + 1] = idx[b];
                b--;
            }

            dist[b + 1] = d;
            idx[b + 1] = i;
        }
    }
}
