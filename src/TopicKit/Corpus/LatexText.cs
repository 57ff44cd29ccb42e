using System.Collections.Frozen;
using System.Text;

namespace TopicKit.Corpus;

/// <summary>
/// Turns LaTeX markup found in titles, abstracts and BibTeX fields into readable Unicode text.
/// The rules are listed on <see cref="TextNormalizer"/>; this is a small recursive-descent reader, not a TeX engine.
/// </summary>
internal sealed partial class LatexText
{
    // Nesting deeper than this is treated as literal text so hostile input cannot overflow the stack.
    private const int MaxDepth = 64;

    private readonly string _s;
    private int _i;
    private int _depth;

    private LatexText(string s) => _s = s;

    /// <summary>Cheap pre-check so plain text skips the parser.</summary>
    public static bool LooksLikeLatex(string text) => text.AsSpan().IndexOfAny("\\${}~") >= 0;

    /// <summary>Converts LaTeX markup to readable text (whitespace is not collapsed here).</summary>
    public static string ToUnicode(string text)
    {
        var parser = new LatexText(text);
        var sb = new StringBuilder(text.Length);
        parser.Parse(sb, math: false, Terminator.None);
        return sb.ToString();
    }

    private enum Terminator
    {
        None,
        Brace,
        Dollar,
        DoubleDollar,
        ParenMath,
        BracketMath,
    }

    private void Parse(StringBuilder sb, bool math, Terminator until)
    {
        _depth++;
        try
        {
            while (_i < _s.Length)
            {
                var c = _s[_i];
                switch (c)
                {
                    case '\\':
                        if (until == Terminator.ParenMath && At("\\)"))
                        {
                            _i += 2;
                            return;
                        }

                        if (until == Terminator.BracketMath && At("\\]"))
                        {
                            _i += 2;
                            return;
                        }

                        Command(sb, math);
                        break;
                    case '{':
                        _i++;
                        if (_depth >= MaxDepth)
                        {
                            sb.Append('{');
                            break;
                        }

                        Parse(sb, math, Terminator.Brace);
                        break;
                    case '}':
                        _i++;
                        if (until == Terminator.Brace)
                        {
                            return;
                        }

                        break; // A stray closing brace is dropped.
                    case '$':
                        if (until == Terminator.DoubleDollar && At("$$"))
                        {
                            _i += 2;
                            return;
                        }

                        if (until == Terminator.Dollar)
                        {
                            _i++;
                            return;
                        }

                        OpenDollarMath(sb, math);
                        break;
                    case '~':
                        _i++;
                        sb.Append(math || IsTie(_i - 1) ? ' ' : '~');
                        break;
                    case '^' or '_' when math:
                        _i++;
                        sb.Append(c);
                        sb.Append(Argument(math));
                        break;
                    default:
                        sb.Append(c);
                        _i++;
                        break;
                }
            }
        }
        finally
        {
            _depth--;
        }
    }

    // "Fig.~1", "et~al." and "Smith~\\cite" are ties; "~100" (approximately) and ".../~user" in URLs are not.
    private bool IsTie(int at) =>
        at > 0 && at + 1 < _s.Length
        && (char.IsLetterOrDigit(_s[at - 1]) || _s[at - 1] is '.' or ',' or ')' or '}' or ':')
        && (char.IsLetterOrDigit(_s[at + 1]) || _s[at + 1] is '\\' or '$' or '(' or '{');

    private void OpenDollarMath(StringBuilder sb, bool math)
    {
        var display = At("$$");
        var open = display ? 2 : 1;
        if (math || _depth >= MaxDepth || !HasClosingDollar(_i + open, display))
        {
            sb.Append('$');
            _i++;
            return;
        }

        _i += open;
        Parse(sb, math: true, display ? Terminator.DoubleDollar : Terminator.Dollar);
    }

    private bool HasClosingDollar(int from, bool display)
    {
        for (var j = from; j < _s.Length; j++)
        {
            if (_s[j] == '\\')
            {
                j++;
                continue;
            }

            if (_s[j] == '$')
            {
                return !display || (j + 1 < _s.Length && _s[j + 1] == '$');
            }
        }

        return false;
    }

