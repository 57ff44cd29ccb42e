using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace TopicKit.Topics;

/// <summary>
/// Terms of one counting chunk, keyed by their characters: an open-addressing table whose keys live in one char
/// arena, so a token is looked up straight from the text being scanned, without a string or a dictionary entry.
/// Ids are dense and in first-seen order, so they do not depend on the hash.
/// </summary>
/// <remarks>
/// The hash is cheap (it is computed while the tokenizer scans the characters) but seeded per table from a random
/// number, so a corpus cannot be written to collide on purpose; the seed changes slots only, never ids or results.
/// </remarks>
internal sealed class TermTable
{
    private const uint Prime = 0x01000193;

    private int[] _slots;
    private uint[] _hashes = new uint[1024];
    private int[] _starts = new int[1024];
    private int[] _lengths = new int[1024];
    private char[] _arena = new char[16 * 1024];
    private int _arenaUsed;

    public TermTable()
    {
        _slots = new int[2048];
        Array.Fill(_slots, -1);
        Seed = (uint)RandomNumberGenerator.GetInt32(int.MaxValue) | 1u;
    }

    /// <summary>Start value of <see cref="Step"/> for this table.</summary>
    public uint Seed { get; }

    /// <summary>Number of distinct terms.</summary>
    public int Count { get; private set; }

    /// <summary>Folds one character into a running hash (FNV-1a style).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Step(uint hash, char c) => (hash ^ c) * Prime;

    /// <summary>The hash of a whole term, equal to folding <see cref="Step"/> over it from <see cref="Seed"/>.</summary>
    public uint Hash(ReadOnlySpan<char> term)
    {
        var h = Seed;
        foreach (var c in term)
        {
            h = Step(h, c);
        }

        return h;
    }

    /// <summary>The id of <paramref name="term"/>, adding it when new.</summary>
    /// <param name="term">The term's characters.</param>
    /// <param name="hash">Its hash from this table's <see cref="Seed"/>.</param>
    /// <param name="added">Whether the term was new.</param>
    public int GetOrAdd(ReadOnlySpan<char> term, uint hash, out bool added)
    {
        var mixed = Finish(hash);
        var mask = _slots.Length - 1;
        var slot = (int)(mixed & (uint)mask);
        while (true)
        {
            var id = _slots[slot];
            if (id < 0)
            {
                break;
            }

            if (_hashes[id] == hash && _lengths[id] == term.Length && _arena.AsSpan(_starts[id], term.Length).SequenceEqual(term))
            {
                added = false;
                return id;
            }

            slot = (slot + 1) & mask;
        }

        added = true;
        var newId = Count++;
        if (newId == _hashes.Length)
        {
            Array.Resize(ref _hashes, newId * 2);
            Array.Resize(ref _starts, newId * 2);
            Array.Resize(ref _lengths, newId * 2);
        }

        if (_arenaUsed + term.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + term.Length));
        }

        term.CopyTo(_arena.AsSpan(_arenaUsed));
        _hashes[newId] = hash;
        _starts[newId] = _arenaUsed;
        _lengths[newId] = term.Length;
        _arenaUsed += term.Length;
        _slots[slot] = newId;

        // Keep the load at most one half, so probes stay short.
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }

        return newId;
    }

    /// <summary>The id of <paramref name="term"/>, or -1 when it is not in the table. Safe to call concurrently once no more terms are added.</summary>
    public int IndexOf(ReadOnlySpan<char> term, uint hash)
    {
        var mask = _slots.Length - 1;
        var slot = (int)(Finish(hash) & (uint)mask);
        while (true)
        {
            var id = _slots[slot];
            if (id < 0)
            {
                return -1;
            }

            if (_hashes[id] == hash && _lengths[id] == term.Length && _arena.AsSpan(_starts[id], term.Length).SequenceEqual(term))
            {
                return id;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>The characters of term <paramref name="id"/>.</summary>
    public ReadOnlySpan<char> Term(int id) => _arena.AsSpan(_starts[id], _lengths[id]);

    private static uint Finish(uint hash) => BitOperations.RotateLeft(hash * 0x9E3779B1u, 15) ^ (hash >> 16);

    private void Grow()
    {
        var slots = new int[_slots.Length * 2];
        Array.Fill(slots, -1);
        var mask = slots.Length - 1;
        for (var id = 0; id < Count; id++)
        {
            var slot = (int)(Finish(_hashes[id]) & (uint)mask);
            while (slots[slot] >= 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = id;
        }

        _slots = slots;
    }
}
