namespace TopicKit.Search;

/// <summary>Short excerpts of a text around the first query word it contains, for result lists.</summary>
public static class Snippets
{
    /// <summary>
    /// About <paramref name="width"/> characters of <paramref name="text"/>, starting a little before the first query word
    /// found (case-insensitive), cut at word boundaries and marked with an ellipsis where cut.
    /// </summary>
    public static string Make(string text, string query, int width = 160)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(query);
        if (text.Length <= width)
        {
            return text;
        }

        var at = -1;
        foreach (var word in Bm25Index.Words(query))
        {
            var i = text.IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (i >= 0 && (at < 0 || i < at))
            {
                at = i;
            }
        }

        var start = Math.Max(0, Math.Min(at < 0 ? 0 : at - (width / 4), text.Length - width));
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
        {
            start--;
        }

        var end = Math.Min(text.Length, start + width);
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return (start > 0 ? "… " : string.Empty) + text[start..end].Trim() + (end < text.Length ? " …" : string.Empty);
    }
}
