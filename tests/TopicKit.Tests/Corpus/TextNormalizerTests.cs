using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("  a\n\t b  ", "a b")]
    [InlineData("line-wrapped title and\n  LHC energies", "line-wrapped title and LHC energies")]
    [InlineData("a\u00A0\u2003b", "a b")]          // no-break and em spaces are whitespace
    [InlineData("zero\u200Bwidth\u00ADsoft", "zerowidthsoft")]
    [InlineData("tab\u000Bvertical", "tab vertical")]
    [InlineData("", "")]
    public void CollapsesWhitespaceAndDropsInvisibleCharacters(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("e\u0301", "\u00E9")]                     // e + combining acute
    [InlineData("\u212B", "\u00C5")]                      // ANGSTROM SIGN is a singleton decomposition
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]          // Hangul jamo L V T
    [InlineData("a\u0307\u0323", "\u1EA1\u0307")]         // reordered: dot below (220) before dot above (230)
    [InlineData("\u0958", "\u0915\u093C")]                // composition exclusion stays decomposed
    [InlineData("x\u0302", "x\u0302")]                    // no precomposed form exists
    [InlineData("\U0001D15E", "\U0001D157\U0001D165")]    // astral exclusion (musical half note)
    [InlineData("Ångström naïve", "Ångström naïve")]
    public void ProducesNfcWithoutIcu(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.ToNfc(input));

    [Theory]
    [InlineData("\u00E9", "e\u0301")]
    [InlineData("\uAC01", "\u1100\u1161\u11A8")]
    [InlineData("a\u0307\u0323", "a\u0323\u0307")]      // canonical ordering
    [InlineData("\u1E09", "c\u0327\u0301")]              // recursive: c-cedilla-acute
    [InlineData("plain ascii", "plain ascii")]
    public void ProducesNfdWithoutIcu(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.ToNfd(input));

    [Theory]
    [InlineData(@"\textbf{Orthogonal Bootstrap} method", "Orthogonal Bootstrap method")]
    [InlineData(@"the \emph{very} \textit{best}", "the very best")]
    [InlineData(@"$\alpha \leq \beta$ and $\infty$", "α ≤ β and ∞")]
    [InlineData(@"M{\""u}ller and G{\""o}del", "Müller and Gödel")]
    [InlineData(@"\'{e}t\'e \`a \^{o}", "été à ô")]
    [InlineData(@"Fran\c{c}ois and Gar\c con", "François and Garçon")]
    [InlineData(@"Stra{\ss}e and Stra\ss e", "Straße and Straße")]
    [InlineData(@"{\o}ster {\aa}s {\L}\'od\'z", "øster ås Łódź")]
    [InlineData(@"\v{S}koda and \H{o} and \~{n}", "Škoda and ő and ñ")]
    [InlineData(@"{BERT} for {NLP}", "BERT for NLP")]
    [InlineData(@"cost $O(n^{2})$ time", "cost O(n^2) time")]
    [InlineData(@"$x_{i}^{2}$", "x_i^2")]
    [InlineData(@"$\frac{a+b}{2}$ and $\frac{1}{n}$", "(a+b)/2 and 1/n")]
    [InlineData(@"$\sqrt{x}$ and $\sqrt{n+1}$", "√x and √(n+1)")]
    [InlineData(@"$\mathbb{R}^n$ and $\mathcal{O}(1)$", "ℝ^n and O(1)")]
    [InlineData(@"50\% of \$5 \& more", "50% of $5 & more")]
    [InlineData(@"it costs $5 only", "it costs $5 only")]        // a lone dollar is not math
    [InlineData(@"see Fig.~1 and ~100 GPUs", "see Fig. 1 and ~100 GPUs")]
    [InlineData(@"code at http://www.x.org/~user/a_b and Smith et~al.", "code at http://www.x.org/~user/a_b and Smith et al.")]
    [InlineData(@"Mart{\'\i}nez and Ni\~{n}o", "Martínez and Niño")]
    [InlineData(@"as shown \cite{smith2020} here", "as shown here")]
    [InlineData(@"typeset with \LaTeX", "typeset with LaTeX")]     // unknown command keeps its name
    [InlineData(@"\(a \times b\) and \[c \cdot d\]", "a × b and c · d")]
    [InlineData(@"$$E = mc^2$$ holds", "E = mc^2 holds")]
    [InlineData(@"\href{http://x.org}{the site} and \url{http://y.org}", "the site and http://y.org")]
    [InlineData(@"$\left( x \right)$", "( x )")]
    [InlineData(@"$\hat{x}$", "x\u0302")]
    public void ConvertsLatexToReadableText(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Fact]
    public void LatexConversionCanBeTurnedOff() =>
        Assert.Equal(@"\textbf{x} and $\alpha$", TextNormalizer.Normalize("\\textbf{x}   and $\\alpha$", convertLatex: false));

    [Fact]
    public void HostileNestingDoesNotOverflowTheStack()
    {
        var deep = new string('{', 100_000) + "x" + new string('}', 100_000);
        var result = TextNormalizer.Normalize(deep);
        Assert.Contains("x", result, StringComparison.Ordinal);
        Assert.True(result.Length < deep.Length);
        var unclosed = TextNormalizer.Normalize(@"\textbf{never closed $\alpha");
        Assert.StartsWith("never closed", unclosed, StringComparison.Ordinal);
    }

    [Fact]
    public void FoldForKeyIgnoresCaseAndWhitespace()
    {
        Assert.Equal(TextNormalizer.FoldForKey("Deep  Learning\nTheory"), TextNormalizer.FoldForKey(" deep learning theory "));
        Assert.NotEqual(TextNormalizer.FoldForKey("deep learning"), TextNormalizer.FoldForKey("deep-learning"));
        Assert.Equal("é", TextNormalizer.FoldForKey("E\u0301"));
    }
}
