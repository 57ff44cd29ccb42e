namespace TopicKit.Duplicates;

/// <summary>Two rows (or documents) and their similarity; <see cref="A"/> is always below <see cref="B"/>.</summary>
/// <param name="A">The lower row index.</param>
/// <param name="B">The higher row index.</param>
/// <param name="Score">Cosine similarity (semantic) or Jaccard similarity (lexical).</param>
public readonly record struct ScoredPair(int A, int B, double Score);

/// <summary>How a semantic pair search runs.</summary>
public enum PairSearchMethod
{
    /// <summary><see cref="Exact"/> up to <see cref="PairSearchOptions.ApproximateAbove"/> rows, <see cref="Approximate"/> above.</summary>
    Auto,

    /// <summary>Every pair scored (blocked, never an N x N matrix): finds all pairs above the threshold.</summary>
    Exact,

    /// <summary>An inverted-file index (<see cref="ApproximatePairSearch"/>): rows grouped into k-means cells, each cell searched exactly.</summary>
    Approximate,
}

/// <summary>Settings of a semantic (cosine) pair search.</summary>
public sealed record PairSearchOptions
{
    /// <summary>Pairs with cosine at least this are reported; in [0, 1]. Default 0.95.</summary>
    public double Threshold { get; init; } = 0.95;

    /// <summary>Exact, approximate, or chosen by size (default).</summary>
    public PairSearchMethod Method { get; init; } = PairSearchMethod.Auto;

    /// <summary>Above this many rows <see cref="PairSearchMethod.Auto"/> uses the approximate index. Default 300,000.</summary>
    public int ApproximateAbove { get; init; } = 300_000;

    /// <summary>
    /// Approximate index: cells each row joins (its nearest centres). Default 2: near-duplicates almost always share
    /// their nearest cell, and the second catches rows on a boundary; more probes raise recall and cost (about p²).
    /// </summary>
    public int Probes { get; init; } = 2;

    /// <summary>Approximate index: number of cells, or 0 (default) for √(N p² / 2), which balances assignment and search.</summary>
    public int Cells { get; init; }

    /// <summary>Seed of the approximate index's sample and k-means. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Threads; -1 (default) for all, 1 for serial. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Most pairs kept before the search stops with an error (a threshold so low that most pairs qualify would otherwise
    /// exhaust memory: each pair costs 16 bytes). Default 20,000,000.
    /// </summary>
    public long MaxPairs { get; init; } = 20_000_000;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold outside [0, 1], or a non-positive count.</exception>
    public void Validate()
    {
        if (!(Threshold >= 0 && Threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, $"the cosine threshold must be between 0 and 1, got {Threshold}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ApproximateAbove);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Probes);
        ArgumentOutOfRangeException.ThrowIfNegative(Cells);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPairs);
    }
}

/// <summary>Finds every pair of rows whose cosine similarity reaches a threshold.</summary>
public interface IPairSearch
{
    /// <summary>A short name for reports: <c>exact</c> or <c>ivf</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The pairs (A &lt; B) with cosine ≥ <see cref="PairSearchOptions.Threshold"/>, ordered by A then B, scores computed
    /// exactly (double precision, from the given rows). An all-zero row has cosine 0 with every row.
    /// </summary>
    /// <exception cref="ArgumentException">NaN or infinite values (the message names the row), or more pairs than <see cref="PairSearchOptions.MaxPairs"/>.</exception>
    IReadOnlyList<ScoredPair> FindPairs(Numerics.Matrix vectors, CancellationToken cancellationToken = default);
}
