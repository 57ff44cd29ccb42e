using System.Globalization;
using System.Text;

namespace TopicKit.Corpus;

/// <summary>
/// A corpus file cannot be read. <see cref="Exception.Message"/> is a single line naming the file, the line and/or
/// record, what is wrong and what to do about it.
/// </summary>
public sealed class CorpusFormatException : Exception
{
    /// <summary>Creates an exception whose message is composed from its parts.</summary>
    /// <param name="filePath">The file being read.</param>
    /// <param name="line">1-based line number where the problem was found, when known.</param>
    /// <param name="record">1-based record number (the failing record would have <see cref="Document.Position"/> = record - 1), when known.</param>
    /// <param name="problem">What is wrong, e.g. "unterminated quoted field".</param>
    /// <param name="remedy">What the user can do, e.g. "close the quote or re-export the file".</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public CorpusFormatException(string filePath, long? line, int? record, string problem, string remedy, Exception? innerException = null)
        : base(Compose(filePath, line, record, problem, remedy), innerException)
    {
        FilePath = filePath;
        Line = line;
        Record = record;
    }

    /// <summary>Creates an exception with a ready-made message (kept on one line).</summary>
    public CorpusFormatException(string message)
        : base(OneLine(message))
    {
        FilePath = string.Empty;
    }

    /// <summary>Creates an exception with a ready-made message (kept on one line) and an inner exception.</summary>
    public CorpusFormatException(string message, Exception innerException)
        : base(OneLine(message), innerException)
    {
        FilePath = string.Empty;
    }

    /// <summary>Creates an exception without details; prefer the other constructors.</summary>
    public CorpusFormatException()
        : this("The corpus file could not be read.")
    {
    }

    /// <summary>Path of the file being read (as given by the caller).</summary>
    public string FilePath { get; }

    /// <summary>1-based line number of the problem, when known.</summary>
    public long? Line { get; }

    /// <summary>1-based record number of the problem, when known.</summary>
    public int? Record { get; }

    private static string Compose(string filePath, long? line, int? record, string problem, string remedy)
    {
        var sb = new StringBuilder(filePath);
        if (line is { } l)
        {
            sb.Append(CultureInfo.InvariantCulture, $", line {l}");
        }

        if (record is { } r)
        {
            sb.Append(CultureInfo.InvariantCulture, $", record {r}");
        }

        sb.Append(": ").Append(problem.TrimEnd('.')).Append('.');
        if (!string.IsNullOrWhiteSpace(remedy))
        {
            sb.Append(' ').Append(char.ToUpperInvariant(remedy[0])).Append(remedy.AsSpan(1).TrimEnd('.')).Append('.');
        }

        return OneLine(sb.ToString());
    }

    private static string OneLine(string message)
    {
        // Messages may quote file content; a stray newline would break the one-line contract.
        var sb = new StringBuilder(message.Length);
        foreach (var c in message)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString();
    }
}
