using TopicKit.Numerics;

namespace TopicKit.Duplicates;

/// <summary>Double-precision cosine scoring shared by the exact and approximate pair searches.</summary>
internal static class PairScoring
{
    /// <summary>Row norms in double precision.</summary>
    public static double[] Norms(Matrix vectors)
    {
        var norms = new double[vectors.Rows];
        for (var i = 0; i < norms.Length; i++)
        {
            var row = vectors.RowReadOnly(i);
            var s = 0.0;
            foreach (var v in row)
            {
                s += (double)v * v;
            }

            norms[i] = Math.Sqrt(s);
        }

        return norms;
    }

    /// <summary>Cosine of rows <paramref name="a"/> and <paramref name="b"/> in double precision; 0 when either is all zero.</summary>
    public static double Cosine(Matrix vectors, double[] norms, int a, int b)
    {
        if (norms[a] == 0 || norms[b] == 0)
        {
            return 0;
        }

        var x = vectors.RowReadOnly(a);
        var y = vectors.RowReadOnly(b);
        var s = 0.0;
        for (var t = 0; t < x.Length; t++)
        {
            s += (double)x[t] * y[t];
        }

        return Math.Clamp(s / (norms[a] * norms[b]), -1.0, 1.0);
    }

    /// <summary>The candidates whose exact cosine reaches <paramref name="threshold"/>, sorted by A then B.</summary>
    public static ScoredPair[] Verify(Matrix vectors, double[] norms, PairScratch candidates, double threshold)
    {
        var kept = new List<ScoredPair>(candidates.A.Count);
        for (var i = 0; i < candidates.A.Count; i++)
        {
            var a = candidates.A[i];
            var b = candidates.B[i];
            var score = Cosine(vectors, norms, a, b);
            if (score >= threshold)
            {
                kept.Add(new ScoredPair(a, b, score));
            }
        }

        kept.Sort(static (p, q) => p.A != q.A ? p.A.CompareTo(q.A) : p.B.CompareTo(q.B));
        return [.. kept];
    }
}
