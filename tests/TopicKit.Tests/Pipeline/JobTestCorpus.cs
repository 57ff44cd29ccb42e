using TopicKit.Corpus;
using TopicKit.Storage;

namespace TopicKit.Tests.Pipeline;

/// <summary>
/// Six hand-written documents with known relations, for the duplicates, search and docs jobs: a revised version with one
/// word changed (rows 0 and 1, a lexical near-duplicate), an exact copy from another file (rows 2 and 3), and two
/// unrelated documents.
/// </summary>
internal static class JobTestCorpus
{
    public const string Speech = "We train a streaming speech recognition model on noisy call centre recordings and show that "
        + "joint training with a language model lowers the word error rate by twelve percent on three public benchmarks "
        + "while keeping latency below two hundred milliseconds on commodity phones";

    public const string Galaxy = "Deep imaging of forty nearby dwarf galaxies reveals faint stellar halos whose mass grows "
        + "with the host luminosity, in line with hierarchical assembly models of galaxy formation and tidal stripping";

    public static readonly Document[] Documents =
    [
        new("p-speech", "Streaming speech recognition for call centres", Speech, ["Ada Okafor"], new DateOnly(2023, 1, 5), ["eess.AS"], "a.jsonl", 0),
        new("p-speech-v2", "Low latency speech recognition", Speech.Replace("twelve", "eleven", StringComparison.Ordinal), ["Ada Okafor"], new DateOnly(2023, 3, 1), ["eess.AS"], "a.jsonl", 1),
        new("p-galaxy", "Stellar halos of dwarf galaxies", Galaxy, ["Lin Park", "Sam Ode"], new DateOnly(2022, 6, 2), ["astro-ph.GA"], "a.jsonl", 2),
        new("p-protein", "Folding small proteins with coarse potentials", "A coarse grained potential folds twenty small proteins to within two angstroms of their crystal structures using only sequence derived contact maps and a simple annealing schedule", ["Mia Berg"], null, ["q-bio.BM"], "a.jsonl", 3),
        new("p-galaxy-copy", "Stellar halos of dwarf galaxies", Galaxy, ["Lin Park"], null, ["astro-ph.GA"], "b.jsonl", 0),
        new("p-climate", "Regional rainfall extremes under warming", "Convection permitting simulations over the Alps project heavier hourly rainfall extremes by the end of the century, with the largest increases in autumn and at high elevations", ["Jo Weiss"], new DateOnly(2021, 9, 9), ["physics.ao-ph"], "b.jsonl", 1),
    ];

    /// <summary>A workspace at <paramref name="directory"/> holding <see cref="Documents"/>, ingested as two files.</summary>
    public static async Task<string> CreateAsync(string directory)
    {
        using var workspace = Workspace.Open(directory);
        await workspace.IngestAsync(Storage.WorkspaceTestKit.Stream(Documents.Where(d => d.Source == "a.jsonl")), "a.jsonl");
        await workspace.IngestAsync(Storage.WorkspaceTestKit.Stream(Documents.Where(d => d.Source == "b.jsonl")), "b.jsonl");
        return directory;
    }

    /// <summary>An empty workspace (created, nothing ingested).</summary>
    public static string CreateEmpty(string directory)
    {
        using (Workspace.Open(directory))
        {
        }

        return directory;
    }
}
