using TopicKit.Clustering;
using TopicKit.Numerics;

namespace TopicKit.Tests.Clustering;

/// <summary>
/// Two tight groups on a line (x = 0..4 and 100..104) and one far point (x = 1000), minPts 3: every value below
/// is worked out by hand (and agrees with R dbscan 1.1.11). Core distance = 2nd nearest other point:
/// ends of a group 2, inner points 1, the far point 897. The groups split at mutual reachability 96.
/// The options switch off the default cluster-share cap (<see cref="HdbscanOptions.MaxClusterShare"/> = 1), as R has none.
/// </summary>
public sealed class HdbscanHandCheckedTests
{
    private static readonly HdbscanOptions Options = new() { MinClusterSize = 3, MinSamples = 3, MaxClusterShare = 1 };

    internal static Matrix TwoGroupsAndOutlier()
    {
        float[] xs = [0, 1, 2, 3, 4, 100, 101, 102, 103, 104, 1000];
        var m = new Matrix(xs.Length, 2);
        for (var i = 0; i < xs.Length; i++)
        {
            m[i, 0] = xs[i];
        }

        return m;
    }

    [Fact]
    public void LabelsProbabilitiesAndGloshMatchHandComputation()
    {
        var r = new Hdbscan(Options).FitDetailed(TwoGroupsAndOutlier());

        Assert.Equal(2, r.ClusterCount);
        var a = r.Labels[0];
        var b = r.Labels[5];
        Assert.NotEqual(a, b);
        Assert.Equal([a, a, a, a, a, b, b, b, b, b, -1], r.Labels);

        // (max core - core) / max core within each group: max core 2.
        Assert.Equal([0f, 0.5f, 0.5f, 0.5f, 0f, 0f, 0.5f, 0.5f, 0.5f, 0f, 0f], r.Probabilities);

        // GLOSH 1 - eps_max / eps: group leaves die at 1; ends leave at 2; the far point leaves the root at 897.
        float[] glosh = [0.5f, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0, 0.5f, (float)(1 - (1 / 897.0))];
        for (var i = 0; i < glosh.Length; i++)
        {
            Assert.Equal(glosh[i], r.OutlierScores[i], 6);
        }

        Assert.Equal([2.0, 1, 1, 1, 2, 2, 1, 1, 1, 2, 897], r.CoreDistances);
    }

    [Fact]
    public void StabilityExemplarsAndCondensedTreeMatchHandComputation()
    {
        var r = new Hdbscan(Options).FitDetailed(TwoGroupsAndOutlier());

        // 2 x (1/2 - 1/96) + 3 x (1/1 - 1/96) for each group (R's cluster_scores: 3.947917).
        var expected = 4 - (5 / 96.0);
        foreach (var c in r.Clusters)
        {
            Assert.Equal(5, c.Size);
            Assert.Equal(expected, c.Stability, 12);
            Assert.Equal(96, c.BirthDistance, 12);
            Assert.Equal(1, c.DeathDistance, 12);
            Assert.Equal(expected / (5 * 1.0), c.Persistence, 12);
        }

        Assert.Equal([1, 2, 3], r.Clusters[r.Labels[0]].Exemplars);
        Assert.Equal([6, 7, 8], r.Clusters[r.Labels[5]].Exemplars);

        var tree = r.CondensedTree;
        Assert.Equal(11, tree.RootId);
        var clusterRows = tree.Rows.Where(x => x.Child >= 11).ToList();
        Assert.Equal(2, clusterRows.Count);
        Assert.All(clusterRows, x => Assert.Equal((11, 1 / 96.0, 5), (x.Parent, x.LambdaValue, x.ChildSize)));
        var far = Assert.Single(tree.Rows, x => x.Child == 10);
        Assert.Equal((11, 1 / 897.0, 1), (far.Parent, far.LambdaValue, far.ChildSize));
        Assert.Equal(11, tree.Rows.Count(x => x.Child < 11));

        var csv = tree.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("parent,child,lambda_val,child_size", csv[0].TrimEnd('\r'));
        Assert.Equal(tree.Rows.Count + 1, csv.Length);
        Assert.Contains("11,10,0.0011148272017837235,1", csv.Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public void ApproximatePredictFollowsMutualReachability()
    {
        var r = new Hdbscan(Options).FitDetailed(TwoGroupsAndOutlier());
        var pts = new Matrix([2f, 0.1f, 500f, 0f, 102f, 0f], 3, 2);

        var p = r.ApproximatePredict(pts);

        // (2, 0.1): core = |(2,0.1)-(1,0)| = 1.005 < group A's birth 96, so it joins A with (2 - 1.005) / 2.
        Assert.Equal(r.Labels[0], p.Labels[0]);
        Assert.Equal((2 - Math.Sqrt(1.01)) / 2, p.Probabilities[0], 5);

        // (500, 0): joins at 397 > 96 where group B is born, so it climbs to the root: noise.
        Assert.Equal(-1, p.Labels[1]);
        Assert.Equal(0f, p.Probabilities[1]);

        // (102, 0): duplicate of a B point, core 1: probability (2 - 1) / 2.
        Assert.Equal(r.Labels[5], p.Labels[2]);
        Assert.Equal(0.5f, p.Probabilities[2]);
    }

    [Fact]
    public void SelectionEpsilonAndSingleClusterMergeEverythingIntoTheRoot()
    {
        var data = TwoGroupsAndOutlier();

        // Without AllowSingleCluster the root can never be chosen, so epsilon above the split changes nothing.
        var eps = new Hdbscan(Options with { ClusterSelectionEpsilon = 100 }).FitDetailed(data);
        Assert.Equal(2, eps.ClusterCount);

        var single = new Hdbscan(Options with { ClusterSelectionEpsilon = 100, AllowSingleCluster = true }).FitDetailed(data);
        Assert.Equal(1, single.ClusterCount);
        Assert.All(single.Labels, l => Assert.Equal(0, l));
        Assert.Equal(0f, single.Probabilities[10]);

        // The leaf method picks the same two leaves here.
        var leaf = new Hdbscan(Options with { ClusterSelectionMethod = HdbscanSelectionMethod.Leaf }).FitDetailed(data);
        Assert.Equal(eps.Labels, leaf.Labels);

        // A size cap below a group's 5 points cannot split leaves: they stay selected.
        var capped = new Hdbscan(Options with { MaxClusterSize = 4 }).FitDetailed(data);
        Assert.Equal(eps.Labels, capped.Labels);
    }

    [Fact]
    public void MaxClusterSizeForcesTheChildrenOfAnOversizedCluster()
    {
        // Groups 0..4 and 6.1..10.1 join at mutual reachability 2.1 (core distances 2), just above their own
        // top merges at 2, so their union (born when the far group splits off at 1000 - 10.1 = 989.9) outlives
        // them: stability 10 x (1/2.1 - 1/989.9) = 4.7518 (R's cluster_scores: 4.751803) beats
        // 2 x (2 x (1/2 - 1/2.1) + 3 x (1 - 1/2.1)) = 3.24 (R dbscan agrees: one cluster of 10 and one of 5).
        float[] xs = [0, 1, 2, 3, 4, 6.1f, 7.1f, 8.1f, 9.1f, 10.1f, 1000, 1001, 1002, 1003, 1004];
        var m = new Matrix(xs.Length, 1);
        xs.CopyTo(m.Data, 0);

        var r = new Hdbscan(Options).FitDetailed(m);
        Assert.Equal(2, r.ClusterCount);
        Assert.Equal(10, r.Clusters[r.Labels[0]].Size);
        var gap = (double)6.1f - 4;
        var birth = 1000 - (double)10.1f;
        Assert.Equal(10 * ((1 / gap) - (1 / birth)), r.Clusters[r.Labels[0]].Stability, 10);
        Assert.Equal(4.751803, r.Clusters[r.Labels[0]].Stability, 6);

        var capped = new Hdbscan(Options with { MaxClusterSize = 6 }).FitDetailed(m);
        Assert.Equal(3, capped.ClusterCount);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2], capped.Labels);
    }

