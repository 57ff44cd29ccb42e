using TopicKit.Corpus;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Corpus;

/// <summary>
/// The five saved pages in shared/seeds. Expected values were read off the raw files by hand (sed/cat -n) and
/// counted with an independent Python paragraph split, not taken from this reader's output.
/// </summary>
public class SeedCorpusTests
{
    private const string PublicationList = "000_3abc375e88d10502.txt";
    private const string AbstractLines = "001_817c49cec3e70b38.txt";
    private const string Hf002 = "002_144f95b4ddfc427e.txt";
    private const string Hf003 = "003_ec457c74aaacb740.txt";
    private const string Hf004 = "004_dc34e5886c55beaa.txt";

    private static string Seed(string name) => SharedData.Path("seeds", name);

    private static Task<List<Document>> Read(string name, int? year = null) =>
        CorpusReader.ReadAllAsync(Seed(name), new CorpusReadOptions { YearForDatesWithoutYear = year });

    [Theory]
    [InlineData(PublicationList, CorpusFormat.PublicationList)]
    [InlineData(AbstractLines, CorpusFormat.AbstractLines)]
    [InlineData(Hf002, CorpusFormat.HfDailyPapers)]
    [InlineData(Hf003, CorpusFormat.HfDailyPapers)]
    [InlineData(Hf004, CorpusFormat.HfDailyPapers)]
    public void EachSeedIsDetectedByContent(string name, CorpusFormat expected) =>
        Assert.Equal(expected, CorpusReader.Detect(Seed(name)));

    [Fact]
    public async Task PublicationListSplitsGluedTitlesAndKeepsCategoryAndDate()
    {
        // 15 lines = 5 x (metadata line, title+authors line, abstract line).
        var docs = await Read(PublicationList);
        Assert.Equal(5, docs.Count);

        Assert.Equal("Propagation of Chaos in Contextual Flow Maps", docs[0].Title);
        Assert.Equal(["Shi Chen", "Zhengjiang Lin", "Kaizhao Liu"], docs[0].Authors);
        Assert.Equal(["LG"], docs[0].Categories);
        Assert.Null(docs[0].Date); // "77.1LGMay 16": no year on the page

        Assert.Equal("The Local Landscape of Phase Retrieval Under Limited Samples", docs[1].Title);
        Assert.Equal(["Kaizhao Liu", "Zihao Wang", "Lei Wu"], docs[1].Authors);
        Assert.Equal(["IT"], docs[1].Categories);
        Assert.Equal(new DateOnly(2023, 11, 26), docs[1].Date);
        Assert.Contains("Let n and d denote the sample size", docs[1].Abstract, StringComparison.Ordinal); // "$n$", "$d$"

        Assert.Equal("Statistical Impossibility and Possibility of Aligning LLMs with Human Preferences: From Condorcet Paradox to Nash Equilibrium", docs[2].Title);
        Assert.Equal(["Kaizhao Liu", "Qi Long", "Zhekun Shi"], docs[2].Authors);
        Assert.Equal(["GT"], docs[2].Categories);
        Assert.Equal(new DateOnly(2025, 3, 14), docs[2].Date);

        Assert.Equal("Theoretical Tensions in RLHF: Reconciling Empirical Success with Inconsistencies in Social Choice Theory", docs[3].Title);
        Assert.Equal(["Jiancong Xiao", "Zhekun Shi", "Kaizhao Liu"], docs[3].Authors);
        Assert.Equal(["ML"], docs[3].Categories);
        Assert.Equal(new DateOnly(2025, 6, 14), docs[3].Date);

        Assert.Equal("Orthogonal Bootstrap: Efficient Simulation of Input Uncertainty", docs[4].Title);
        Assert.Equal(["Kaizhao Liu", "Jose Blanchet", "Lexing Ying"], docs[4].Authors);
        Assert.Equal(["ME"], docs[4].Categories);
        Assert.Equal(new DateOnly(2024, 4, 29), docs[4].Date);
        Assert.StartsWith("Bootstrap is a popular methodology for simulating input uncertainty.", docs[4].Abstract, StringComparison.Ordinal);
        Assert.Contains("called Orthogonal Bootstrap that reduces", docs[4].Abstract, StringComparison.Ordinal); // \textbf{...}

        Assert.All(docs, d => Assert.Equal(PublicationList, d.Source));
        Assert.Equal([0, 1, 2, 3, 4], docs.Select(d => d.Position));
    }

