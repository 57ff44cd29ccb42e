using DenseMatrix = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Text;

namespace TopicKit.Tests.Embedding;

public class LexicalEncoderTests
{
    private static readonly string[] TinyCorpus = ["apple banana apple", "banana cherry", "cherry apple", "Apple!"];

    [Fact]
    public void TfidfMatchesHandComputedWeights()
    {
        // df: apple 3, banana 2, cherry 2 of n = 4 documents.
        // idf(apple) = ln(5/4) + 1 = 1.2231436, idf(banana) = ln(5/3) + 1 = 1.5108256.
        // Row 0: apple tf 2 -> (1 + ln 2) * 1.2231436, banana tf 1 -> 1.5108256; L2-normalised:
        // apple 0.8078684, banana 0.5893629.
        var v = TfidfVectorizer.Fit(TinyCorpus);
        Assert.Equal(["apple", "banana", "cherry"], v.Terms);
        Assert.Equal(1.2231436f, v.Idf[0], 6);
        Assert.Equal(1.5108256f, v.Idf[1], 6);
        var x = v.Transform(TinyCorpus);
        Assert.Equal([0, 1], x.RowIndices(0).ToArray());
        Assert.Equal(0.8078684f, x.RowValues(0)[0], 6);
        Assert.Equal(0.5893629f, x.RowValues(0)[1], 6);
        Assert.Equal([0], x.RowIndices(3).ToArray());
        Assert.Equal(1f, x.RowValues(3)[0], 6);
    }

    [Fact]
    public void StopWordsAndSingleCharactersAreNotTerms()
    {
        var v = TfidfVectorizer.Fit(["the x model of the data", "the x model and a data set"]);
        Assert.Equal(["data", "model"], v.Terms);
    }

    [Fact]
    public void WordScannerFollowsTheTwoWordCharacterRule()
    {
        var words = new List<string>();
        Span<char> buffer = stackalloc char[64];
        WordScanner.Scan("Naïve-Bayes, x_1 a 3D 42 é", buffer, w => words.Add(w.ToString()));
        Assert.Equal(["naïve", "bayes", "x_1", "3d", "42"], words);
    }

    [Fact]
    public void RandomizedSvdRecoversTheExactSpectrumOfALowRankMatrix()
    {
        // A 60 x 40 matrix of rank 5: the randomized range finder must capture it exactly.
        var random = new SeededRandom(7);
        var left = DenseMatrix.Create(60, 5, (_, _) => random.NextGaussian());
        var rightFactor = DenseMatrix.Create(5, 40, (_, _) => random.NextGaussian());
        var dense = left * rightFactor;
        var sparse = ToSparse(dense);
        var (vectors, singular, rank) = RandomizedSvd.Compute(sparse, 5, seed: 3);
        Assert.Equal(5, rank);
        var exact = dense.Svd();
        for (var c = 0; c < 5; c++)
        {
            Assert.Equal(exact.S[c], singular[c], 1e-4 * exact.S[0]);
            // Same subspace direction up to sign.
            var dot = 0.0;
            for (var r = 0; r < 40; r++)
            {
                dot += vectors[(r * 5) + c] * exact.VT[c, r];
            }

            Assert.Equal(1.0, Math.Abs(dot), 1e-4);
        }
    }

    [Fact]
    public void EncodingIsUnitLengthDeterministicAndSurvivesSaveLoad()
    {
        var corpus = Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? $"quantum error correction surface code qubit noise threshold decoder {i % 5}"
            : $"galaxy cluster redshift survey dark matter halo lensing {i % 7}").ToArray();
        var encoder = LexicalEncoder.Fit(corpus, new LexicalEncoderOptions(Dimension: 8));
        var again = LexicalEncoder.Fit(corpus, new LexicalEncoderOptions(Dimension: 8));
        Assert.Equal(encoder.ModelId, again.ModelId);
        var m = encoder.Encode(corpus);
        Assert.Equal(m.Data, again.Encode(corpus).Data);
        for (var i = 0; i < m.Rows; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(m.RowReadOnly(i))), 1e-5);
        }

        // The two themes are far apart; documents within a theme are close.
        Assert.True(Cos(m, 0, 2) > 0.9);
        Assert.True(Cos(m, 0, 1) < 0.2);

        using var stream = new MemoryStream();
        encoder.Save(stream);
        stream.Position = 0;
        var loaded = LexicalEncoder.Load(stream);
        Assert.Equal(encoder.ModelId, loaded.ModelId);
        Assert.Equal(m.Data, loaded.Encode(corpus).Data);

        var truncated = new MemoryStream(stream.ToArray()[..(int)(stream.Length / 2)]);
        Assert.Throws<InvalidDataException>(() => LexicalEncoder.Load(truncated));
    }

    [Fact]
    public void UnrelatedTextsGiveAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => LexicalEncoder.Fit(["alpha beta", "gamma delta"]));
        Assert.Contains("at least 2", e.Message, StringComparison.Ordinal);
    }

    private static float Cos(Matrix m, int a, int b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(m.RowReadOnly(a), m.RowReadOnly(b));

    private static SparseMatrix ToSparse(DenseMatrix dense)
    {
        var offsets = new int[dense.RowCount + 1];
        var idx = new List<int>();
        var val = new List<float>();
        for (var r = 0; r < dense.RowCount; r++)
        {
            for (var c = 0; c < dense.ColumnCount; c++)
            {
                idx.Add(c);
                val.Add((float)dense[r, c]);
            }

            offsets[r + 1] = idx.Count;
        }

        return new SparseMatrix(offsets, [.. idx], [.. val], dense.ColumnCount);
    }
}
