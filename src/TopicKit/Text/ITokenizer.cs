namespace TopicKit.Text;

/// <summary>
/// Turns text into the token ids a model is fed. Implementations are immutable after construction and
/// safe to share across threads. Invalid UTF-16 (an unpaired surrogate) never throws: it is read as U+FFFD.
/// </summary>
public interface ITokenizer
{
    /// <summary>Longest sequence the model takes, special tokens included; truncated encodings never exceed it.</summary>
    int MaxLength { get; }

    /// <summary>Id to right-pad shorter rows of a batch with (ignored by the model under attention mask 0).</summary>
    int PadId { get; }

    /// <summary>Encodes <paramref name="text"/> with the model's special tokens, truncated to <see cref="MaxLength"/> when <paramref name="truncate"/> is true.</summary>
    int[] Encode(string text, bool truncate = true);

    /// <summary>
    /// Allocation-light <see cref="Encode(string, bool)"/> writing into <paramref name="destination"/> and returning the
    /// number of ids written. With <paramref name="truncate"/> true a destination of <see cref="MaxLength"/> ids always
    /// suffices; a destination too short for the encoding throws <see cref="ArgumentException"/> naming the length needed
    /// (get it beforehand with <see cref="CountTokens"/> for untruncated encodings).
    /// </summary>
    int Encode(ReadOnlySpan<char> text, Span<int> destination, bool truncate = true);

    /// <summary>Number of ids of the untruncated encoding, special tokens included (for length-sorting batches).</summary>
    int CountTokens(ReadOnlySpan<char> text);
}
