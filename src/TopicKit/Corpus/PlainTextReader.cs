using System.Runtime.CompilerServices;

namespace TopicKit.Corpus;

/// <summary>Plain text: every blank-line-separated paragraph is one untitled document whose abstract is the whole paragraph.</summary>
internal static class PlainTextReader
{
    public static async IAsyncEnumerable<RecordDraft> ReadAsync(LineReader lines, ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var p in Paragraphs.ReadAsync(lines, context, cancellationToken).ConfigureAwait(false))
        {
            yield return new RecordDraft { Abstract = p.Joined, Line = p.StartLine };
        }
    }
}
