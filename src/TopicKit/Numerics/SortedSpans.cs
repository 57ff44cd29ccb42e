namespace TopicKit.Numerics;

/// <summary>Set operations on ascending spans of distinct values (shingle hashes, document ids).</summary>
internal static class SortedSpans
{
    /// <summary>How many values two ascending spans of distinct values share, in one merge pass.</summary>
    public static int IntersectionCount<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : IComparable<T>
    {
        int i = 0, j = 0, count = 0;
        while (i < a.Length && j < b.Length)
        {
            var order = a[i].CompareTo(b[j]);
            if (order == 0)
            {
                count++;
                i++;
                j++;
            }
            else if (order < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return count;
    }
}
