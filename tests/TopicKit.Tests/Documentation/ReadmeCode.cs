namespace TopicKit.Tests.Documentation;

/// <summary>The fenced <c>```csharp</c> blocks of README.md, each with the line it starts on.</summary>
internal static class ReadmeCode
{
    public static string ReadmePath => Path.Combine(SharedData.RepoRoot, "README.md");

    public static IReadOnlyList<(int Line, string Code)> Blocks()
    {
        var lines = File.ReadAllLines(ReadmePath);
        var blocks = new List<(int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new InvalidDataException($"README.md line {i + 1}: a ```csharp block is never closed.");
            }

            blocks.Add((start + 1, string.Join('\n', lines[start..end])));
            i = end;
        }

        return blocks;
    }

    /// <summary>
    /// The block as it runs in the test: paths the README writes relative to the checkout (<c>"notebooks/...</c>,
    /// <c>"../shared/...</c>) point at the real folders, so the code a reader copies is the code that is tested.
    /// </summary>
    public static string Runnable(string code) => code
        .Replace("\"notebooks/", $"\"{SharedData.RepoRoot}/notebooks/", StringComparison.Ordinal)
        .Replace("\"../shared/", $"\"{SharedData.Root}/", StringComparison.Ordinal);
}
