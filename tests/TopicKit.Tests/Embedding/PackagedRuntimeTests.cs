using System.Diagnostics;
using System.IO.Compression;
using System.Numerics.Tensors;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Xml.Linq;
using TopicKit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TopicKit.Tests.Embedding;

/// <summary>
/// The packages carry ONNX Runtime's native library: a project that consumes the packed TopicKit library from a local
/// folder feed encodes with tiny-bert (vectors equal to the oracle), and the packed topickit tool holds the library for
/// this platform. Shells out to <c>dotnet pack</c>/<c>build</c> over the already-built projects.
/// </summary>
public sealed class PackagedRuntimeTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string Configuration =
        typeof(PackagedRuntimeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    // A version no package cache can already hold, so the consumer restores exactly what this run packed.
    private readonly string _version = "0.0.0-packtest." + Guid.NewGuid().ToString("N")[..12];
    private readonly string _root = Directory.CreateTempSubdirectory("topickit-packtest-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ConsumerOfThePackedLibraryEncodesWithTinyBert()
    {
        var feed = Path.Combine(_root, "feed");
        Dotnet(SharedData.RepoRoot, "pack", Path.Combine("src", "TopicKit", "TopicKit.csproj"), "-c", Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={_version}");
        var package = Path.Combine(feed, $"TopicKit.{_version}.nupkg");
        Assert.Contains("Microsoft.ML.OnnxRuntime", Dependencies(package));

        var consumer = WriteConsumer(feed);
        Dotnet(consumer, "build", "-c", "Release", "--disable-build-servers");
        var bin = Path.Combine(consumer, "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(bin, "runtimes", RuntimeFolder, "native", NativeLibrary)), $"no {NativeLibrary} for {RuntimeFolder} in {bin}");

        var texts = EmbeddingOracles.Texts();
        var input = Path.Combine(_root, "texts.json");
        var result = Path.Combine(_root, "vectors.json");
        File.WriteAllText(input, JsonSerializer.Serialize(texts.Select(t => t.Text).ToArray()));
        Dotnet(consumer, Path.Combine(bin, "Consumer.dll"), SharedData.Path("models", "tiny-bert"), input, result);

        var vectors = JsonSerializer.Deserialize<float[][]>(File.ReadAllText(result))!;
        var oracle = EmbeddingOracles.Embeddings("tiny-bert-embeddings.jsonl");
        Assert.Equal(texts.Count, vectors.Length);
        for (var i = 0; i < texts.Count; i++)
        {
            var cosine = TensorPrimitives.CosineSimilarity(vectors[i], oracle[texts[i].Id]);
            Assert.True(cosine >= 0.9999f, $"text {texts[i].Id}: cosine {cosine}");
        }
    }

    [Fact]
    public void PackedToolCarriesTheNativeRuntimeForThisPlatform()
    {
        var feed = Path.Combine(_root, "feed");
        Dotnet(
            SharedData.RepoRoot, "pack", Path.Combine("src", "TopicKit.Cli", "TopicKit.Cli.csproj"), "-c", Configuration, "--no-build", "-o", feed,
            $"-p:PackageVersion={_version}", $"-p:PublishDir={Path.Combine(_root, "publish")}{Path.DirectorySeparatorChar}");
        using var zip = ZipFile.OpenRead(Path.Combine(feed, $"TopicKit.Cli.{_version}.nupkg"));
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains($"tools/net10.0/any/runtimes/{RuntimeFolder}/native/{NativeLibrary}", entries);
        Assert.Contains("tools/net10.0/any/Microsoft.ML.OnnxRuntime.dll", entries);

        // The mobile archives of the ONNX Runtime package stay out of the tool.
        Assert.DoesNotContain(entries, e => e.Contains("onnxruntime.aar", StringComparison.Ordinal) || e.Contains("xcframework", StringComparison.Ordinal));
    }

    private static string RuntimeFolder =>
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" +
        RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    private static string NativeLibrary =>
        OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";

    private static List<string> Dependencies(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        return [.. XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!)];
    }

    /// <summary>
    /// A console project outside the repository (empty Directory.* files stop MSBuild from looking further up) that
    /// references the packed TopicKit from the local feed, besides the machine's configured sources. Its own package
    /// folder keeps the test package out of the machine's cache; the machine's cache serves every other package.
    /// </summary>
    private string WriteConsumer(string feed)
    {
        var folder = Path.Combine(_root, "consumer");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        new XDocument(new XElement(
            "configuration",
            new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", Path.Combine(_root, "packages")))),
            new XElement("packageSources", new XElement("add", new XAttribute("key", "topickit-test-feed"), new XAttribute("value", feed))),
            new XElement("fallbackPackageFolders", new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", machineCache)))))
            .Save(Path.Combine(folder, "nuget.config"));
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TopicKit" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using System.Text.Json;
            using TopicKit.Embedding;

            var texts = JsonSerializer.Deserialize<string[]>(File.ReadAllText(args[1]))!;
            using var encoder = OnnxSentenceEncoder.Load(args[0], new SentenceEncoderOptions { Threads = 1 });
            var vectors = encoder.Encode(texts);
            var rows = Enumerable.Range(0, vectors.Rows).Select(i => vectors.RowReadOnly(i).ToArray()).ToArray();
            File.WriteAllText(args[2], JsonSerializer.Serialize(rows));
            """);
        return folder;
    }

    private void Dotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would point a nested build at this run's SDK internals.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        output.WriteLine($"dotnet {string.Join(' ', arguments)}: exit {process.ExitCode} after {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
    }
}
