using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using SkiaSharp;
using TopicKit.Pipeline;
using TopicKit.Reporting;
using TopicKit.Tests.Pipeline;

namespace TopicKit.Tests.Reporting;

/// <summary>
/// Opens a generated report in headless Debian chromium and uses it as a person would: waits for the map, searches,
/// hovers and clicks the XSS probe document, and checks the probe stayed text. One browser session, one test, so the
/// browser starts once (the whole class takes a few seconds).
/// </summary>
public sealed class ReportBrowserTests(RunWorkspaceFixture fixture) : IClassFixture<RunWorkspaceFixture>
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
        Assert.Equal(3L, js.ExecuteScript("return document.scripts.length;"));

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

    /// <summary>
    /// The report <c>topickit run</c> writes (seed pages plus the XSS probe), then the one <c>topickit report --run N</c>
    /// writes of the same run: both draw every document, search, hover, pin, never run the probe and log no error.
    /// </summary>
    [Fact]
    public void RunAndReportOutputWorkInTheBrowserAndNeverRunTheProbe()
    {
        using var driver = HeadlessChromium.Start();
        CheckRealReport(driver, Path.Combine(fixture.Out, "index.html"), "run");
        var again = ReportJob.Run(new ReportRequest(fixture.Workspace, fixture.Combine("browser-report")) { Run = fixture.Result.Run.Id });
        CheckRealReport(driver, Path.Combine(again.Report.OutDirectory, "index.html"), "report");
    }

    private void CheckRealReport(OpenQA.Selenium.Chrome.ChromeDriver driver, string index, string name)
    {
        driver.Navigate().GoToUrl(HeadlessChromium.FileUrl(index));
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
        var js = (IJavaScriptExecutor)driver;
        var canvas = driver.FindElement(By.Id("map"));
        wait.Until(_ => !string.IsNullOrEmpty(canvas.GetAttribute("data-points")) && canvas.GetAttribute("data-texts") == "ready");
        Assert.Equal(fixture.Documents.ToString(CultureInfo.InvariantCulture), canvas.GetAttribute("data-points"));
        var title = driver.Title;
        Assert.DoesNotContain("pwned", title, StringComparison.Ordinal);

        // Search: a word of the probe's abstract highlights it (and not every document); clearing resets the count.
        var search = driver.FindElement(By.CssSelector("input[type=search]"));
        Assert.Equal("0", canvas.GetAttribute("data-highlighted"));
        search.SendKeys("probes");
        wait.Until(_ => canvas.GetAttribute("data-highlighted") != "0");
        Assert.InRange(int.Parse(canvas.GetAttribute("data-highlighted")!, CultureInfo.InvariantCulture), 1, fixture.Documents - 1);
        search.Clear();
        search.SendKeys(" ");
        wait.Until(_ => canvas.GetAttribute("data-highlighted") == "0");

        // Hover the probe when no other point is within 6 px of it, else the most isolated document: its tooltip shows.
        var points = ((IReadOnlyCollection<object>)js.ExecuteScript(
            "const r = []; for (let i = 0; i < window.TopicKitReport.count; i++) { const p = window.TopicKitReport.clientPoint(i); r.push([p.x, p.y]); } return r;")!)
            .Select(o => ((IReadOnlyCollection<object>)o).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        double Isolation(int i) => Enumerable.Range(0, points.Length).Where(j => j != i)
            .Min(j => Math.Sqrt(Math.Pow(points[i][0] - points[j][0], 2) + Math.Pow(points[i][1] - points[j][1], 2)));
        var ids = fixture.Result.Model.Ids!;
        var probe = Array.IndexOf([.. ids], RunWorkspaceFixture.ProbeId);
        var (width, height) = (Convert.ToDouble(js.ExecuteScript("return window.innerWidth;"), CultureInfo.InvariantCulture),
            Convert.ToDouble(js.ExecuteScript("return window.innerHeight;"), CultureInfo.InvariantCulture));
        bool Visible(int i) => points[i][0] > 2 && points[i][1] > 2 && points[i][0] < width - 2 && points[i][1] < height - 2;
        var target = Visible(probe) && Isolation(probe) >= 6 ? probe : Enumerable.Range(0, points.Length).Where(Visible).MaxBy(Isolation);
        var (x, y) = ((int)Math.Round(points[target][0]), (int)Math.Round(points[target][1]));
        new Actions(driver).MoveToLocation(x, y).Perform();
        var tooltip = driver.FindElement(By.Id("tooltip"));
        wait.Until(_ => tooltip.Displayed);
        Assert.False(string.IsNullOrWhiteSpace(tooltip.Text));

        // Click pins the details of that document.
        new Actions(driver).MoveToLocation(x, y).Click().Perform();
        var details = driver.FindElement(By.Id("details"));
        wait.Until(_ => details.Displayed);
        Assert.Equal(ids[target], canvas.GetAttribute("data-pinned"));
        if (target == probe)
        {
            Assert.Contains("onerror=", tooltip.Text + details.Text, StringComparison.Ordinal);
            Assert.Contains("<script>", details.Text, StringComparison.Ordinal);
        }

        // The probe never ran: title unchanged, no flag set, nothing injected.
        Assert.Equal(title, driver.Title);
        Assert.Null(js.ExecuteScript("return window.__xss === undefined ? null : window.__xss;"));
        Assert.Equal(0L, js.ExecuteScript("return document.querySelectorAll('main img, main b, main script, [data-pwned], img[src=x]').length;"));
        Assert.Equal(3L, js.ExecuteScript("return document.scripts.length;"));

        var errors = driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Empty(errors);

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var shot = Path.Combine(artifacts, $"report-browser-{name}.png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(shot);
        using var bitmap = SKBitmap.Decode(shot);
        var (inked, colors) = ReportWriterTests.Ink(bitmap);
        Assert.True(inked > 0.05 && colors > 20, $"screenshot {shot} looks blank: {inked:P1} non-white, {colors} colours");
    }
}
