using System.Globalization;
using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Numerics;

namespace TopicKit.Tests.Infrastructure;

/// <summary>
/// The 2,000 arXiv papers of April 2007 as a new user gets them: <c>shared/data/arxiv-2007-04-2000.csv</c> read by the
/// corpus reader, embedded from <c>Title. Abstract</c> (the <c>topickit embed</c> default), with each paper's archive
/// label from <c>shared/oracles/topics/arxiv-2000-archive-labels.csv</c>. Shared by the tests and the bench.
/// </summary>
internal static class ArxivSet
{
    private static readonly Lazy<(string[] Texts, int[] Labels)> Corpus = new(Load);

    /// <summary>The embedded texts, in file order.</summary>
    public static IReadOnlyList<string> Texts => Corpus.Value.Texts;

    /// <summary>The archive of each paper as a small integer (labels numbered in order of first appearance).</summary>
    public static int[] ArchiveLabels => Corpus.Value.Labels;

    /// <summary>The lexical encoder's vectors (TF-IDF + SVD to 256, fitted on these texts, its default seed).</summary>
    public static Matrix Lexical() => LexicalEncoder.Fit(Texts).Encode(Texts);

    /// <summary>USE-lite's vectors (512-D, unit length) of these texts.</summary>
    public static Matrix UseLite(int threads = 0)
    {
        using var encoder = OnnxSentenceEncoder.Load(SharedData.Path("models", "use-lite"), new SentenceEncoderOptions { Threads = threads });
        return encoder.Encode(Texts);
    }

    private static (string[] Texts, int[] Labels) Load()
    {
        var documents = CorpusReader.ReadAllAsync(SharedData.Path("data", "arxiv-2007-04-2000.csv")).GetAwaiter().GetResult();
        var archiveOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(SharedData.Path("oracles", "topics", "arxiv-2000-archive-labels.csv")).Skip(1))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            archiveOf[line[..comma]] = line[(comma + 1)..];
        }

        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new string[documents.Count];
        var labels = new int[documents.Count];
        for (var i = 0; i < documents.Count; i++)
        {
            texts[i] = EmbeddingText.For(documents[i], EmbeddingTextField.TitleAbstract);
            if (!archiveOf.TryGetValue(documents[i].Id, out var archive))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"paper {documents[i].Id} (record {i}) has no archive label"));
            }

            if (!numbers.TryGetValue(archive, out var number))
            {
                numbers[archive] = number = numbers.Count;
            }

            labels[i] = number;
        }

        return (texts, labels);
    }
}
