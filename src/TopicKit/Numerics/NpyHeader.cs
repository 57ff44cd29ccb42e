using System.Globalization;
using System.Text.RegularExpressions;

namespace TopicKit.Numerics;

/// <summary>The parsed Python-dict header of a .npy file, restricted to what <see cref="NpyFile"/> supports.</summary>
internal sealed partial record NpyHeader(string Descr, int ItemSize, (int Rows, int Columns) Shape, string ShapeText)
{
    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();

    public static NpyHeader Parse(string text, string name)
    {
        var descrMatch = DescrRegex().Match(text);
        if (!descrMatch.Success)
        {
            throw new InvalidDataException(
                $"{name}: unsupported dtype in .npy header {text.Trim()}; only plain float32/float64 arrays are read (structured arrays are not).");
        }

        var descr = descrMatch.Groups[1].Value;
        var itemSize = descr switch
        {
            "<f4" or "=f4" => 4,
            "<f8" or "=f8" => 8,
            ">f4" or ">f8" => throw new InvalidDataException(
                $"{name}: big-endian dtype '{descr}' is not supported; save with arr.astype('<f4').") ,
            _ => throw new InvalidDataException(
                $"{name}: unsupported dtype '{descr}'; only float32 ('<f4') and float64 ('<f8') are read. Convert with arr.astype(numpy.float32)."),
        };

        var fortran = FortranRegex().Match(text);
        if (!fortran.Success)
        {
            throw new InvalidDataException($"{name}: .npy header lacks 'fortran_order'; the file is corrupt.");
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidDataException(
                $"{name}: array is stored in Fortran (column-major) order; save it in C order with numpy.ascontiguousarray(arr).");
        }

        var shapeMatch = ShapeRegex().Match(text);
        if (!shapeMatch.Success)
        {
            throw new InvalidDataException($"{name}: .npy header lacks a 'shape' tuple; the file is corrupt.");
        }

        var parts = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var dims = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
            {
                throw new InvalidDataException($"{name}: .npy shape entry '{parts[i]}' is not a dimension that fits a matrix.");
            }
        }

        var shapeText = "(" + string.Join(", ", dims) + ")";
        var shape = dims.Length switch
        {
            1 => (dims[0], 1),
            2 => (dims[0], dims[1]),
            _ => throw new InvalidDataException(
                $"{name}: array has {dims.Length} dimensions {shapeText}; only 1-D and 2-D arrays can be read as a matrix."),
        };
        return new NpyHeader(descr, itemSize, shape, shapeText);
    }
}
