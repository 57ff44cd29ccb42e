using TopicKit.Reporting;

namespace TopicKit.Tests.Reporting;

public sealed class LabelPlacementTests
{
    [Theory]
    [InlineData(120, 6000, 1)]
    [InlineData(120, 1500, 2)]
    [InlineData(150, 20000, 3)]
    public void TopicMapLabelsNeverOverlapAndStayInsideTheFigure(int topics, int documents, int seed)
    {
        var data = SyntheticReport.Create(documents, topics, seed, hierarchy: false);
        var options = new ReportOptions();
        var model = ReportModel.Build(data);
        var layout = TopicMapFigure.Layout(model, options, FigureKit.ResolveFont(options.FontName));

        var figure = new LabelBox(0, 0, layout.Width, layout.Height);
        Assert.All(layout.Labels, l => Assert.True(l.Box.Inside(figure), $"label of topic {l.Topic} at {l.Box} leaves the {layout.Width}x{layout.Height} figure"));
        for (var a = 0; a < layout.Labels.Count; a++)
        {
            for (var b = a + 1; b < layout.Labels.Count; b++)
            {
                Assert.False(layout.Labels[a].Box.Overlaps(layout.Labels[b].Box, 0), $"labels of topics {layout.Labels[a].Topic} and {layout.Labels[b].Topic} overlap");
            }
        }

        // 100+ topics must all be labelled at the default size, biggest first, each topic at most once.
        var withDocuments = Enumerable.Range(0, topics).Count(t => model.MapCounts[t] > 0);
        Assert.Equal(withDocuments, layout.Labels.Count);
        Assert.Equal(layout.Labels.Count, layout.Labels.Select(l => l.Topic).Distinct().Count());
        Assert.Equal(model.BySize.Where(t => model.MapCounts[t] > 0).Take(10), layout.Labels.Take(10).Select(l => l.Topic));
    }

    [Fact]
    public void LabelsSharingOneAnchorSpreadOutOrGoToTheRimWithLeaders()
    {
        // The worst case: 120 labels all anchored at the figure's centre.
        var requests = Enumerable.Range(0, 120).Select(i => new LabelRequest(800, 550, 150 + (i % 5 * 20), 20)).ToList();
        var bounds = new LabelBox(0, 0, 1600, 1100);
        var placed = LabelPlacer.Place(requests, bounds, rimInset: 4, gap: 2, allowRim: true);

        var boxes = placed.Where(p => p is not null).Select(p => p!.Value).ToList();
        Assert.Equal(120, boxes.Count);
        Assert.All(boxes, p => Assert.True(p.Box.Inside(bounds)));
        for (var a = 0; a < boxes.Count; a++)
        {
            for (var b = a + 1; b < boxes.Count; b++)
            {
                Assert.False(boxes[a].Box.Overlaps(boxes[b].Box, 2));
            }
        }

        // The first label sits on its anchor; labels placed away from it carry a leader line.
        Assert.False(placed[0]!.Value.Leader);
        Assert.True(placed[0]!.Value.Box.Left < 800 && placed[0]!.Value.Box.Right > 800);
        Assert.Contains(boxes, p => p.Leader);
    }

    [Fact]
    public void WithoutRoomALabelIsLeftOutRatherThanOverlapped()
    {
        var requests = Enumerable.Range(0, 10).Select(_ => new LabelRequest(50, 10, 90, 18)).ToList();
        var placed = LabelPlacer.Place(requests, new LabelBox(0, 0, 100, 20), rimInset: 0, gap: 1, allowRim: true);
        Assert.Equal(1, placed.Count(p => p is not null));
    }
}
