// MSBuild inline task (RoslynCodeTaskFactory, compiled against netstandard2.0) used by OnnxRuntime.targets.
// Fetches one ONNX Runtime library out of the onnxruntime-node npm tarball into the cache, race-free.
using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class TopicKitFetchOnnxRuntime : Task
{
    [Required] public string Package { get; set; }
    [Required] public string Tarball { get; set; }
    [Required] public string Entry { get; set; }
    [Required] public string Sha256 { get; set; }
    [Required] public string Destination { get; set; }

    public override bool Execute()
    {
        var destination = Path.GetFullPath(Destination);
        if (HashMatches(destination))
        {
            // Valid copy already cached (e.g. by a concurrent build): refresh its time stamp for Inputs/Outputs.
            File.SetLastWriteTimeUtc(destination, DateTime.UtcNow);
            return true;
        }

        var folder = Path.GetDirectoryName(destination);
        Directory.CreateDirectory(folder);
        // The temporary folder sits inside the cache so the final rename stays on one file system (atomic).
        var temp = Path.Combine(folder, ".tmp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            Log.LogMessage(MessageImportance.High, "TopicKit: fetching ONNX Runtime ({0}) into {1}", Package, folder);
            var windows = Path.DirectorySeparatorChar == '\\';
            string npmOutput;
            int code = windows
                ? Run("cmd.exe", "/d /s /c \"npm pack " + Package + " --silent\"", temp, out npmOutput)
                : Run("npm", "pack " + Package + " --silent", temp, out npmOutput);
            var tarball = Path.Combine(temp, Tarball);
            if (code != 0 || !File.Exists(tarball))
            {
                Log.LogError(
                    "TopicKit: 'npm pack {0}' failed (exit code {1}): {2}. Install Node.js/npm and rebuild, or set " +
                    "TOPICKIT_ORT_LIBRARY to an ONNX Runtime 1.30 library (or place it at {3}).",
                    Package, code, npmOutput.Trim(), destination);
                return false;
            }

            string tarOutput;
            code = Run("tar", "-xzf \"" + tarball + "\" -C \"" + temp + "\" \"" + Entry + "\"", temp, out tarOutput);
            var extracted = Path.Combine(temp, Entry.Replace('/', Path.DirectorySeparatorChar));
            if (code != 0 || !File.Exists(extracted))
            {
                Log.LogError("TopicKit: could not extract {0} from {1} with tar (exit code {2}): {3}",
                    Entry, Tarball, code, tarOutput.Trim());
                return false;
            }

            var actual = HashOf(extracted);
            if (!string.Equals(actual, Sha256, StringComparison.OrdinalIgnoreCase))
            {
                Log.LogError("TopicKit: SHA-256 of {0} from {1} is {2}, expected {3}; refusing to use it.",
                    Entry, Package, actual, Sha256);
                return false;
            }

            // tar restores the archive's 1985 time stamp; a fresh one keeps the Inputs/Outputs check quiet.
            File.SetLastWriteTimeUtc(extracted, DateTime.UtcNow);
            MoveIntoPlace(extracted, destination);
            return !Log.HasLoggedErrors;
        }
        finally
        {
            try { Directory.Delete(temp, true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private void MoveIntoPlace(string source, string destination)
    {
        if (File.Exists(destination) && !HashMatches(destination))
        {
            // A corrupt or foreign file: replace it.
            File.Delete(destination);
        }

        try
        {
            // Fails if the destination exists, so a concurrent build that won the race is never clobbered.
            File.Move(source, destination);
        }
        catch (IOException)
        {
            if (!HashMatches(destination))
            {
                throw;
            }
        }
    }

    private bool HashMatches(string path)
    {
        return File.Exists(path) && string.Equals(HashOf(path), Sha256, StringComparison.OrdinalIgnoreCase);
    }

    private static string HashOf(string path)
    {
        using (var sha = SHA256.Create())
        using (var stream = File.OpenRead(path))
        {
            return BitConverter.ToString(sha.ComputeHash(stream)).Replace("-", string.Empty);
        }
    }

    private static int Run(string file, string arguments, string workingDirectory, out string output)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        try
        {
            using (var process = Process.Start(info))
            {
                var stderr = process.StandardError.ReadToEndAsync();
                var stdout = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                output = stdout + stderr.Result;
                return process.ExitCode;
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = "could not start '" + file + "': " + e.Message;
            return -1;
        }
    }
}
