using TopicKit.Corpus;

namespace TopicKit.Tests.Corpus;

public class FieldParsingTests
{
    [Theory]
    [InlineData("2024-05-01", 2024, 5, 1)]
    [InlineData("2024-05-01T10:00:00Z", 2024, 5, 1)]
    [InlineData("2008-11-26 12:00", 2008, 11, 26)]
    [InlineData("2024/5/7", 2024, 5, 7)]
    [InlineData("11/26/2008", 2008, 11, 26)]    // arXiv CSV: month first
    [InlineData("3/4/2010", 2010, 3, 4)]
    [InlineData("26/11/2008", 2008, 11, 26)]    // first number > 12: day first
    [InlineData("Nov 26, 2023", 2023, 11, 26)]
    [InlineData("November 26, 2023", 2023, 11, 26)]
    [InlineData("Sept. 3, 2021", 2021, 9, 3)]
    [InlineData("26 Nov 2023", 2023, 11, 26)]
    [InlineData("November 2023", 2023, 11, 1)]
    [InlineData("2023-11", 2023, 11, 1)]
    [InlineData("2023", 2023, 1, 1)]
    public void ParsesCommonDateForms(string text, int y, int m, int d) =>
        Assert.Equal(new DateOnly(y, m, d), FieldParsing.ParseDate(text));

    [Theory]
    [InlineData("Oct 17")]
    [InlineData("2023-02-30")]
    [InlineData("13/13/2020")]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData(null)]
    public void RejectsUnknownOrIncompleteDates(string? text) => Assert.Null(FieldParsing.ParseDate(text));

    [Fact]
    public void YearlessDatesTakeTheGivenYear()
    {
        Assert.Equal(new DateOnly(2025, 10, 17), FieldParsing.ParseDate("Oct 17", 2025));
        Assert.Null(FieldParsing.ParseDate("Feb 29", 2025));
        Assert.Equal(new DateOnly(2024, 2, 29), FieldParsing.ParseDate("Feb 29", 2024));
    }

    [Theory]
    [InlineData("A. Smith, B. Jones and C. Wu", new[] { "A. Smith", "B. Jones", "C. Wu" })]
    [InlineData("A. Smith, B. Jones, and C. Wu", new[] { "A. Smith", "B. Jones", "C. Wu" })]
    [InlineData("Smith, A.; Jones, B.", new[] { "Smith, A.", "Jones, B." })]
    [InlineData("Ileana Streinu and Louis Theran", new[] { "Ileana Streinu", "Louis Theran" })]
    [InlineData("D0 Collaboration, V. Abazov, et al", new[] { "D0 Collaboration", "V. Abazov" })]
    [InlineData("['Ann Lee', 'Bo Chen']", new[] { "Ann Lee", "Bo Chen" })]
    [InlineData("Alexander Sandlund", new[] { "Alexander Sandlund" })]  // "and" only as a separate word
    public void SplitsAuthorLists(string text, string[] expected) => Assert.Equal(expected, FieldParsing.SplitAuthors(text));

    [Theory]
    [InlineData("math.CO cs.CG", new[] { "math.CO", "cs.CG" })]
    [InlineData("['cs.LG', 'stat.ML']", new[] { "cs.LG", "stat.ML" })]
    [InlineData("cs.LG, cs.AI; cs.LG", new[] { "cs.LG", "cs.AI" })]
    [InlineData("machine learning; optimization,  deep nets", new[] { "machine learning", "optimization", "deep nets" })]
    [InlineData("  ", new string[0])]
    public void SplitsCategoriesPrimaryFirst(string text, string[] expected) =>
        Assert.Equal(expected, FieldParsing.SplitCategories(text));
}
