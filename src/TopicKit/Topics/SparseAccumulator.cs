namespace TopicKit.Topics;

/// <summary>
/// Sums amounts into a dense array over a fixed number of columns while remembering which columns it touched, so a
/// sparse row can be taken out (columns sorted) and the array reset in time proportional to that row, not to the
/// width. One per thread; reused row after row.
/// </summary>
internal sealed class SparseAccumulator(int columns)
{
    private readonly long[] _sums = new long[columns];
    private readonly List<int> _touched = [];

    public void Add(int column, long amount)
    {
        if (_sums[column] == 0)
        {
            _touched.Add(column);
        }

        _sums[column] += amount;
    }

    /// <summary>The touched columns in ascending order with their sums; the accumulator is empty afterwards.</summary>
    public (int[] Columns, long[] Sums) TakeRow()
    {
        _touched.Sort();
        var columns = _touched.ToArray();
        var sums = new long[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            sums[i] = _sums[columns[i]];
            _sums[columns[i]] = 0;
        }

        _touched.Clear();
        return (columns, sums);
    }
}