    [Fact]
    public async Task PublicationListYearlessDateUsesTheConfiguredYear()
    {
        var docs = await Read(PublicationList, year: 2025);
        Assert.Equal(new DateOnly(2025, 5, 16), docs[0].Date);
        Assert.Equal(new DateOnly(2023, 11, 26), docs[1].Date); // an explicit year wins
    }

    [Fact]
    public async Task AbstractLinesGiveOneUntitledDocumentPerLine()
    {
        // 10 lines, each starting with "Abstract:".
        var docs = await Read(AbstractLines);
        Assert.Equal(10, docs.Count);
        Assert.All(docs, d => Assert.Null(d.Title));
        Assert.All(docs, d => Assert.Empty(d.Authors));
        Assert.StartsWith("Mean-field Langevin dynamics (MFLD) is an optimization method derived by taking", docs[0].Abstract, StringComparison.Ordinal);
        Assert.StartsWith("We introduce a novel alignment method for diffusion models", docs[1].Abstract, StringComparison.Ordinal);
        Assert.StartsWith("The Adam optimizer is widely used for transformer optimization", docs[9].Abstract, StringComparison.Ordinal);
        Assert.Contains("to solve the fundamental k-parity", docs[8].Abstract, StringComparison.Ordinal); // "$k$-parity"
        Assert.Equal(10, docs.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public async Task HfPage002HasFiftyThreeRecords()
    {
        // 165 paragraphs = 6 chrome paragraphs + 53 x (title, abstract, metadata block).
        var docs = await Read(Hf002);
        Assert.Equal(53, docs.Count);
        Assert.Equal("Position: The Complexity of Perfect AI Alignment -- Formalizing the RLHF Trilemma", docs[0].Title);
        Assert.Equal(new DateOnly(2025, 11, 23), docs[0].Date); // "Nov 23, 2025 2": date then upvotes
        Assert.StartsWith("Reinforcement Learning from Human Feedback (RLHF) is widely used for aligning", docs[0].Abstract, StringComparison.Ordinal);
        Assert.Equal("PGN: The RNN's New Successor is Effective for Long-Range Time Series Forecasting", docs[3].Title);
        Assert.Equal(new DateOnly(2024, 9, 26), docs[3].Date);
        Assert.Equal("SERA: Soft-Verified Efficient Repository Agents", docs[16].Title); // organisation line instead of authors
        Assert.Null(docs[16].Date);                                                   // "Jan 28 2": no year
        Assert.Equal("Latent Collaboration in Multi-Agent Systems", docs[20].Title);
        Assert.Equal(new DateOnly(2025, 11, 25), docs[20].Date);                      // "Nov 25, 2025 13"
        Assert.Equal("Overcoming Long-Context Limitations of State-Space Models via Context-Dependent Sparse Attention", docs[52].Title);
        Assert.Equal(new DateOnly(2025, 7, 1), docs[52].Date);
        Assert.All(docs, d => Assert.Empty(d.Authors)); // the page lists only "• N authors"
        Assert.DoesNotContain(docs, d => d.Title is "Subscribe" or "Daily Papers" or "new");
    }

    [Fact]
    public async Task HfPage003KeepsTheFirstRecordWithoutMetadata()
    {
        // 89 paragraphs = 6 chrome + (title, abstract) with no metadata + 27 x (title, abstract, metadata).
        var docs = await Read(Hf003);
        Assert.Equal(28, docs.Count);
        Assert.Equal("A Theoretical Framework for Auxiliary-Loss-Free Load Balancing of Sparse Mixture-of-Experts in Large-Scale AI Models", docs[0].Title);
        Assert.StartsWith("In large-scale AI training, Sparse Mixture-of-Experts (s-MoE) layers", docs[0].Abstract, StringComparison.Ordinal);
        Assert.Null(docs[0].Date);
        Assert.Equal("A Theoretical Study on Bridging Internal Probability and Self-Consistency for LLM Reasoning", docs[1].Title);
        Assert.StartsWith("Test-time scaling seeks to improve", docs[1].Abstract, StringComparison.Ordinal);
        Assert.Null(docs[1].Date); // "Oct 17 6"
        Assert.Equal("Internal Consistency and Self-Feedback in Large Language Models: A Survey", docs[3].Title);
        Assert.Equal(new DateOnly(2024, 7, 19), docs[3].Date); // "Jul 19, 2024 9"
        Assert.Equal("Sequential Causal Normal Form Games: Theory, Computation, and Strategic Signaling", docs[27].Title);
    }

    [Fact]
    public async Task HfYearlessDatesUseTheConfiguredYear()
    {
        var docs = await Read(Hf003, year: 2025);
        Assert.Null(docs[0].Date);                             // no metadata at all
        Assert.Equal(new DateOnly(2025, 10, 17), docs[1].Date); // "Oct 17 6": 6 is the upvote count
        Assert.Equal(new DateOnly(2025, 11, 10), docs[27].Date); // "Nov 10"
        Assert.Equal(new DateOnly(2024, 7, 19), docs[3].Date);
    }

    [Fact]
    public async Task HfPage004HasFortyFourRecords()
    {
        // 138 paragraphs = 6 chrome + 44 x (title, abstract, metadata).
        var docs = await Read(Hf004);
        Assert.Equal(44, docs.Count);
        Assert.Equal("GradSign: Model Performance Inference with Theoretical Insights", docs[0].Title);
        Assert.Equal(new DateOnly(2021, 10, 16), docs[0].Date);
        Assert.Equal("The Ultimate Guide to Fine-Tuning LLMs from Basics to Breakthroughs: An Exhaustive Review of Technologies, Research, Best Practices, Applied Research Challenges and Opportunities", docs[24].Title);
        Assert.Equal(new DateOnly(2024, 8, 23), docs[24].Date);
        Assert.Equal("Robust Offline Reinforcement Learning with Linearly Structured f-Divergence Regularization", docs[43].Title); // "$f$"
        Assert.Equal(new DateOnly(2024, 11, 27), docs[43].Date);
    }

    [Fact]
    public async Task CrossFileExactDuplicatesAreGroupedNotDropped()
    {
        // Found by comparing case/whitespace-folded title+abstract of all 140 records with a Python script:
        // four papers appear on two pages each, with identical title and abstract.
        var all = new List<Document>();
        foreach (var name in new[] { PublicationList, AbstractLines, Hf002, Hf003, Hf004 })
        {
            all.AddRange(await Read(name));
        }

        Assert.Equal(5 + 10 + 53 + 28 + 44, all.Count);
        var groups = DuplicateGrouper.Group(all);
        var actual = groups.Select(g => string.Join(" = ", g.Documents.Select(d => $"{d.Source[..3]}#{d.Position}"))).ToList();
        Assert.Equal(
            [
                "002#8 = 004#34",  // Investigating the Impact of Model Complexity in Large Language Models
                "002#43 = 004#35", // Minimum Entropy Coupling with Bottleneck
                "003#1 = 004#1",   // A Theoretical Study on Bridging Internal Probability and Self-Consistency for LLM Reasoning
                "003#5 = 004#4",   // Understanding Transformers through the Lens of Pavlovian Conditioning
            ],
            actual);
        Assert.Equal("Minimum Entropy Coupling with Bottleneck", groups[1].Documents[0].Title);
        Assert.All(groups, g => Assert.Equal(2, g.Ids.Distinct().Count()));
    }

    [Fact]
    public async Task IdsAreUniqueStableAndFileSpecific()
    {
        var first = await Read(Hf004);
        var second = await Read(Hf004);
        Assert.Equal(first.Select(d => d.Id), second.Select(d => d.Id));
        Assert.Equal(first.Count, first.Select(d => d.Id).Distinct().Count());
        Assert.All(first, d => Assert.Matches("^[0-9a-f]{16}$", d.Id));

        // The same paper on two pages gets different ids (the file name is part of the hash) but the same key.
        var other = await Read(Hf003);
        Assert.NotEqual(other[1].Id, first[1].Id);
        Assert.Equal(DuplicateKey.Compute(other[1]), DuplicateKey.Compute(first[1]));
    }
}
