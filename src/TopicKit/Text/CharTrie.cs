namespace TopicKit.Text;

/// <summary>
/// An immutable character trie over UTF-16 code units, used for longest-match (WordPiece) and
/// all-prefix (SentencePiece lattice) look-ups without building substrings.
/// The root has a direct 64K table (one load per first character); deeper nodes keep their
/// outgoing edges sorted for a binary search, which is short because vocabularies branch little below the root.
/// </summary>
internal sealed class CharTrie
{
    /// <summary>Returned by <see cref="Step"/> when no edge exists.</summary>
    public const int NoNode = -1;

    private readonly int[] _rootEdges;      // char -> node, 0 = none (node 0 is the root itself)
    private readonly int[] _values;         // node -> value or -1
    private readonly int[] _edgeStart;      // node -> first edge index
    private readonly int[] _edgeCount;      // node -> number of edges
    private readonly char[] _edgeChars;
    private readonly int[] _edgeTargets;

    /// <summary>Builds the trie; a later duplicate key overwrites the earlier value.</summary>
    public CharTrie(IEnumerable<KeyValuePair<string, int>> entries)
    {
        var children = new List<SortedDictionary<char, int>> { new() };
        var values = new List<int> { -1 };
        foreach (var (key, value) in entries)
        {
            if (key.Length == 0)
            {
                continue;
            }

            var node = 0;
            foreach (var c in key)
            {
                if (!children[node].TryGetValue(c, out var next))
                {
                    next = children.Count;
                    children[node][c] = next;
                    children.Add([]);
                    values.Add(-1);
                }

                node = next;
            }

            values[node] = value;
        }

        _values = [.. values];
        _rootEdges = new int[char.MaxValue + 1];
        foreach (var (c, target) in children[0])
        {
            _rootEdges[c] = target;
        }

        _edgeStart = new int[children.Count];
        _edgeCount = new int[children.Count];
        var total = 0;
        for (var i = 0; i < children.Count; i++)
        {
            _edgeStart[i] = total;
            _edgeCount[i] = i == 0 ? 0 : children[i].Count;
            total += _edgeCount[i];
        }

        _edgeChars = new char[total];
        _edgeTargets = new int[total];
        for (var i = 1; i < children.Count; i++)
        {
            var e = _edgeStart[i];
            foreach (var (c, target) in children[i])
            {
                _edgeChars[e] = c;
                _edgeTargets[e++] = target;
            }
        }
    }

    /// <summary>The root node, where every walk starts.</summary>
    public static int Root => 0;

    /// <summary>The child of <paramref name="node"/> along <paramref name="c"/>, or <see cref="NoNode"/>.</summary>
    public int Step(int node, char c)
    {
        if (node == 0)
        {
            var target = _rootEdges[c];
            return target == 0 ? NoNode : target;
        }

        var lo = _edgeStart[node];
        var hi = lo + _edgeCount[node] - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var mc = _edgeChars[mid];
            if (mc == c)
            {
                return _edgeTargets[mid];
            }

            if (mc < c)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return NoNode;
    }

    /// <summary>The value stored at <paramref name="node"/>, or -1 when no key ends there.</summary>
    public int ValueAt(int node) => _values[node];

    /// <summary>
    /// Longest key that is a prefix of <paramref name="text"/>: returns its value and sets
    /// <paramref name="length"/> (in UTF-16 units), or returns -1 with length 0.
    /// </summary>
    public int LongestPrefix(ReadOnlySpan<char> text, out int length)
    {
        var node = Root;
        var best = -1;
        length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            node = Step(node, text[i]);
            if (node == NoNode)
            {
                break;
            }

            var v = _values[node];
            if (v >= 0)
            {
                best = v;
                length = i + 1;
            }
        }

        return best;
    }
}
