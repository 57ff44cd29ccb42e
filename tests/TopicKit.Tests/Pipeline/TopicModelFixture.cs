using TopicKit.Pipeline;

namespace TopicKit.Tests.Pipeline;

/// <summary>One default topic model fitted on the 2,000 arXiv texts (lexical encoder), shared by the tests of a class.</summary>
public sealed class TopicModelFixture
{
    public TopicModelFixture()
    {
        var rows = Perturbations.ArxivTexts();
        Ids = [.. rows.Select(r => r.Id)];
        Texts = [.. rows.Select(r => r.Text)];
        Model = new TopicModel().Fit(Texts);
    }

    public string[] Ids { get; }

    public string[] Texts { get; }

    public FittedTopicModel Model { get; }
}
