using TopicKit.Numerics;
using TopicKit.Reduction;

namespace TopicKit.Tests.Reduction;

public class PcaTests
{
    [Fact]
    public void TwoDimensionalHandCase()
    {
        // Covariance [[10,6],[6,10]]/3: eigenvalues 16/3 along (1,1)/sqrt2 and 4/3 along (1,-1)/sqrt2.
        var data = new Matrix([2, 2, -2, -2, 1, -1, -1, 1], 4, 2);
        var model = new Pca(new PcaOptions(2) { Method = PcaMethod.Exact }).Fit(data);
        var h = (float)(1 / Math.Sqrt(2));
        Assert.Equal(h, model.Components[0, 0], 5);
        Assert.Equal(h, model.Components[0, 1], 5);
        Assert.Equal(h, model.Components[1, 0], 5);
        Assert.Equal(-h, model.Components[1, 1], 5);
        Assert.Equal(16.0 / 3, model.ExplainedVariance[0], 5);
        Assert.Equal(4.0 / 3, model.ExplainedVariance[1], 5);
        Assert.Equal(0.8, model.ExplainedVarianceRatio[0], 6);
        Assert.Equal(0.2, model.ExplainedVarianceRatio[1], 6);
        Assert.Equal(2 * Math.Sqrt(2), model.Embedding[0, 0], 5);
        Assert.Equal(0, model.Embedding[0, 1], 5);
        Assert.Equal(0, model.Embedding[2, 0], 5);
        Assert.Equal(Math.Sqrt(2), model.Embedding[2, 1], 5);
    }

    [Theory]
    [InlineData(PcaMethod.Exact)]
    [InlineData(PcaMethod.Randomized)]
    public void ThreeDimensionalAxisAlignedCaseWithOffset(PcaMethod method)
    {
        // Points +-3 e1, +-2 e2, +-1 e3 around (10,20,30): covariance diag(18, 8, 2) / 5.
        float[] raw = [13, 20, 30, 7, 20, 30, 10, 22, 30, 10, 18, 30, 10, 20, 31, 10, 20, 29];
        var model = new Pca(new PcaOptions(3) { Method = method, Oversampling = 0 }).Fit(new Matrix(raw, 6, 3));
        Assert.Equal([10f, 20f, 30f], model.Mean.ToArray());
        for (var k = 0; k < 3; k++)
        {
            for (var t = 0; t < 3; t++)
            {
                Assert.Equal(k == t ? 1f : 0f, model.Components[k, t], 5);
            }
        }

        Assert.Equal(18.0 / 5, model.ExplainedVariance[0], 5);
        Assert.Equal(8.0 / 5, model.ExplainedVariance[1], 5);
        Assert.Equal(2.0 / 5, model.ExplainedVariance[2], 5);
        Assert.Equal(18.0 / 28, model.ExplainedVarianceRatio[0], 6);
        var projected = model.Transform(new Matrix([11, 21, 29], 1, 3));
        Assert.Equal([1f, 1f, -1f], projected.Data.Select(v => MathF.Round(v, 4)).ToArray());
    }

    [Fact]
    public void ComponentsAreOrthonormalOrderedAndTransformMatchesEmbedding()
    {
        var data = RandomData(300, 20, seed: 3, scaleDecay: 0.8);
        var model = new Pca(new PcaOptions(8) { Method = PcaMethod.Exact }).Fit(data);
        AssertOrthonormal(model.Components);
        for (var k = 1; k < 8; k++)
        {
            Assert.True(model.ExplainedVariance[k] <= model.ExplainedVariance[k - 1]);
        }

        var again = model.Transform(data);
        for (var i = 0; i < again.Data.Length; i++)
        {
            Assert.Equal(model.Embedding.Data[i], again.Data[i], 4);
        }

        // The variance of each embedding column is the explained variance of its component.
        for (var k = 0; k < 8; k++)
        {
            var variance = Enumerable.Range(0, data.Rows).Sum(i => (double)model.Embedding[i, k] * model.Embedding[i, k]) / (data.Rows - 1);
            Assert.Equal(model.ExplainedVariance[k], variance, 3);
        }
    }

    [Fact]
    public void RandomizedMatchesExactOnLowRankData()
    {
        // Rank-5 signal plus tiny noise: the randomized sketch must recover the same subspace.
        var random = new Random(11);
        var latent = RandomData(500, 5, seed: 12, scaleDecay: 0.7);
        var mixing = RandomData(5, 120, seed: 13, scaleDecay: 1);
        var data = new Matrix(500, 120);
        for (var i = 0; i < 500; i++)
        {
            for (var t = 0; t < 120; t++)
            {
                var value = 0f;
                for (var r = 0; r < 5; r++)
                {
                    value += latent[i, r] * mixing[r, t];
                }

                data[i, t] = value + (float)(1e-4 * PcaSolverGaussian(random));
            }
        }

        var exact = new Pca(new PcaOptions(4) { Method = PcaMethod.Exact }).Fit(data);
        var randomized = new Pca(new PcaOptions(4) { Method = PcaMethod.Randomized, Seed = 5 }).Fit(data);
        AssertOrthonormal(randomized.Components);
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(exact.ExplainedVariance[k], randomized.ExplainedVariance[k], exact.ExplainedVariance[k] * 1e-4);
            var dot = 0.0;
            for (var t = 0; t < 120; t++)
            {
                dot += exact.Components[k, t] * randomized.Components[k, t];
            }

            // Same sign convention, so the axes coincide, not merely up to sign.
            Assert.Equal(1.0, dot, 4);
        }
    }

    [Fact]
    public void WideDataUsesAllVarianceAndWhitensToUnitVariance()
    {
        var data = RandomData(10, 30, seed: 21, scaleDecay: 0.9);
        var model = new Pca(new PcaOptions(9) { Method = PcaMethod.Exact, Whiten = true }).Fit(data);
        AssertOrthonormal(model.Components);
        Assert.Equal(1.0, model.ExplainedVarianceRatio.Sum(), 6);
        for (var k = 0; k < 9; k++)
        {
            var variance = Enumerable.Range(0, 10).Sum(i => (double)model.Embedding[i, k] * model.Embedding[i, k]) / 9;
            Assert.Equal(1.0, variance, 4);
        }
    }

    [Fact]
    public void RejectsTooManyComponents()
    {
        var error = Assert.Throws<ArgumentException>(() => new Pca(new PcaOptions(4)).Fit(new Matrix(3, 5)));
        Assert.Contains("at most 3", error.Message, StringComparison.Ordinal);
    }

    private static void AssertOrthonormal(Matrix components)
    {
        for (var a = 0; a < components.Rows; a++)
        {
            for (var b = 0; b < components.Rows; b++)
            {
                var dot = 0.0;
                for (var t = 0; t < components.Columns; t++)
                {
                    dot += components[a, t] * components[b, t];
                }

                Assert.Equal(a == b ? 1.0 : 0.0, dot, 4);
            }
        }
    }

    internal static Matrix RandomData(int rows, int columns, int seed, double scaleDecay)
    {
        var random = new Random(seed);
        var data = new Matrix(rows, columns);
        for (var i = 0; i < rows; i++)
        {
            for (var t = 0; t < columns; t++)
            {
                data[i, t] = (float)(PcaSolverGaussian(random) * Math.Pow(scaleDecay, t));
            }
        }

        return data;
    }

    private static double PcaSolverGaussian(Random random) => PcaSolver.Gaussian(random);
}
