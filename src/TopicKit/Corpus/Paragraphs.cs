using System.Runtime.CompilerServices;

namespace TopicKit.Corpus;

/// <summary>A run of non-blank lines.</summary>
/// <param name="Lines">The lines, untrimmed.</param>
/// <param name="StartLine">1-based line number of the first line.</param>
internal sealed record Paragraph(IReadOnlyList<string> Lines, long StartLine)
{
    public string Joined => string.Join('\n', Lines);
}

/// <summary>Splits a line stream into blank-line-separated paragraphs, with the record size cap applied.</summary>
internal static class Paragraphs
{
    public static async IAsyncEnumerable<Paragraph> ReadAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = new List<string>();
        long start = 0;
        long chars = 0;
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                if (current.Count > 0)
                {
                    yield return new Paragraph(current, start);
                    current = [];
                    chars = 0;
                }

                continue;
            }

            if (current.Count == 0)
            {
                start = lines.LineNumber;
            }

            chars += line.Length + 1;
            if (chars > context.Options.MaxRecordChars)
            {
                throw context.Error(start, $"the paragraph starting here is longer than the limit of {context.Options.MaxRecordChars:N0} characters",
                    "separate records with blank lines or raise CorpusReadOptions.MaxRecordChars");
            }

            current.Add(line);
        }

        if (current.Count > 0)
        {
            yield return new Paragraph(current, start);
        }
    }
}
