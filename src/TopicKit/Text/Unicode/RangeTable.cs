namespace TopicKit.Text.Unicode;

/// <summary>Look-up in the generated tables of sorted, disjoint (start, end, value) code point ranges.</summary>
internal static class RangeTable
{
    /// <summary>The value of the range holding <paramref name="cp"/>, or 0 when none does.</summary>
    public static int Find(ReadOnlySpan<int> triples, int cp)
    {
        var lo = 0;
        var hi = (triples.Length / 3) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var i = mid * 3;
            if (cp < triples[i])
            {
                hi = mid - 1;
            }
            else if (cp > triples[i + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return triples[i + 2];
            }
        }

        return 0;
    }
}
