using System.Collections.Frozen;

namespace TopicKit.Text;

/// <summary>
/// Common English function words that carry no topical signal, used by the lexical encoder and keyword extraction.
/// The list covers articles, pronouns, auxiliaries, prepositions, conjunctions and frequent adverbs.
/// </summary>
internal static class EnglishStopWords
{
    private static readonly string[] Words =
    [
        "a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost", "alone", "along",
        "already", "also", "although", "always", "am", "among", "amongst", "amount", "an", "and", "another", "any",
        "anyhow", "anyone", "anything", "anyway", "anywhere", "are", "around", "as", "at", "back", "be", "became",
        "because", "become", "becomes", "becoming", "been", "before", "beforehand", "behind", "being", "below",
        "beside", "besides", "between", "beyond", "both", "bottom", "but", "by", "can", "cannot", "could", "did",
        "do", "does", "doing", "done", "down", "due", "during", "each", "eg", "either", "else", "elsewhere",
        "enough", "etc", "even", "ever", "every", "everyone", "everything", "everywhere", "except", "few", "for",
        "former", "formerly", "from", "front", "further", "had", "has", "have", "having", "he", "hence", "her",
        "here", "hereafter", "hereby", "herein", "hereupon", "hers", "herself", "him", "himself", "his", "how",
        "however", "ie", "if", "in", "indeed", "into", "is", "it", "its", "itself", "just", "keep", "last",
        "latter", "latterly", "least", "less", "made", "many", "may", "me", "meanwhile", "might", "mine", "more",
        "moreover", "most", "mostly", "much", "must", "my", "myself", "namely", "neither", "never", "nevertheless",
        "next", "no", "nobody", "none", "noone", "nor", "not", "nothing", "now", "nowhere", "of", "off", "often",
        "on", "once", "one", "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves",
        "out", "over", "own", "per", "perhaps", "please", "put", "rather", "re", "same", "see", "seem", "seemed",
        "seeming", "seems", "several", "she", "should", "since", "so", "some", "somehow", "someone", "something",
        "sometime", "sometimes", "somewhere", "still", "such", "than", "that", "the", "their", "theirs", "them",
        "themselves", "then", "thence", "there", "thereafter", "thereby", "therefore", "therein", "thereupon",
        "these", "they", "this", "those", "though", "through", "throughout", "thru", "thus", "to", "together",
        "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well",
        "were", "what", "whatever", "when", "whence", "whenever", "where", "whereafter", "whereas", "whereby",
        "wherein", "whereupon", "wherever", "whether", "which", "while", "whither", "who", "whoever", "whole",
        "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "yours",
        "yourself", "yourselves",
    ];

    /// <summary>The stop words, lower-case.</summary>
    public static FrozenSet<string> Set { get; } = Words.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Lookup by span without allocating.</summary>
    internal static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SpanLookup { get; } =
        Set.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether <paramref name="word"/> (already lower-case) is a stop word.</summary>
    public static bool Contains(ReadOnlySpan<char> word) => SpanLookup.Contains(word);
}
