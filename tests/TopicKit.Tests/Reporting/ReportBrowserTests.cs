using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using SkiaSharp;
using TopicKit.Reporting;

namespace TopicKit.Tests.Reporting;

/// <summary>
/// Opens a generated report in headless Debian chromium and uses it as a person would: waits for the map, searches,
/// hovers and clicks the XSS probe document, and checks the probe stayed text. One browser session, one test, so the
/// browser starts once (the whole class takes a few seconds).
/// </summary>
public sealed class ReportBrowserTests
{
    private const int Documents = 2_500;

    [Fact]
    public void ReportDrawsSearchesHoversPinsAndNeverRunsTheProbe()
    {
        using var folder = new TempFolder();
        var data = SyntheticReport.Create(Documents, 30, seed: 11, probe: true);
        var result = ReportWriter.Write(data, folder.Combine("report"));
        using var driver = HeadlessChromium.Start();
        driver.Navigate().GoToUrl(HeadlessChromium.FileUrl(Path.Combine(result.OutDirectory, "index.html")));
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
        var canvas = driver.FindElement(By.Id("map"));
        wait.Until(_ => !string.IsNullOrEmpty(canvas.GetAttribute("data-points")) && canvas.GetAttribute("data-texts") == "ready");

        Assert.Equal(Documents.ToString(CultureInfo.InvariantCulture), canvas.GetAttribute("data-points"));
        const string ExpectedTitle = "Synthetic <b>report</b> & \"probe\"";
        Assert.Equal(ExpectedTitle, driver.Title);

        // Search: a common word highlights some but not all documents; the probe's markup is found as plain text.
        var search = driver.FindElement(By.CssSelector("input[type=search]"));
        Assert.Equal("0", canvas.GetAttribute("data-highlighted"));
        search.SendKeys("quantum");
        wait.Until(_ => canvas.GetAttribute("data-highlighted") != "0");
        var quantum = int.Parse(canvas.GetAttribute("data-highlighted")!, CultureInfo.InvariantCulture);
        var expected = data.Documents.Count(d => (d.Title + "\u001f" + string.Join("; ", d.Authors) + "\u001f" + d.Abstract).Contains("quantum", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(expected, quantum);
        search.Clear();
        search.SendKeys("onerror=");
        wait.Until(_ => canvas.GetAttribute("data-highlighted") == "1");

        // Hover the probe (alone in a corner of the map): the tooltip shows its title as text.
        var probe = Documents / 2;
        var point = (IDictionary<string, object>)((IJavaScriptExecutor)driver).ExecuteScript($"return window.TopicKitReport.clientPoint({probe});")!;
        var (x, y) = (Convert.ToInt32(point["x"], CultureInfo.InvariantCulture), Convert.ToInt32(point["y"], CultureInfo.InvariantCulture));
        new Actions(driver).MoveToLocation(x, y).Perform();
        var tooltip = driver.FindElement(By.Id("tooltip"));
        wait.Until(_ => tooltip.Displayed);
        Assert.Contains(SyntheticReport.ProbeTitle, tooltip.Text, StringComparison.Ordinal);

        // Click pins it: full abstract, neighbours and its (absent) duplicate group.
        new Actions(driver).MoveToLocation(x, y).Click().Perform();
        var details = driver.FindElement(By.Id("details"));
        wait.Until(_ => details.Displayed);
        Assert.Equal($"doc-{probe}", canvas.GetAttribute("data-pinned"));
        Assert.Contains("onerror=", details.Text, StringComparison.Ordinal);
        Assert.Contains("</script><script>window.pwned=1</script>", details.Text, StringComparison.Ordinal);
        Assert.Equal(8, details.FindElements(By.CssSelector("ol li")).Count);
        Assert.Contains("Not in a near-duplicate group", details.Text, StringComparison.Ordinal);

        // The probe never ran and injected nothing.
        var js = (IJavaScriptExecutor)driver;
        Assert.Equal(ExpectedTitle, driver.Title);
        Assert.Equal(0L, js.ExecuteScript("return document.querySelectorAll('main img, main svg, main b, main script, [data-pwned]').length;"));
        Assert.Null(js.ExecuteScript("return window.pwned === undefined ? null : window.pwned;"));
        Assert.Equal(2L, js.ExecuteScript("return document.scripts.length;"));

        // A legend toggle hides a topic's points.
        driver.FindElement(By.CssSelector("#topic-list input[type=checkbox]")).Click();
        var biggest = data.Documents.GroupBy(d => d.Topic).Where(g => g.Key >= 0).OrderByDescending(g => data.Topics[g.Key].Size).ThenBy(g => g.Key).First().Count();
        wait.Until(_ => canvas.GetAttribute("data-points") == (Documents - biggest).ToString(CultureInfo.InvariantCulture));

        var errors = driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Empty(errors);

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var shot = Path.Combine(artifacts, "report-browser.png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(shot);
        using var bitmap = SKBitmap.Decode(shot);
        var (inked, colors) = ReportWriterTests.Ink(bitmap);
        Assert.True(inked > 0.05 && colors > 20, $"screenshot {shot} looks blank: {inked:P1} non-white, {colors} colours");
    }
}
