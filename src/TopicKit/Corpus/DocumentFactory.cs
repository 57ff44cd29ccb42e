using System.Globalization;

namespace TopicKit.Corpus;

/// <summary>
/// Turns drafts into <see cref="Document"/>s: normalises text, numbers positions and assigns ids that are unique
/// within the file.
/// </summary>
internal sealed class DocumentFactory(ReadContext context)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly string _source = System.IO.Path.GetFileName(context.Path);

    public Document Create(RecordDraft draft)
    {
        var latex = draft.AlwaysLatex || context.Options.ConvertLatex;
        var title = TextNormalizer.Normalize(draft.Title, latex);
        var abstractText = TextNormalizer.Normalize(draft.Abstract, latex);
        if (title.Length == 0 && abstractText.Length == 0)
        {
            throw context.Error(draft.Line, "the record has neither a title nor an abstract",
                "remove the empty record, or check the format and column mapping");
        }

        var authors = CleanList(draft.Authors, latex);
        var categories = CleanList(draft.Categories, latex: false);
        var ownId = TextNormalizer.Normalize(draft.Id, convertLatex: false);
        var baseId = ownId.Length > 0 ? ownId : ContentId(title, abstractText);
        var id = Unique(baseId);
        var doc = new Document(id, title.Length == 0 ? null : title, abstractText, authors, draft.Date, categories,
            _source, context.Produced)
        {
            RepeatedId = string.Equals(id, baseId, StringComparison.Ordinal) ? null : baseId,
        };
        context.Produced++;
        return doc;
    }

    /// <summary>Short stable hash of the file name and the folded title and abstract: 16 hex characters.</summary>
    internal static string ContentId(string source, string? title, string abstractText) =>
        DuplicateKey.HexHash(source + "\u001F" + TextNormalizer.FoldForKey(title) + "\u001F" + TextNormalizer.FoldForKey(abstractText), 8);

    private string ContentId(string title, string abstractText) => ContentId(_source, title, abstractText);

    // Repeated ids in one file (the same content twice, or a repeated key) get ~2, ~3, ... in order of appearance,
    // so ids stay unique and deterministic.
    private string Unique(string id)
    {
        if (_ids.Add(id))
        {
            return id;
        }

        for (var n = 2; ; n++)
        {
            var candidate = id + "~" + n.ToString(CultureInfo.InvariantCulture);
            if (_ids.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private static string[] CleanList(IReadOnlyList<string> items, bool latex)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var list = new List<string>(items.Count);
        foreach (var item in items)
        {
            var clean = TextNormalizer.Normalize(item, latex);
            if (clean.Length > 0)
            {
                list.Add(clean);
            }
        }

        return [.. list];
    }
}
