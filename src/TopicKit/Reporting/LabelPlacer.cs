namespace TopicKit.Reporting;

/// <summary>An axis-aligned box in figure pixels (y down).</summary>
internal readonly record struct LabelBox(double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;

    public double Bottom => Top + Height;

    public bool Overlaps(LabelBox other, double gap) =>
        Left < other.Right + gap && other.Left < Right + gap && Top < other.Bottom + gap && other.Top < Bottom + gap;

    public bool Inside(LabelBox bounds) =>
        Left >= bounds.Left && Top >= bounds.Top && Right <= bounds.Right && Bottom <= bounds.Bottom;

    /// <summary>The point of the box nearest to (x, y): where a leader line from there meets the box.</summary>
    public (double X, double Y) Nearest(double x, double y) =>
        (Math.Clamp(x, Left, Right), Math.Clamp(y, Top, Bottom));
}

/// <summary>A label to place: its anchor (the cluster centre) and its text box size, in pixels.</summary>
internal readonly record struct LabelRequest(double AnchorX, double AnchorY, double Width, double Height);

/// <summary>Where a label went; <see cref="Leader"/> when it sits away from its anchor and needs a leader line.</summary>
internal readonly record struct PlacedLabel(LabelBox Box, bool Leader);

/// <summary>
/// Greedy label placement in priority order (callers pass the biggest topics first). A label first tries its anchor
/// and rings around it; failing that it goes to the nearest free slot on the rim of the figure, with a leader line.
/// Every placed box lies inside the bounds and overlaps no other placed box; a label that finds no room is left out
/// (null), never drawn on top of another.
/// </summary>
internal static class LabelPlacer
{
    private const int Angles = 16;
    private const int Rings = 6;
    private const int RimBands = 3;

    /// <param name="labels">Labels, most important first.</param>
    /// <param name="bounds">The figure area labels must stay inside.</param>
    /// <param name="rimInset">Distance of rim labels from the bounds; 0 disables the rim.</param>
    /// <param name="gap">Minimum free space between two boxes.</param>
    /// <param name="allowRim">When false only near placement is tried.</param>
    public static PlacedLabel?[] Place(IReadOnlyList<LabelRequest> labels, LabelBox bounds, double rimInset, double gap, bool allowRim)
    {
        var result = new PlacedLabel?[labels.Count];
        var placed = new List<LabelBox>(labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            var request = labels[i];
            if (TryNear(request, bounds, placed, gap, out var box))
            {
                // A label pushed off its anchor gets a leader line too, so it is never mistaken for a neighbour's.
                var (nx, ny) = box.Nearest(request.AnchorX, request.AnchorY);
                var far = Math.Abs(nx - request.AnchorX) + Math.Abs(ny - request.AnchorY) > request.Height;
                result[i] = new PlacedLabel(box, Leader: far);
            }
            else if (allowRim && TryRim(request, bounds, rimInset, placed, gap, out box))
            {
                result[i] = new PlacedLabel(box, Leader: true);
            }
            else
            {
                continue;
            }

            placed.Add(result[i]!.Value.Box);
        }

        return result;
    }

    private static bool TryNear(LabelRequest r, LabelBox bounds, List<LabelBox> placed, double gap, out LabelBox box)
    {
        var step = Math.Max(r.Height * 0.75, 4);
        for (var ring = 0; ring <= Rings; ring++)
        {
            var radius = ring * step;
            var angles = ring == 0 ? 1 : Angles;
            for (var a = 0; a < angles; a++)
            {
                // Start below-right of the anchor and alternate sides so labels spread rather than stack one way.
                var angle = (Math.PI * 2 * a / angles) + (ring * 0.4);
                var cx = r.AnchorX + (radius * Math.Cos(angle) * 1.6);
                var cy = r.AnchorY + (radius * Math.Sin(angle));
                box = new LabelBox(cx - (r.Width / 2), cy - (r.Height / 2), r.Width, r.Height);
                if (box.Inside(bounds) && IsFree(box, placed, gap))
                {
                    return true;
                }
            }
        }

        box = default;
        return false;
    }

    private static bool TryRim(LabelRequest r, LabelBox bounds, double inset, List<LabelBox> placed, double gap, out LabelBox box)
    {
        var best = double.PositiveInfinity;
        var chosen = default(LabelBox);
        box = default;
        var slot = r.Height + gap;
        var left = bounds.Left + inset;
        var right = bounds.Right - inset - r.Width;
        var top = bounds.Top + inset;
        var bottom = bounds.Bottom - inset - r.Height;
        if (right < left || bottom < top)
        {
            return false;
        }

        // Columns down the left and right edges, rows along the top and bottom: among the free slots of the outermost
        // band the one nearest the anchor wins, so leader lines stay short; inner bands are used only when it is full.
        for (var depth = 0; depth < RimBands && double.IsPositiveInfinity(best); depth++)
        {
            var dx = depth * (r.Width + (4 * gap));
            var dy = depth * (r.Height + gap);
            for (var y = top + dy; y <= bottom - dy; y += slot)
            {
                Consider(new LabelBox(left + dx, y, r.Width, r.Height));
                Consider(new LabelBox(right - dx, y, r.Width, r.Height));
            }

            for (var x = left + dx; x <= right - dx; x += 6)
            {
                Consider(new LabelBox(x, top + dy, r.Width, r.Height));
                Consider(new LabelBox(x, bottom - dy, r.Width, r.Height));
            }
        }

        box = chosen;
        return !double.IsPositiveInfinity(best);

        void Consider(LabelBox candidate)
        {
            var (nx, ny) = candidate.Nearest(r.AnchorX, r.AnchorY);
            var distance = ((nx - r.AnchorX) * (nx - r.AnchorX)) + ((ny - r.AnchorY) * (ny - r.AnchorY));
            if (distance < best && candidate.Inside(bounds) && IsFree(candidate, placed, gap))
            {
                best = distance;
                chosen = candidate;
            }
        }
    }

    private static bool IsFree(LabelBox box, List<LabelBox> placed, double gap)
    {
        foreach (var other in placed)
        {
            if (box.Overlaps(other, gap))
            {
                return false;
            }
        }

        return true;
    }
}
