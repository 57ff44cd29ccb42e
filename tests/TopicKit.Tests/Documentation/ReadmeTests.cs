using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Xunit.Abstractions;

namespace TopicKit.Tests.Documentation;

/// <summary>Runs no test in parallel with the README blocks, which change the current folder and the console.</summary>
[CollectionDefinition(nameof(ReadmeCollection), DisableParallelization = true)]
public sealed class ReadmeCollection;

/// <summary>Every C# block of README.md compiles and runs against the built library (as Sep tests its README).</summary>
[Collection(nameof(ReadmeCollection))]
public sealed class ReadmeTests(ITestOutputHelper output)
{
    public static TheoryData<int> BlockLines()
    {
        var data = new TheoryData<int>();
        foreach (var (line, _) in ReadmeCode.Blocks())
        {
            data.Add(line);
        }

        return data;
    }

    [Fact]
    public void TheReadmeHasCSharpExamples() => Assert.True(ReadmeCode.Blocks().Count >= 1, "README.md should show the library in ```csharp blocks");

    [Theory]
    [MemberData(nameof(BlockLines))]
    public async Task BlockRuns(int line)
    {
        var code = ReadmeCode.Runnable(ReadmeCode.Blocks().Single(b => b.Line == line).Code);
        var options = ScriptOptions.Default
            .WithReferences(typeof(object).Assembly, typeof(Console).Assembly, typeof(Enumerable).Assembly, typeof(TopicKit.Pipeline.TopicModel).Assembly)
            .AddReferences(MlNetAssemblies())
            .WithImports("System", "System.IO", "System.Linq", "System.Collections.Generic")
            .WithFilePath($"README.md:{line}");
        using var folder = new TempFolder("topickit-readme-");
        var cwd = Environment.CurrentDirectory;
        var console = Console.Out;
        using var captured = new StringWriter();
        try
        {
            Environment.CurrentDirectory = folder.Path;
            Console.SetOut(captured);
            await CSharpScript.RunAsync(code, options);
        }
        catch (CompilationErrorException e)
        {
            Assert.Fail($"README.md block at line {line} does not compile:\n{string.Join('\n', e.Diagnostics)}");
        }
        finally
        {
            Console.SetOut(console);
            Environment.CurrentDirectory = cwd;
        }

        output.WriteLine(captured.ToString());
        Assert.False(string.IsNullOrWhiteSpace(captured.ToString()), $"README.md block at line {line} printed nothing; examples should show their result.");
    }

    // The ML.NET section's block uses TopicKit.MLNet and the ML.NET assemblies it builds on, plus the standard trainers.
    private static IEnumerable<System.Reflection.Assembly> MlNetAssemblies() =>
        typeof(TopicKit.MLNet.SentenceEmbeddingModel).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Microsoft.ML", StringComparison.Ordinal))
            .Select(System.Reflection.Assembly.Load)
            .Append(typeof(TopicKit.MLNet.SentenceEmbeddingModel).Assembly)
            .Append(typeof(Microsoft.ML.StandardTrainersCatalog).Assembly)
            .Distinct();
}
