using System.Collections.Frozen;

namespace TopicKit.Corpus;

/// <summary>The command tables of <see cref="LatexText"/>.</summary>
internal sealed partial class LatexText
{
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

    // Span views of the tables, so command names are looked up without allocating. They must stay below the
    // tables in this file: static initialisers run in textual order only within one file of a partial class.
    private static readonly FrozenDictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> AccentLookup = Accents.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenDictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> MathAccentLookup = MathAccents.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> LetterLookup = Letters.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SymbolLookup = Symbols.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KeepLookup = KeepArgument.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DropLookup = DropArgument.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SilentLookup = Silent.GetAlternateLookup<ReadOnlySpan<char>>();
}
