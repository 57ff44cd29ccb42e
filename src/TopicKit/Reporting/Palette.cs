namespace TopicKit.Reporting;

/// <summary>
/// Topic colours. The first colours are the Okabe–Ito and Paul Tol sets, chosen to stay distinct under the common
/// colour-vision deficiencies; the biggest topics get them. Past those no palette can keep every pair distinct, so
/// later topics reuse the hues at other lightness and the map labels carry identity.
/// </summary>
internal static class Palette
{
    /// <summary>Outlier points: light grey, so they recede behind the topics.</summary>
    public const string Outlier = "#cfcfcf";

    private static readonly string[] Base =
    [
        // Okabe–Ito without black and yellow (too light on white).
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9",
        // Paul Tol "muted".
        "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499",
    ];

    /// <summary>Per topic index, a colour: biggest topics (first in <paramref name="bySize"/>) get the base colours.</summary>
    public static string[] Assign(int[] bySize, int topics)
    {
        var colors = new string[topics];
        for (var rank = 0; rank < bySize.Length; rank++)
        {
            colors[bySize[rank]] = ColorAt(rank);
        }

        return colors;
    }

    /// <summary>The colour of the topic ranked <paramref name="rank"/> by size.</summary>
    public static string ColorAt(int rank)
    {
        var hex = Base[rank % Base.Length];
        var round = rank / Base.Length;
        if (round == 0)
        {
            return hex;
        }

        // Alternate darker and lighter shades; never so light that a point vanishes on white.
        var factor = round % 2 == 1 ? 0.65 - (0.1 * ((round - 1) / 2 % 3)) : 0.35 + (0.1 * ((round - 2) / 2 % 3));
        var (r, g, b) = Parse(hex);
        return round % 2 == 1
            ? Format(r * factor, g * factor, b * factor)
            : Format(r + ((255 - r) * factor), g + ((255 - g) * factor), b + ((255 - b) * factor));
    }

    public static (int R, int G, int B) Parse(string hex) =>
        (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));

    private static string Format(double r, double g, double b) =>
        $"#{(int)Math.Round(r):x2}{(int)Math.Round(g):x2}{(int)Math.Round(b):x2}";
}
