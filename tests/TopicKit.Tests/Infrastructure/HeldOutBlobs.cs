using TopicKit.Numerics;

namespace TopicKit.Tests.Infrastructure;

/// <summary>
/// The held-out UMAP quality set: 3,300 points in 3-D, six isotropic Gaussian blobs of 550 points (standard deviation
/// 1, centres uniform in [-10, 10]^3), drawn from <see cref="SeededRandom"/> so the tests and the bench (which also
/// writes it to .npy for umap-learn) see the same bits. Not one of the shared datasets, so the layout was not tuned on it.
/// </summary>
internal static class HeldOutBlobs
{
    public const int Blobs = 6;
    public const int PerBlob = 550;

    public static Matrix Create(ulong seed = 2026)
    {
        var random = new SeededRandom(seed);
        var centres = new double[Blobs * 3];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = (random.NextDouble() * 20) - 10;
        }

        var data = new Matrix(Blobs * PerBlob, 3);
        for (var i = 0; i < data.Rows; i++)
        {
            // Blobs interleaved (row i in blob i mod 6), as scikit-learn's make_blobs shuffles them.
            var blob = i % Blobs;
            for (var c = 0; c < 3; c++)
            {
                data[i, c] = (float)(centres[(blob * 3) + c] + random.NextGaussian());
            }
        }

        return data;
    }
}