    private void Command(StringBuilder sb, bool math)
    {
        _i++; // backslash
        if (_i >= _s.Length)
        {
            sb.Append('\\');
            return;
        }

        if (!char.IsAsciiLetter(_s[_i]))
        {
            var symbolChar = _s[_i];
            _i++;
            SymbolCommand(sb, symbolChar, math);
            return;
        }

        var start = _i;
        while (_i < _s.Length && char.IsAsciiLetter(_s[_i]))
        {
            _i++;
        }

        // Span lookups: no string is allocated per command name.
        var name = _s.AsSpan(start, _i - start);
        if (name.Length == 1 && AccentLookup.TryGetValue(name, out var combining))
        {
            AppendAccented(sb, Argument(math), combining);
            return;
        }

        if (LetterLookup.TryGetValue(name, out var letter))
        {
            sb.Append(letter);
            SkipEmptyGroupOrSpace();
            return;
        }

        if (math && MathAccentLookup.TryGetValue(name, out var mathAccent))
        {
            AppendAccented(sb, Argument(math), mathAccent);
            return;
        }

        switch (name)
        {
            case "frac" or "dfrac" or "tfrac":
                var num = Argument(math);
                var den = Argument(math);
                sb.Append(Wrap(num)).Append('/').Append(Wrap(den));
                return;
            case "sqrt":
                var index = OptionalBracket();
                sb.Append(index is null ? "√" : index + "√").Append(Wrap(Argument(math)));
                return;
            case "mathbb" or "mathds" or "mathbbm":
                var arg = Argument(math);
                sb.Append(arg.Length == 1 && Blackboard.TryGetValue(arg[0], out var bb) ? bb : arg);
                return;
            case "href":
                _ = Argument(math);
                AppendArgument(sb, math);
                return;
        }

        if (KeepLookup.Contains(name))
        {
            AppendArgument(sb, math || name.StartsWith("math"));
            return;
        }

        if (DropLookup.Contains(name))
        {
            _ = OptionalBracket();
            _ = Argument(math);
            return;
        }

        if (SilentLookup.Contains(name))
        {
            return;
        }

        if (SymbolLookup.TryGetValue(name, out var symbol))
        {
            sb.Append(symbol);
            return;
        }

        // Unknown command: keep what a reader would recognise, its argument if it has one, else its name.
        if (_i < _s.Length && _s[_i] == '{')
        {
            AppendArgument(sb, math);
        }
        else
        {
            sb.Append(name);
        }
    }

    private void SymbolCommand(StringBuilder sb, char c, bool math)
    {
        switch (c)
        {
            case '%' or '&' or '$' or '#' or '_' or '{' or '}':
                sb.Append(c);
                break;
            case '\\' or ',' or ';' or ':' or ' ' or '>' or '\n' or '\r' or '\t':
                sb.Append(' ');
                break;
            case '!' or '-' or '@' or '/':
                break;
            case '(':
                if (math || _depth >= MaxDepth)
                {
                    sb.Append('(');
                }
                else
                {
                    Parse(sb, math: true, Terminator.ParenMath);
                }

                break;
            case '[':
                if (math || _depth >= MaxDepth)
                {
                    sb.Append('[');
                }
                else
                {
                    Parse(sb, math: true, Terminator.BracketMath);
                }

                break;
            case '|':
                sb.Append('‖');
                break;
            default:
                if (AccentLookup.TryGetValue(new ReadOnlySpan<char>(in c), out var combining))
                {
                    AppendAccented(sb, Argument(math), combining);
                }
                else
                {
                    sb.Append(c);
                }

                break;
        }
    }

    private string Argument(bool math)
    {
        var sb = new StringBuilder();
        AppendArgument(sb, math);
        return sb.ToString();
    }

    /// <summary>Reads one macro argument (a braced group, a control sequence or a single character) into <paramref name="sb"/>.</summary>
    private void AppendArgument(StringBuilder sb, bool math)
    {
        while (_i < _s.Length && _s[_i] is ' ' or '\t')
        {
            _i++;
        }

        if (_i >= _s.Length)
        {
            return;
        }

        if (_s[_i] == '{')
        {
            _i++;
            if (_depth >= MaxDepth)
            {
                sb.Append('{');
                return;
            }

            Parse(sb, math, Terminator.Brace);
        }
        else if (_s[_i] == '\\')
        {
            Command(sb, math);
        }
        else if (_s[_i] is '}' or '$')
        {
            return;
        }
        else
        {
            // A single character, or a full surrogate pair.
            var len = char.IsHighSurrogate(_s[_i]) && _i + 1 < _s.Length ? 2 : 1;
            sb.Append(_s, _i, len);
            _i += len;
        }
    }

    private string? OptionalBracket()
    {
        if (_i >= _s.Length || _s[_i] != '[')
        {
            return null;
        }

        var end = _s.IndexOf(']', _i);
        if (end < 0)
        {
            return null;
        }

        var inner = _s[(_i + 1)..end];
        _i = end + 1;
        return inner;
    }

    private void SkipEmptyGroupOrSpace()
    {
        if (At("{}"))
        {
            _i += 2;
        }
        else if (_i < _s.Length && _s[_i] == ' ' && _i + 1 < _s.Length && char.IsLetter(_s[_i + 1]))
        {
            // TeX swallows the space after a control word: "Stra\ss e" is "Straße".
            _i++;
        }
    }

    private static void AppendAccented(StringBuilder sb, string arg, char combining)
    {
        if (arg.Length == 0)
        {
            sb.Append(combining);
            return;
        }

        var first = char.IsHighSurrogate(arg[0]) && arg.Length > 1 ? 2 : 1;
        // {\'\i} is how BibTeX spells í: accents go on a plain i/j, not on the dotless forms.
        if (arg[0] is 'ı' or 'ȷ')
        {
            sb.Append(arg[0] == 'ı' ? 'i' : 'j');
        }
        else
        {
            sb.Append(arg, 0, first);
        }

        sb.Append(combining).Append(arg, first, arg.Length - first);
    }

    private static string Wrap(string s)
    {
        foreach (var ch in s)
        {
            if (!char.IsLetterOrDigit(ch) && ch != '.')
            {
                return "(" + s + ")";
            }
        }

        return s;
    }

    private bool At(string token) => string.CompareOrdinal(_s, _i, token, 0, token.Length) == 0;
}
