using System.Collections.Frozen;
using System.Text;

namespace TopicKit.Corpus;

/// <summary>
/// Turns LaTeX markup found in titles, abstracts and BibTeX fields into readable Unicode text.
/// The rules are listed on <see cref="TextNormalizer"/>; this is a small recursive-descent reader, not a TeX engine.
/// </summary>
internal sealed class LatexText
{
    // Nesting deeper than this is treated as literal text so hostile input cannot overflow the stack.
    private const int MaxDepth = 64;

    private static readonly FrozenDictionary<string, char> Accents = new Dictionary<string, char>
    {
        ["'"] = '\u0301', ["`"] = '\u0300', ["^"] = '\u0302', ["\""] = '\u0308', ["~"] = '\u0303',
        ["="] = '\u0304', ["."] = '\u0307', ["u"] = '\u0306', ["v"] = '\u030C', ["H"] = '\u030B',
        ["c"] = '\u0327', ["k"] = '\u0328', ["r"] = '\u030A', ["d"] = '\u0323', ["b"] = '\u0331',
        ["t"] = '\u0361',
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, char> MathAccents = new Dictionary<string, char>
    {
        ["hat"] = '\u0302', ["widehat"] = '\u0302', ["bar"] = '\u0304', ["overline"] = '\u0305',
        ["tilde"] = '\u0303', ["widetilde"] = '\u0303', ["vec"] = '\u20D7', ["dot"] = '\u0307',
        ["ddot"] = '\u0308', ["acute"] = '\u0301', ["grave"] = '\u0300', ["check"] = '\u030C', ["breve"] = '\u0306',
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Letters = new Dictionary<string, string>
    {
        ["ss"] = "ß", ["o"] = "ø", ["O"] = "Ø", ["ae"] = "æ", ["AE"] = "Æ", ["oe"] = "œ", ["OE"] = "Œ",
        ["aa"] = "å", ["AA"] = "Å", ["l"] = "ł", ["L"] = "Ł", ["i"] = "ı", ["j"] = "ȷ", ["dh"] = "ð", ["DH"] = "Ð",
        ["th"] = "þ", ["TH"] = "Þ", ["ng"] = "ŋ", ["NG"] = "Ŋ",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Symbols = new Dictionary<string, string>
    {
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["varepsilon"] = "ε",
        ["zeta"] = "ζ", ["eta"] = "η", ["theta"] = "θ", ["vartheta"] = "ϑ", ["iota"] = "ι", ["kappa"] = "κ",
        ["lambda"] = "λ", ["mu"] = "μ", ["nu"] = "ν", ["xi"] = "ξ", ["pi"] = "π", ["varpi"] = "ϖ", ["rho"] = "ρ",
        ["varrho"] = "ϱ", ["sigma"] = "σ", ["varsigma"] = "ς", ["tau"] = "τ", ["upsilon"] = "υ", ["phi"] = "φ",
        ["varphi"] = "φ", ["chi"] = "χ", ["psi"] = "ψ", ["omega"] = "ω", ["Gamma"] = "Γ", ["Delta"] = "Δ",
        ["Theta"] = "Θ", ["Lambda"] = "Λ", ["Xi"] = "Ξ", ["Pi"] = "Π", ["Sigma"] = "Σ", ["Upsilon"] = "Υ",
        ["Phi"] = "Φ", ["Psi"] = "Ψ", ["Omega"] = "Ω",
        ["leq"] = "≤", ["le"] = "≤", ["geq"] = "≥", ["ge"] = "≥", ["neq"] = "≠", ["ne"] = "≠", ["approx"] = "≈",
        ["sim"] = "∼", ["simeq"] = "≃", ["cong"] = "≅", ["equiv"] = "≡", ["propto"] = "∝", ["ll"] = "≪", ["gg"] = "≫",
        ["lesssim"] = "≲", ["gtrsim"] = "≳", ["times"] = "×", ["cdot"] = "·", ["pm"] = "±", ["mp"] = "∓",
        ["div"] = "÷", ["ast"] = "∗", ["star"] = "⋆", ["circ"] = "∘", ["bullet"] = "•", ["oplus"] = "⊕",
        ["otimes"] = "⊗", ["infty"] = "∞", ["partial"] = "∂", ["nabla"] = "∇", ["sum"] = "∑", ["prod"] = "∏",
        ["int"] = "∫", ["oint"] = "∮", ["in"] = "∈", ["notin"] = "∉", ["ni"] = "∋", ["subset"] = "⊂",
        ["subseteq"] = "⊆", ["supset"] = "⊃", ["supseteq"] = "⊇", ["cup"] = "∪", ["cap"] = "∩", ["setminus"] = "∖",
        ["emptyset"] = "∅", ["varnothing"] = "∅", ["forall"] = "∀", ["exists"] = "∃", ["neg"] = "¬", ["lnot"] = "¬",
        ["wedge"] = "∧", ["land"] = "∧", ["vee"] = "∨", ["lor"] = "∨", ["to"] = "→", ["rightarrow"] = "→",
        ["leftarrow"] = "←", ["gets"] = "←", ["Rightarrow"] = "⇒", ["Leftarrow"] = "⇐", ["implies"] = "⇒",
        ["leftrightarrow"] = "↔", ["Leftrightarrow"] = "⇔", ["iff"] = "⇔", ["mapsto"] = "↦", ["uparrow"] = "↑",
        ["downarrow"] = "↓", ["ell"] = "ℓ", ["hbar"] = "ℏ", ["Re"] = "ℜ", ["Im"] = "ℑ", ["aleph"] = "ℵ",
        ["langle"] = "⟨", ["rangle"] = "⟩", ["lfloor"] = "⌊", ["rfloor"] = "⌋", ["lceil"] = "⌈", ["rceil"] = "⌉",
        ["mid"] = "|", ["vert"] = "|", ["Vert"] = "‖", ["|"] = "‖", ["perp"] = "⊥", ["parallel"] = "∥", ["angle"] = "∠",
        ["prime"] = "′", ["dagger"] = "†", ["ddagger"] = "‡", ["S"] = "§", ["P"] = "¶", ["copyright"] = "©",
        ["ldots"] = "…", ["dots"] = "…", ["cdots"] = "⋯", ["vdots"] = "⋮", ["ddots"] = "⋱", ["textellipsis"] = "…",
        ["textendash"] = "–", ["textemdash"] = "—", ["textdegree"] = "°", ["degree"] = "°", ["circledR"] = "®",
        ["textregistered"] = "®", ["texttrademark"] = "™", ["euro"] = "€", ["pounds"] = "£", ["textbackslash"] = "\\",
        ["textasciitilde"] = "~", ["textasciicircum"] = "^", ["textless"] = "<", ["textgreater"] = ">",
        ["textbar"] = "|", ["textunderscore"] = "_", ["quad"] = " ", ["qquad"] = " ", ["lbrace"] = "{", ["rbrace"] = "}",
        ["backslash"] = "\\", ["colon"] = ":", ["top"] = "⊤", ["bot"] = "⊥", ["triangle"] = "△", ["square"] = "□",
        ["checkmark"] = "✓", ["sharp"] = "♯", ["flat"] = "♭", ["natural"] = "♮", ["deg"] = "deg",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<char, string> Blackboard = new Dictionary<char, string>
    {
        ['R'] = "ℝ", ['N'] = "ℕ", ['Z'] = "ℤ", ['Q'] = "ℚ", ['C'] = "ℂ", ['P'] = "ℙ", ['E'] = "𝔼", ['H'] = "ℍ",
    }.ToFrozenDictionary();

    // Commands whose single argument is the visible text.
    private static readonly FrozenSet<string> KeepArgument = new[]
    {
        "textbf", "textit", "emph", "texttt", "textsc", "textrm", "textsf", "textsl", "textup", "textmd", "textnormal",
        "mathrm", "mathbf", "mathit", "mathcal", "mathsf", "mathtt", "mathfrak", "mathscr", "boldsymbol", "bm",
        "operatorname", "text", "mbox", "hbox", "underline", "uline", "url", "textsuperscript", "textsubscript",
        "ensuremath", "mathnormal", "fbox", "footnote", "uppercase", "lowercase", "MakeUppercase", "MakeLowercase",
        "protect", "mathop", "mathbin", "mathrel",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Commands whose argument is metadata that a reader never sees.
    private static readonly FrozenSet<string> DropArgument = new[]
    {
        "cite", "citep", "citet", "citealp", "citeauthor", "citeyear", "ref", "eqref", "autoref", "cref", "Cref",
        "label", "pageref", "vspace", "hspace", "phantom", "hphantom", "vphantom", "nocite", "index",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Commands that produce nothing (sizes, spacing, delimiters' size hints, font switches).
    private static readonly FrozenSet<string> Silent = new[]
    {
        "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl",
        "Biggr", "middle", "limits", "nolimits", "bf", "it", "rm", "sf", "tt", "sc", "em", "sl", "small", "large",
        "Large", "LARGE", "huge", "Huge", "tiny", "scriptsize", "footnotesize", "normalsize", "noindent", "centering",
        "relax", "nobreak", "newline", "linebreak", "par", "xspace", "mathstrut", "strut", "displaystyle",
        "textstyle", "scriptstyle", "scriptscriptstyle", "allowbreak", "hfill", "vfill", "smallskip", "medskip",
        "bigskip",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> AccentLookup = Accents.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenDictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> MathAccentLookup = MathAccents.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> LetterLookup = Letters.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SymbolLookup = Symbols.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KeepLookup = KeepArgument.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DropLookup = DropArgument.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SilentLookup = Silent.GetAlternateLookup<ReadOnlySpan<char>>();

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
                        var tie = math || (_i >= 2 && _i < _s.Length && !char.IsWhiteSpace(_s[_i - 2]) && !char.IsWhiteSpace(_s[_i]));
                        sb.Append(tie ? ' ' : '~');
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
        sb.Append(arg, 0, first).Append(combining).Append(arg, first, arg.Length - first);
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
