using TopicKit.Corpus;

namespace TopicKit.Embedding;

/// <summary>Which part of a document is embedded.</summary>
public enum EmbeddingTextField
{
    /// <summary><c>Title. Abstract</c>, or just the abstract when there is no title (the default).</summary>
    TitleAbstract = 0,

    /// <summary>The abstract only.</summary>
    Abstract = 1,

    /// <summary>The title only, falling back to the abstract when there is no title.</summary>
    Title = 2,
}

/// <summary>Builds the text a document is embedded from.</summary>
public static class EmbeddingText
{
    /// <summary>The command-line spellings of <see cref="EmbeddingTextField"/>, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["title+abstract", "abstract", "title"];

    /// <summary>The text of <paramref name="document"/> selected by <paramref name="field"/>.</summary>
    /// <remarks>Exactly <c>title + ". " + abstract</c> (as in shared/data/*.texts.jsonl), so cached vectors match other tools' texts.</remarks>
    public static string For(Document document, EmbeddingTextField field)
    {
        ArgumentNullException.ThrowIfNull(document);
        var title = string.IsNullOrWhiteSpace(document.Title) ? null : document.Title.Trim();
        return field switch
        {
            EmbeddingTextField.Abstract => document.Abstract,
            EmbeddingTextField.Title => title ?? document.Abstract,
            _ when title is null => document.Abstract,
            _ when document.Abstract.Length == 0 => title,
            _ => title + ". " + document.Abstract,
        };
    }

    /// <summary>Parses <c>title+abstract</c>, <c>abstract</c> or <c>title</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other spelling; the message lists the valid ones.</exception>
    public static EmbeddingTextField Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return (EmbeddingTextField)i;
            }
        }

        throw new ArgumentException($"unknown --text '{name}'; use one of {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The command-line spelling of <paramref name="field"/>.</summary>
    public static string Name(EmbeddingTextField field) => Names[(int)field];
}
