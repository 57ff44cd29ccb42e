using Microsoft.ML;
using Microsoft.ML.Data;
using TopicKit.Clustering;
using TopicKit.Numerics;

namespace TopicKit.MLNet.Tests;

/// <summary>TopicKit results handed to ML.NET as a data view.</summary>
public sealed class TopicResultsTests
{
    [Fact]
    public void Every_document_comes_back_with_its_topic_probability_and_coordinates()
    {
        var ml = new MLContext(seed: 1);
        var assignment = new ClusterAssignment([0, 1, -1, 1], [1f, 0.5f, 0f, 0.25f], [0f, 0f, 0f, 0f], 2);
        var map = new Matrix([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f], 4, 2);

        var view = TopicResults.ToDataView(ml, assignment, map, ["a", "b", "c", "d"]);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2), view.Schema["Coordinates"].Type);
        Assert.Equal(NumberDataViewType.Int32, view.Schema["Topic"].Type);
        var rows = ml.Data.CreateEnumerable<TopicResultRow>(view, reuseRowObject: false).ToList();
        Assert.Equal(["a", "b", "c", "d"], rows.Select(r => r.DocumentId));
        Assert.Equal([0, 1, -1, 1], rows.Select(r => r.Topic));
        Assert.Equal([1f, 0.5f, 0f, 0.25f], rows.Select(r => r.Probability));
        Assert.Equal([4f, 5f], rows[2].Coordinates);
    }

    [Fact]
    public void The_view_feeds_an_ml_net_trainer()
    {
        // Two well-separated groups of map points: ML.NET's own k-means on the Coordinates column must recover them.
        var ml = new MLContext(seed: 1);
        var n = 40;
        var coords = new float[n * 2];
        var topics = new int[n];
        for (var i = 0; i < n; i++)
        {
            topics[i] = i % 2;
            coords[2 * i] = (topics[i] * 10f) + (i % 5 * 0.1f);
            coords[(2 * i) + 1] = i % 7 * 0.1f;
        }

        var view = TopicResults.ToDataView(ml, topics, Enumerable.Repeat(1f, n).ToArray(), new Matrix(coords, n, 2));
        var scored = ml.Clustering.Trainers.KMeans("Coordinates", numberOfClusters: 2).Fit(view).Transform(view);
        var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();

        for (var i = 2; i < n; i++)
        {
            Assert.Equal(predicted[i % 2], predicted[i]);
        }

        Assert.NotEqual(predicted[0], predicted[1]);
    }

    [Fact]
    public void Mismatched_lengths_and_non_2d_maps_are_rejected_with_a_message()
    {
        var ml = new MLContext(seed: 1);
        var lengths = Assert.Throws<ArgumentException>(() => TopicResults.ToDataView(ml, [0, 1], [1f], new Matrix(2, 2)));
        Assert.Contains("2 topics but 1 probabilities", lengths.Message);
        var dims = Assert.Throws<ArgumentException>(() => TopicResults.ToDataView(ml, [0], [1f], new Matrix(1, 3)));
        Assert.Contains("3 columns", dims.Message);
        var probability = Assert.Throws<ArgumentException>(() => TopicResults.ToDataView(ml, [0], [1.5f], new Matrix(1, 2)));
        Assert.Contains("Document 0 has probability 1.5", probability.Message);
    }
}
