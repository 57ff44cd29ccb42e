using System.Runtime.CompilerServices;
using System.Text;

namespace TopicKit.Corpus;

/// <summary>
/// <c>Abstract:</c> lists: each line starting with <c>Abstract:</c> (any case) begins an untitled record. A line
/// starting with <c>Title:</c> gives the title of the record that follows it. Other non-blank lines continue the
/// current record (wrapped text); blank lines are ignored.
/// </summary>
internal static class AbstractLinesReader
{
    private const string AbstractPrefix = "abstract:";
    private const string TitlePrefix = "title:";

    public static async IAsyncEnumerable<RecordDraft> ReadAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StringBuilder? text = null;
        string? title = null;
        string? pendingTitle = null;
        long start = 0;
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } raw)
        {
            var line = raw.TrimStart();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith(AbstractPrefix, StringComparison.OrdinalIgnoreCase))
            {
                if (text is not null)
                {
                    yield return new RecordDraft { Title = title, Abstract = text.ToString(), Line = start };
                }

                text = new StringBuilder(line, AbstractPrefix.Length, line.Length - AbstractPrefix.Length, line.Length);
                title = pendingTitle;
                pendingTitle = null;
                start = lines.LineNumber;
            }
            else if (line.StartsWith(TitlePrefix, StringComparison.OrdinalIgnoreCase))
            {
                pendingTitle = line[TitlePrefix.Length..];
            }
            else if (text is not null)
            {
                if (text.Length + line.Length > context.Options.MaxRecordChars)
                {
                    throw context.Error(start, $"the record is longer than the limit of {context.Options.MaxRecordChars:N0} characters",
                        "start each abstract with 'Abstract:' or raise CorpusReadOptions.MaxRecordChars");
                }

                text.Append(' ').Append(line);
            }
            else
            {
                throw context.Error(lines.LineNumber, "text before the first 'Abstract:' line",
                    "start each record with 'Abstract:' or choose another format (e.g. PlainText)");
            }
        }

        if (pendingTitle is not null)
        {
            throw context.Error(lines.LineNumber, "a 'Title:' line is not followed by an 'Abstract:' line",
                "add the abstract or remove the title line");
        }

        if (text is not null)
        {
            yield return new RecordDraft { Title = title, Abstract = text.ToString(), Line = start };
        }
    }
}
