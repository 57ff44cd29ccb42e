using System.Numerics.Tensors;

namespace TopicKit.Numerics;

/// <summary>Row-wise helpers shared by the neighbour and clustering kernels.</summary>
internal static class RowOps
{
    /// <summary>Squared L2 norm of every row.</summary>
    public static float[] SquaredNorms(Matrix m)
    {
        var norms = new float[m.Rows];
        for (var i = 0; i < m.Rows; i++)
        {
            var row = m.RowReadOnly(i);
            norms[i] = TensorPrimitives.Dot(row, row);
        }

        return norms;
    }

    /// <summary>A copy with every row scaled to unit L2 norm; all-zero rows stay zero.</summary>
    public static Matrix NormalizedCopy(Matrix m)
    {
        var copy = m.Clone();
        NormalizeInPlace(copy);
        return copy;
    }

    /// <summary>Scales every row to unit L2 norm; all-zero rows stay zero.</summary>
    public static void NormalizeInPlace(Matrix m)
    {
        for (var i = 0; i < m.Rows; i++)
        {
            var row = m.Row(i);
            var norm = TensorPrimitives.Norm(row);
            if (norm > 0f)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }
    }
}

/// <summary>
/// Runs independent blocks of work with <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>, or inline when
/// there is a single block or one thread is requested. Each block must write only its own outputs so that the result
/// does not depend on scheduling.
/// </summary>
internal static class BlockParallel
{
    public static void For<TScratch>(
        int blockCount, int maxDegreeOfParallelism, Func<TScratch> scratch, Action<int, TScratch> body, CancellationToken cancellationToken)
    {
        if (blockCount <= 0)
        {
            return;
        }

        if (blockCount == 1 || maxDegreeOfParallelism == 1 || Environment.ProcessorCount == 1)
        {
            var local = scratch();
            for (var b = 0; b < blockCount; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(b, local);
            }

            return;
        }

        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism <= 0 ? -1 : maxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        Parallel.For(
            0,
            blockCount,
            options,
            scratch,
            (b, _, local) =>
            {
                body(b, local);
                return local;
            },
            _ => { });
    }
}
