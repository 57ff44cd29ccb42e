namespace TopicKit.Duplicates;

/// <summary>Disjoint sets over 0..N-1 with union by size and path halving; the root of a set is deterministic for a given union order.</summary>
internal sealed class UnionFind
{
    private readonly int[] _parent;
    private readonly int[] _size;

    /// <summary>N singleton sets.</summary>
    public UnionFind(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _parent = new int[count];
        _size = new int[count];
        for (var i = 0; i < count; i++)
        {
            _parent[i] = i;
            _size[i] = 1;
        }
    }

    /// <summary>Number of elements.</summary>
    public int Count => _parent.Length;

    /// <summary>The representative of <paramref name="x"/>'s set.</summary>
    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }

        return x;
    }

    /// <summary>Merges the sets of <paramref name="a"/> and <paramref name="b"/>; returns false when they were already one.</summary>
    public bool Union(int a, int b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra == rb)
        {
            return false;
        }

        if (_size[ra] < _size[rb] || (_size[ra] == _size[rb] && rb < ra))
        {
            (ra, rb) = (rb, ra);
        }

        _parent[rb] = ra;
        _size[ra] += _size[rb];
        return true;
    }

    /// <summary>The sets with at least <paramref name="minSize"/> elements, each sorted ascending, ordered by their smallest element.</summary>
    public IReadOnlyList<int[]> Sets(int minSize = 2)
    {
        var byRoot = new Dictionary<int, List<int>>();
        var order = new List<int>();
        for (var i = 0; i < _parent.Length; i++)
        {
            var root = Find(i);
            if (_size[root] < minSize)
            {
                continue;
            }

            if (!byRoot.TryGetValue(root, out var list))
            {
                list = [];
                byRoot.Add(root, list);
                order.Add(root);
            }

            list.Add(i);
        }

        return [.. order.Select(r => byRoot[r].ToArray())];
    }
}
