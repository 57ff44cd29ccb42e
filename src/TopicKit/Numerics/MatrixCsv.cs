using System.Globalization;

namespace TopicKit.Numerics;

/// <summary>Reads a numeric comma-separated file (one row per line, no header) into a <see cref="Matrix"/>.</summary>
/// <remarks>
/// Every line is data, with one exception: a first non-blank line whose fields are all names (each starts with a
/// letter or <c>_</c> and is not <c>nan</c>/<c>inf</c>), such as <c>label</c> or <c>x,y</c>, is skipped as a header.
/// A first line mixing numbers and other text (<c>1.0,2.O</c>) is a typo and an error, not a header, so rows never
/// shift against the input. Fields may be wrapped in
/// double quotes; <c>nan</c>, <c>inf</c> and <c>-inf</c> (any case) are accepted as Python writes them.
/// Blank lines are skipped. Every error names the file, the 1-based line and column, and the offending text.
/// </remarks>
public static class MatrixCsv
{
    /// <summary>Reads the file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="InvalidDataException">When a field is not a number, rows are ragged, or the file is empty.</exception>
    public static Matrix Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found.", path);
        }

        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads CSV text from a reader.</summary>
    /// <param name="reader">The text source.</param>
    /// <param name="name">How the source is named in error messages.</param>
    public static Matrix Read(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = new List<float>();
        var columns = -1;
        var rows = 0;
        var lineNumber = 0;
        var first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            if (first)
            {
                first = false;
                columns = fields.Length;
                if (AllNames(fields))
                {
                    continue;
                }
            }

            if (fields.Length != columns)
            {
                throw new InvalidDataException(
                    $"{name}: line {lineNumber} has {fields.Length} columns but earlier lines have {columns}; every row needs the same number of fields.");
            }

            for (var c = 0; c < fields.Length; c++)
            {
                if (!TryParse(fields[c], out var v))
                {
                    throw new InvalidDataException(
                        $"{name}: line {lineNumber}, column {c + 1}: '{fields[c].Trim()}' is not a number.");
                }

                values.Add(v);
            }

            rows++;
        }

        if (columns < 0)
        {
            throw new InvalidDataException($"{name}: the file holds no lines; expected a numeric CSV.");
        }

        return new Matrix([.. values], rows, columns);
    }

    private static bool AllNames(string[] fields)
    {
        foreach (var f in fields)
        {
            var s = f.AsSpan().Trim().Trim('"').Trim();
            if (s.Length == 0 || !(char.IsLetter(s[0]) || s[0] == '_') || TryParse(f, out _))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParse(string field, out float value)
    {
        var s = field.AsSpan().Trim();
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            s = s[1..^1].Trim();
        }

        if (s.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = float.NaN;
            return true;
        }

        if (s.Equals("inf", StringComparison.OrdinalIgnoreCase) || s.Equals("+inf", StringComparison.OrdinalIgnoreCase))
        {
            value = float.PositiveInfinity;
            return true;
        }

        if (s.Equals("-inf", StringComparison.OrdinalIgnoreCase))
        {
            value = float.NegativeInfinity;
            return true;
        }

        return float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
