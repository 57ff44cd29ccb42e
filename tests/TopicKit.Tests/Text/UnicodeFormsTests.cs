using TopicKit.Text.Unicode;

namespace TopicKit.Tests.Text;

/// <summary>NFC and NFKD (the forms the corpus readers and tests use) against hand-checked values from UAX #15.</summary>
public sealed class UnicodeFormsTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("a long ascii prefix then e\u0301", "a long ascii prefix then \u00e9")] // the char before the first mark composes
    [InlineData("prefix \u212b and \u1100\u1161", "prefix \u00c5 and \uac00")]
    [InlineData("prefix a\u0323\u0307", "prefix \u1ea1\u0307")]
    [InlineData("\ufb01 stays", "\ufb01 stays")]                       // compatibility characters survive NFC
    public void Nfc(string input, string expected) => Assert.Equal(expected, UnicodeNormalizer.ToNfc(input));

    [Theory]
    [InlineData("prefix \ufb01", "prefix fi")]
    [InlineData("x\u00b2 \u1e9b\u0323", "x2 s\u0323\u0307")]
    [InlineData("\uac01", "\u1100\u1161\u11a8")]
    public void Nfkd(string input, string expected) => Assert.Equal(expected, UnicodeNormalizer.ToNfkd(input));

    [Fact]
    public void LoneSurrogateBecomesReplacementCharacter() =>
        Assert.Equal("lone \ufffd surrogate", UnicodeNormalizer.ToNfc("lone " + '\ud800' + " surrogate")); // built here: theory data cannot carry it

    [Fact]
    public void UnchangedTextIsReturnedAsTheSameInstance()
    {
        var text = "Ångström naïve café";
        Assert.Same(text, UnicodeNormalizer.ToNfc(text));
        var decomposed = "A\u030angstro\u0308m";
        Assert.Same(decomposed, UnicodeNormalizer.ToNfd(decomposed));
        Assert.NotSame(text, UnicodeNormalizer.ToNfd(text));
    }
}
