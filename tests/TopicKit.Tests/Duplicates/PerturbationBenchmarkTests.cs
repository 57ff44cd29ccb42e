using System.Globalization;
using TopicKit.Duplicates;
using TopicKit.Embedding;
using Xunit.Abstractions;

namespace TopicKit.Tests.Duplicates;

/// <summary>The README's perturbation table: recall and precision per kind at the default thresholds.</summary>
public sealed class PerturbationBenchmarkTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds() => [.. PerturbationSet.Kinds];

    // Recall over the planted pairs; precision over everything reported, against all known true pairs.
    private static (double Recall, double Precision, int Reported) Score(DuplicateReport report, HashSet<(int, int)> planted, HashSet<(int, int)> truth)
    {
        var reported = report.Pairs.Select(p => (p.A, p.B)).ToHashSet();
        var hits = planted.Count(reported.Contains);
        var correct = reported.Count(truth.Contains);
        return ((double)hits / planted.Count, reported.Count == 0 ? 0 : (double)correct / reported.Count, reported.Count);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LexicalDefaultReachesRecall95AtPrecision99(string kind)
    {
        var (documents, planted, truth) = PerturbationSet.Build(kind);
        var report = DuplicateFinder.Find(documents, null);
        var (recall, precision, reported) = Score(report, planted, truth);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {kind} | lexical | {recall:F3} | {precision:F3} | {reported} |"));
        Assert.True(recall >= 0.95, $"{kind}: recall {recall:F3}");
        Assert.True(precision >= 0.99, $"{kind}: precision {precision:F3} ({reported} pairs reported)");
    }

    [Fact]
    public void BothWithUseLiteReachesRecall95AtPrecision99ForEveryKind()
    {
        using var encoder = OnnxSentenceEncoder.Load(SharedData.Path("models", "use-lite"));
        var originals = PerturbationSet.Originals;
        var originalVectors = encoder.Encode([.. originals.Select(d => EmbeddingText.For(d, EmbeddingTextField.TitleAbstract))]);
        var both = new DuplicateOptions { Method = DuplicateMethod.Both };

        // Among the originals, read pair by pair: the three known near-duplicates stay; the three companion-paper pairs
        // USE-lite puts at cosine >= 0.95 (704.0772/704.0787 and 704.0783/704.0787, a stability and a convergence proof of
        // one scheme; 704.17/704.1701, two theorems on Noether's problem) share too few words and are dropped.
        var natural = DuplicateFinder.Find(originals, originalVectors, both);
        Assert.Equal(
            [("704.0026", "704.0112"), ("704.0489", "704.0573"), ("704.0772", "704.0783")],
            natural.Pairs.Select(p => (originals[p.A].Id, originals[p.B].Id)));
        Assert.Equal(3, natural.Uncorroborated);

        var failures = new List<string>();
        foreach (var kind in PerturbationSet.Kinds)
        {
            var (documents, planted, truth) = PerturbationSet.Build(kind);
            var copies = encoder.Encode([.. documents.Skip(originals.Count).Select(d => EmbeddingText.For(d, EmbeddingTextField.TitleAbstract))]);
            var vectors = new TopicKit.Numerics.Matrix(documents.Count, copies.Columns);
            originalVectors.Data.CopyTo(vectors.Data, 0);
            copies.Data.CopyTo(vectors.Data, originalVectors.Data.Length);
            var report = DuplicateFinder.Find(documents, vectors, both);
            var (recall, precision, reported) = Score(report, planted, truth);
            var uncorroborated = DuplicateFinder.Find(documents, vectors, both with { MinWordContainment = 0 });
            var (recallAll, precisionAll, reportedAll) = Score(uncorroborated, planted, truth);
            var semanticOnly = report.Pairs.Count(p => p.Semantic >= 0.95 && planted.Contains((p.A, p.B))) / (double)planted.Count;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {kind} | both (USE-lite) | {recall:F3} | {precision:F3} | {reported} | without containment floor {recallAll:F3} / {precisionAll:F3} ({reportedAll}) | semantic alone finds {semanticOnly:F3} |"));
            if (recall < 0.95 || precision < 0.99)
            {
                failures.Add($"{kind}: recall {recall:F3}, precision {precision:F3} ({reported} pairs reported)");
            }
        }

        Assert.Empty(failures);
    }
}
