using TopicKit.Text.Unicode;

namespace TopicKit.Tests.Text;

/// <summary>NFD / NFKC against hand-checked values from the Unicode standard.</summary>
public sealed class UnicodeNormalizerTests
{
    [Theory]
    [InlineData("\u00e9", "e\u0301")]
    [InlineData("\u1e69", "s\u0323\u0307")]
    [InlineData("a\u0307\u0323", "a\u0323\u0307")]
    [InlineData("\u212b", "A\u030a")]
    [InlineData("\uac01", "\u1100\u1161\u11a8")]
    [InlineData("\ufb01", "\ufb01")]
    [InlineData("plain", "plain")]
    public void Nfd(string input, string expected) => Assert.Equal(expected, UnicodeNormalizer.ToNfd(input));

    [Theory]
    [InlineData("\ufb01le", "file")]
    [InlineData("e\u0301", "\u00e9")]
    [InlineData("\u212b", "\u00c5")]
    [InlineData("\uff21\uff22\uff23\uff11", "ABC1")]
    [InlineData("\u1100\u1161\u11a8", "\uac01")]
    [InlineData("x\u00b2 \u00bd", "x2 1\u20442")]
    [InlineData("a\u00a0b\u2003c", "a b c")]
    [InlineData("a\u0323\u0307", "\u1ea1\u0307")]
    [InlineData("\u0344", "\u0308\u0301")]
    [InlineData("\U0001d41b", "b")]
    [InlineData("\u2460", "1")]
    [InlineData("tab\t\u200b\u00ad", "tab\t\u200b\u00ad")]
    public void Nfkc(string input, string expected) => Assert.Equal(expected, UnicodeNormalizer.ToNfkc(input));
}
