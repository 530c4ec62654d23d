using System.Text;

namespace Switchboard.Routing.Templates;

/// <summary>
/// Reads an ASP.NET Core-style route template into segments of literals and parameters, and checks the rules
/// that make a template well formed. Every failure is an <see cref="ArgumentException"/> that names the template.
/// </summary>
internal static class RouteTemplateParser
{
    private const string NameForbidden = "{}/*()";

    public static ParsedTemplate Parse(string template)
    {
        // ASP.NET Core templates are often written from the root ("/ws/chat/{room}/"); the path we match never
        // starts with '/', so one leading '/' (or "~/") is ignored.
        var text = template.StartsWith("~/", StringComparison.Ordinal) ? template[2..]
            : template.StartsWith('/') ? template[1..]
            : template;

        var segments = new List<IReadOnlyList<TemplatePart>>();
        var current = new List<TemplatePart>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '/')
            {
                FlushLiteral();
                if (current.Count == 0)
                    throw Fail("it has an empty segment: '/' cannot appear twice in a row.");
                segments.Add(current);
                current = [];
                i++;
            }
            else if (c == '{' && At(i + 1) == '{')
            {
                literal.Append('{');
                i += 2;
            }
            else if (c == '{')
            {
                FlushLiteral();
                var (inner, end) = ReadParameterText(text, i, Fail);
                if (current.Count > 0 && current[^1].Parameter is { } previous)
                    throw Fail($"the parameters '{previous.Name}' and '{{{inner}}}' must be separated by '/' or by literal text.");
                current.Add(TemplatePart.Of(ParseParameter(template, inner)));
                i = end;
            }
            else if (c == '}' && At(i + 1) == '}')
            {
                literal.Append('}');
                i += 2;
            }
            else if (c == '}')
            {
                throw Fail($"the '}}' at position {i} has no matching '{{' (write '}}}}' for a literal '}}').");
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }

        FlushLiteral();
        var trailingSlash = text.Length > 0 && current.Count == 0;
        if (current.Count > 0)
            segments.Add(current);

        var parsed = new ParsedTemplate(segments, trailingSlash);
        Validate(template, parsed);
        return parsed;

        char At(int index) => index < text.Length ? text[index] : '\0';

        void FlushLiteral()
        {
            if (literal.Length == 0)
                return;
            current.Add(TemplatePart.Text(literal.ToString()));
            literal.Clear();
        }