    [Theory]
    // The 15 points of the test above: the union of the first two groups holds 10 (2/3 of the points). A share
    // cap allows floor(share x 15) points: 7 at the default 0.5 and 9 at 0.6 force its two children; 10 at 0.7 and
    // no cap (1) keep R's two clusters.
    [InlineData(0.5, 3)]
    [InlineData(0.6, 3)]
    [InlineData(0.7, 2)]
    [InlineData(1.0, 2)]
    public void MaxClusterShareCapsTheSelectedClustersAtAShareOfThePoints(double share, int clusters)
    {
        float[] xs = [0, 1, 2, 3, 4, 6.1f, 7.1f, 8.1f, 9.1f, 10.1f, 1000, 1001, 1002, 1003, 1004];
        var m = new Matrix(xs.Length, 1);
        xs.CopyTo(m.Data, 0);

        var r = new Hdbscan(Options with { MaxClusterShare = share }).FitDetailed(m);

        Assert.Equal(clusters, r.ClusterCount);
        int[] expected = clusters == 3 ? [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2] : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        Assert.Equal(expected, r.Labels);
        Assert.All(r.Clusters, c => Assert.True(c.Size <= Math.Max(5, share * xs.Length)));
    }

    [Fact]
    public void TheDefaultShareCapLetsLeavesAndARequestedSingleClusterStand()
    {
        Assert.Equal(0.5, new HdbscanOptions().MaxClusterShare);

        // A group of 5 and a group of 3 far apart, min cluster size 3: the 5 (of 8 points, above the cap of 4) cannot
        // split into two parts of 3 or more, so it is a leaf and stays selected.
        float[] xs = [0, 1, 2, 3, 4, 500, 501, 502];
        var m = new Matrix(xs.Length, 1);
        xs.CopyTo(m.Data, 0);
        var leafy = new Hdbscan(new HdbscanOptions { MinClusterSize = 3, MinSamples = 2 }).FitDetailed(m);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], leafy.Labels);

        // AllowSingleCluster asks for a possible all-points cluster, which the share cap would always forbid.
        var single = new Hdbscan(Options with { MaxClusterShare = 0.5, ClusterSelectionEpsilon = 100, AllowSingleCluster = true }).FitDetailed(TwoGroupsAndOutlier());
        Assert.Equal(1, single.ClusterCount);

        foreach (var bad in new[] { 0.0, -0.1, 1.01, double.NaN })
        {
            Assert.Contains("MaxClusterShare", Assert.Throws<ArgumentException>(() => new Hdbscan(new HdbscanOptions { MaxClusterShare = bad })).Message, StringComparison.Ordinal);
        }
    }
}
