using TopicKit.Neighbors;
using TopicKit.Reduction;

namespace TopicKit.Tests.Reduction;

public class UmapGraphTests
{
    [Theory]
    // Oracle: umap-learn 0.5.3 umap.umap_.find_ab_params(spread, min_dist) (scipy 1.10.1 curve_fit).
    [InlineData(1.0, 0.1, 1.5769434601962196, 0.8950608779914887)]
    [InlineData(1.0, 0.5, 0.583030020479462, 1.3341669929263487)]
    [InlineData(2.0, 0.0, 0.646046672809973, 0.7904944901548902)]
    public void CurveFitMatchesUmapLearn(double spread, double minDist, double a, double b)
    {
        var (fittedA, fittedB) = UmapCurve.FitAB(spread, minDist);
        Assert.Equal(a, fittedA, 1e-5);
        Assert.Equal(b, fittedB, 1e-5);
    }

    [Fact]
    public void SmoothKnnDistHandCase()
    {
        // Row 0: self, then distances 1 and 2. rho = 1 (first nonzero); sigma solves 1 + exp(-1/sigma) = log2(3),
        // i.e. sigma = -1 / ln(log2(3) - 1) = 1.86551...
        var knn = new KnnResult([0, 1, 2], [0f, 1f, 2f], 1, 3);
        var (sigmas, rhos) = UmapGraph.SmoothKnnDist(knn, 1.0, 1);
        Assert.Equal(1f, rhos[0]);
        Assert.Equal(-1 / Math.Log(Math.Log2(3) - 1), sigmas[0], 1e-4);
        var weights = UmapGraph.Memberships(knn, sigmas, rhos, selfIsZero: true);
        Assert.Equal(0f, weights[0]);
        Assert.Equal(1f, weights[1]);
        Assert.Equal(Math.Log2(3) - 1, weights[2], 1e-4);
    }

    [Fact]
    public void FuzzyUnionIsProbabilisticOr()
    {
        // 0->1 (0.5), 1->0 (0.4), 1->2 (1.0): union gives (0,1) = 0.5 + 0.4 - 0.2 = 0.7 and (1,2) = (2,1) = 1.
        var directed = new SparseGraph(3, 3, [0, 1, 3, 3], [1, 0, 2], [0.5f, 0.4f, 1f]);
        var union = UmapGraph.FuzzyUnion(directed);
        Assert.Equal([0, 1, 3, 4], union.RowStart);
        Assert.Equal([1, 0, 2, 1], union.Cols);
        Assert.Equal(0.7f, union.Weights[0], 6);
        Assert.Equal(0.7f, union.Weights[1], 6);
        Assert.Equal(1f, union.Weights[2]);
        Assert.Equal(1f, union.Weights[3]);
    }

    [Fact]
    public void EpochsPerSampleFollowsWeights()
    {
        // The heaviest edge is sampled every epoch, one of half its weight every second epoch, a zero edge never.
        Assert.Equal([1.0, 2.0, -1.0], UmapLayout.EpochsPerSample([0.8f, 0.4f, 0f], 200));
    }
}