        ArgumentException Fail(string detail) => TemplateErrors.Invalid(template, detail);
    }

    /// <summary>The text between a '{' at <paramref name="open"/> and its '}', with '{{' and '}}' unescaped, and the index after the '}'.</summary>
    private static (string Inner, int End) ReadParameterText(string text, int open, Func<string, ArgumentException> fail)
    {
        var inner = new StringBuilder();
        var i = open + 1;
        while (i < text.Length)
        {
            var c = text[i];
            var doubled = i + 1 < text.Length && text[i + 1] == c;
            if (c == '}' && !doubled)
                return (inner.ToString(), i + 1);
            if (c == '{' && !doubled)
                throw fail($"the parameter starting at position {open} contains a '{{' (write '{{{{' for a literal '{{').");
            inner.Append(c);
            i += c is '{' or '}' ? 2 : 1;
        }

        throw fail($"the parameter starting at position {open} has no closing '}}'.");
    }

    /// <summary>Parses <c>[*|**]name[:constraint[(args)]]...[?|=default]</c>.</summary>
    private static TemplateParameter ParseParameter(string template, string inner)
    {
        var p = 0;
        var isCatchAll = false;
        if (inner.StartsWith('*'))
        {
            isCatchAll = true;
            p = inner.StartsWith("**", StringComparison.Ordinal) ? 2 : 1;
        }

        var nameStart = p;
        while (p < inner.Length && inner[p] is not (':' or '=' or '?'))
            p++;
        var name = inner[nameStart..p];
        if (name.Length == 0)
            throw Fail($"the parameter '{{{inner}}}' has an empty name.");
        if (name.FirstOrDefault(c => NameForbidden.Contains(c, StringComparison.Ordinal) || char.IsWhiteSpace(c)) is var bad and not '\0')
            throw Fail($"the parameter name '{name}' contains '{bad}'; names cannot contain white space or any of {{ }} / * ( ).");

        var constraints = new List<RouteConstraint>();
        while (p < inner.Length && inner[p] == ':')
        {
            var start = ++p;
            while (p < inner.Length && inner[p] is not (':' or '=' or '?' or '('))
                p++;
            var constraintName = inner[start..p];
            if (constraintName.Length == 0)
                throw Fail($"the parameter '{name}' has an empty constraint (a ':' with no name after it).");
            string? args = null;
            if (p < inner.Length && inner[p] == '(')
            {
                var close = ClosingParenthesis(inner, p);
                if (close < 0)
                    throw Fail($"the constraint '{constraintName}' of parameter '{name}' has no closing ')'.");
                args = inner[(p + 1)..close];
                p = close + 1;
                if (p < inner.Length && inner[p] is not (':' or '=' or '?'))
                    throw Fail($"the constraint '{constraintName}({args})' of parameter '{name}' is followed by '{inner[p..]}'; expected ':', '?', '=' or '}}'.");
            }

            constraints.Add(RouteConstraints.Create(template, name, constraintName, args));
        }

        var types = constraints.Where(c => c.ConvertsType).Select(c => c.Text).ToList();
        if (types.Count > 1)
            throw Fail($"the parameter '{name}' has more than one type constraint ({string.Join(", ", types)}).");

        var isOptional = false;
        string? defaultText = null;
        if (p < inner.Length && inner[p] == '?')
        {
            if (p != inner.Length - 1)
                throw Fail($"in '{{{inner}}}' the '?' that makes '{name}' optional must be the last character of the parameter.");
            isOptional = true;
        }
        else if (p < inner.Length)
        {
            // Only '=' can be left here: the loops above stop at ':', '=' or '?' and consume every ':'.
            defaultText = inner[(p + 1)..];
            if (defaultText.EndsWith('?'))
                throw Fail($"the parameter '{name}' cannot be both optional ('?') and have a default value.");
        }

        if (isCatchAll && isOptional)
            throw Fail($"the catch-all parameter '{name}' cannot be marked optional: it already matches an empty remainder.");

        object? defaultValue = null;
        if (defaultText is not null && !TemplateParameter.TryConvert(constraints, defaultText, out defaultValue))
            throw Fail($"the default value '{defaultText}' of parameter '{name}' does not satisfy its constraints ({string.Join(", ", constraints.Select(c => c.Text))}).");

        return new TemplateParameter(name, isCatchAll, isOptional, constraints, defaultValue);

        ArgumentException Fail(string detail) => TemplateErrors.Invalid(template, detail);
    }

    /// <summary>The index of the ')' closing the '(' at <paramref name="open"/>; nested and '\'-escaped parentheses are skipped.</summary>
    private static int ClosingParenthesis(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i;
            }
        }

        return -1;
    }

    private static void Validate(string template, ParsedTemplate parsed)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in parsed.Parameters)
        {
            if (!seen.Add(parameter.Name))
                throw Fail($"the parameter name '{parameter.Name}' appears more than once (names are case-insensitive).");
        }

        var segments = parsed.Segments;
        for (var s = 0; s < segments.Count; s++)
        {
            var parts = segments[s];
            var isLast = s == segments.Count - 1;
            for (var k = 0; k < parts.Count; k++)
            {
                if (parts[k].Parameter is not { } parameter)
                    continue;
                if (parameter.IsCatchAll)
                {
                    if (parts.Count > 1)
                        throw Fail($"the catch-all parameter '{parameter.Name}' must be alone in its segment.");
                    if (!isLast || parsed.TrailingSlash)
                        throw Fail($"the catch-all parameter '{parameter.Name}' must be the last part of the template.");
                }

                if (!parameter.IsOptional)
                    continue;
                if (!isLast || k != parts.Count - 1)
                    throw Fail($"the optional parameter '{parameter.Name}' must be the last part of the template (a trailing '/' may follow it).");
                if (parts.Count > 1 && (k < 2 || parts[k - 1] is not { Parameter: null, Literal: "." }))
                    throw Fail($"the optional parameter '{parameter.Name}' shares its segment with other text, so it must follow a '.' that follows other text (as in '{{name}}.{{ext?}}').");
            }
        }

        ArgumentException Fail(string detail) => TemplateErrors.Invalid(template, detail);
    }
}
