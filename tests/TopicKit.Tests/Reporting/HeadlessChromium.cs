using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace TopicKit.Tests.Reporting;

/// <summary>
/// Debian's chromium driven through Debian's chromedriver (both installed by .ci/run). Paths are given explicitly, so
/// Selenium Manager never runs (it would try to download a driver, and there is no network for that).
/// </summary>
internal static class HeadlessChromium
{
    public const string Browser = "/usr/bin/chromium";
    public const string DriverFolder = "/usr/bin";
    public const string DriverFile = "chromedriver";

    public static bool Installed => File.Exists(Browser) && File.Exists(Path.Combine(DriverFolder, DriverFile));

    public static ChromeDriver Start(int width = 1400, int height = 1000)
    {
        if (!Installed)
        {
            throw new InvalidOperationException($"{Browser} and {DriverFolder}/{DriverFile} are needed: apt-get install -y chromium chromium-driver (.ci/run does this).");
        }

        var service = ChromeDriverService.CreateDefaultService(DriverFolder, DriverFile);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            $"--window-size={width},{height}", "--allow-file-access-from-files", "--no-first-run", "--disable-extensions");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>file:// URL of a local file.</summary>
    public static string FileUrl(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;
}
