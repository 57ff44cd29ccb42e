using TopicKit.Corpus;
using TopicKit.Duplicates;
using TopicKit.Numerics;

namespace TopicKit.Tests.Duplicates;

/// <summary>The word-set containment that corroborates semantic-only pairs of <see cref="DuplicateMethod.Both"/>.</summary>
public sealed class WordContainmentTests
{
    [Theory]
    // 3 shared words of the smaller set's 4.
    [InlineData("alpha beta gamma delta", "alpha beta gamma epsilon zeta", 0.75)]
    // Case, punctuation, repeats and one-letter words do not count: {alpha, beta} in {alpha, beta, gamma}.
    [InlineData("Alpha, BETA! alpha a", "beta gamma alpha", 1.0)]
    [InlineData("alpha beta", "gamma delta", 0.0)]
    [InlineData("", "alpha", 0.0)]
    public void ContainmentIsTheSharedShareOfTheSmallerWordSet(string a, string b, double expected)
    {
        Assert.Equal(expected, LexicalPairSearch.WordContainment(a, b), 12);
        Assert.Equal(expected, LexicalPairSearch.WordContainment(b, a), 12);
    }

    [Fact]
    public void BothKeepsASemanticOnlyPairOnlyAtTheContainmentFloorAndNeverDropsLexicalOrExactPairs()
    {
        Document D(int i, string text) => new($"d{i}", null, text, [], null, [], "t.jsonl", i);
        // Rows 0/1 share 3 of 4 words (containment 0.75, no common 3-word shingle); rows 2/3 share nothing but are exact
        // duplicates as far as the caller says; all four point the same way, so every pair is semantic.
        var documents = new[]
        {
            D(0, "alpha beta gamma delta"), D(1, "gamma alpha epsilon beta zeta"), D(2, "omega psi chi"), D(3, "rho sigma tau"),
        };
        var vectors = new Matrix(4, 2);
        vectors.Data.AsSpan().Fill(1);
        var exact = new[] { (IReadOnlyList<int>)[2, 3] };
        (int, int)[] Pairs(double floor) =>
            [.. DuplicateFinder.Find(documents, vectors, new DuplicateOptions { Method = DuplicateMethod.Both, MinWordContainment = floor }, exact).Pairs.Select(p => (p.A, p.B))];

        Assert.Equal([(0, 1), (2, 3)], Pairs(0.75));
        var strict = DuplicateFinder.Find(documents, vectors, new DuplicateOptions { Method = DuplicateMethod.Both, MinWordContainment = 0.76 }, exact);
        Assert.Equal([(2, 3)], strict.Pairs.Select(p => (p.A, p.B)));
        // Of the six semantic pairs, (0,1) fails the floor and the four across the groups share no word at all.
        Assert.Equal(5, strict.Uncorroborated);
        Assert.Equal(6, Pairs(0).Length);

        // Semantic alone is what it says: no corroboration.
        var semantic = DuplicateFinder.Find(documents, vectors, new DuplicateOptions { Method = DuplicateMethod.Semantic, MinWordContainment = 1 });
        Assert.Equal(6, semantic.Pairs.Count());
        Assert.Equal(0, semantic.Uncorroborated);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DuplicateFinder.Find(documents, vectors, new DuplicateOptions { MinWordContainment = 1.5 }));
        Assert.Equal("MinWordContainment", error.ParamName);
    }
}
