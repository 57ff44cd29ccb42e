using System.Collections.Frozen;
using TopicKit.Text;

namespace TopicKit.Topics;

/// <summary>Words dropped before terms are counted: TopicKit's English list, none, or a user's list.</summary>
public sealed class StopWordList
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private StopWordList(string name, IEnumerable<string> words)
    {
        Name = name;
        Set = words.Select(w => w.ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);
        _lookup = Set.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary><see cref="EnglishStopWords"/>, the list the lexical encoder uses.</summary>
    public static StopWordList English { get; } = new("english", EnglishStopWords.Set);

    /// <summary>No stop words.</summary>
    public static StopWordList None { get; } = new("none", []);

    /// <summary>Where the list came from: <c>english</c>, <c>none</c>, a file path or <c>custom</c>.</summary>
    public string Name { get; }

    /// <summary>The words, lower-case.</summary>
    public FrozenSet<string> Set { get; }

    /// <summary>A list of the given words (lower-cased).</summary>
    public static StopWordList FromWords(IEnumerable<string> words, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(words);
        return new StopWordList(name, words);
    }

    /// <summary>Reads one word per line; blank lines and lines starting with <c>#</c> are ignored.</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    public static StopWordList FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: stop-word file not found; give a file with one word per line, or english or none.", path);
        }

        var words = File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
        return new StopWordList(path, words);
    }

    /// <summary>Parses a command-line value: <c>english</c>, <c>none</c>, or a file path.</summary>
    public static StopWordList Parse(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return value.ToLowerInvariant() switch
        {
            "english" => English,
            "none" => None,
            _ => FromFile(value),
        };
    }

    /// <summary>Whether the lower-case <paramref name="word"/> is on the list.</summary>
    public bool Contains(ReadOnlySpan<char> word) => Set.Count != 0 && _lookup.Contains(word);
}
