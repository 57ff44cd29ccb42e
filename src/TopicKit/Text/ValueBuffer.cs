using System.Buffers;
using System.Runtime.CompilerServices;

namespace TopicKit.Text;

/// <summary>
/// A growable buffer over <see cref="ArrayPool{T}"/> memory. It is a mutable struct: always pass it by
/// <c>ref</c> and call <see cref="Dispose"/> exactly once, so tokenising a text rents instead of allocating.
/// </summary>
internal struct ValueBuffer<T> : IDisposable
{
    private T[] _array;
    private int _count;

    public ValueBuffer(int initialCapacity)
    {
        _array = ArrayPool<T>.Shared.Rent(Math.Max(initialCapacity, 16));
        _count = 0;
    }

    public readonly int Count => _count;

    public readonly Span<T> Span => _array.AsSpan(0, _count);

    public readonly ref T this[int index] => ref _array[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T item)
    {
        if (_count == _array.Length)
        {
            Grow(_count + 1);
        }

        _array[_count++] = item;
    }

    public void AddRange(ReadOnlySpan<T> items)
    {
        if (_count + items.Length > _array.Length)
        {
            Grow(_count + items.Length);
        }

        items.CopyTo(_array.AsSpan(_count));
        _count += items.Length;
    }

    public void Clear() => _count = 0;

    /// <summary>Drops the items from <paramref name="count"/> on (used to undo a word's partial pieces).</summary>
    public void Truncate(int count) => _count = Math.Min(_count, count);

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _count = 0;
        if (array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<T>.Shared.Rent(Math.Max(needed, _array.Length * 2));
        _array.AsSpan(0, _count).CopyTo(bigger);
        if (_array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_array);
        }

        _array = bigger;
    }
}
