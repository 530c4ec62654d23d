using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Routing.Templates;

/// <summary>
/// Compiles a parsed template into the regex that finds its segments' shape; constraints are checked afterwards on
/// the captured text. Parameter <c>i</c> is captured by the group named <c>p{i}</c>.
/// </summary>
internal static class TemplateRegexBuilder
{
    private const RegexOptions Options =
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.ExplicitCapture;

    /// <summary>Builds the endpoint regex (the whole path) and the prefix regex (up to a '/' or the end).</summary>
    public static (Regex Whole, Regex Prefix) Build(ParsedTemplate parsed, IReadOnlyList<TemplateParameter> parameters)
    {
        var body = Body(parsed, parameters);
        return (
            new Regex($@"\A{body}\z", Options, RouteRegex.MatchTimeout),
            // A prefix ends at the end of the path, before a '/', just after a '/' (the template ended with one),
            // or matches nothing at all (an empty template).
            new Regex($@"\A{body}(?:\z|(?=/)|(?<=/)|\A)", Options, RouteRegex.MatchTimeout));
    }

    /// <summary>
    /// The segments joined by '/'. The trailing run of segments that are a single optional, defaulted or catch-all
    /// parameter can be left out from the right, each together with one separator: the one before it
    /// (<c>chat/{room?}</c> matches <c>chat</c>), or the one after it when the template ends with '/'
    /// (<c>chat/{room?}/</c> matches <c>chat/</c>).
    /// </summary>
    private static string Body(ParsedTemplate parsed, IReadOnlyList<TemplateParameter> parameters)
    {
        var segments = parsed.Segments;
        var firstOmittable = segments.Count;
        while (firstOmittable > 0 && segments[firstOmittable - 1] is [{ Parameter.MayBeAbsent: true }])
            firstOmittable--;

        var regex = new StringBuilder();
        for (var s = 0; s < segments.Count; s++)
        {
            if (s >= firstOmittable)
                regex.Append("(?:");
            if (!parsed.TrailingSlash && s > 0)
                regex.Append('/');
            AppendSegment(regex, segments[s], parameters);
            if (parsed.TrailingSlash)
                regex.Append('/');
        }

        regex.Insert(regex.Length, ")?", segments.Count - firstOmittable);
        return regex.ToString();
    }

    private static void AppendSegment(StringBuilder regex, IReadOnlyList<TemplatePart> parts, IReadOnlyList<TemplateParameter> parameters)
    {
        if (parts is [.., _, { Parameter.IsOptional: true }])
        {
            // "{name}.{ext?}": with the extension first, so that greedy parameters split at the last '.'.
            regex.Append("(?:");
            AppendParts(regex, parts, parameters);
            regex.Append('|');
            AppendParts(regex, parts.Take(parts.Count - 2), parameters);
            regex.Append(')');
        }
        else
        {
            AppendParts(regex, parts, parameters);
        }
    }

    private static void AppendParts(StringBuilder regex, IEnumerable<TemplatePart> parts, IReadOnlyList<TemplateParameter> parameters)
    {
        foreach (var part in parts)
        {
            if (part.Parameter is not { } parameter)
            {
                regex.Append(Regex.Escape(part.Literal));
                continue;
            }

            var group = GroupName(IndexOf(parameters, parameter));
            regex.Append("(?<").Append(group).Append('>').Append(parameter.IsCatchAll ? ".*" : "[^/]+").Append(')');
        }
    }

    public static string GroupName(int index) => $"p{index}";

    private static int IndexOf(IReadOnlyList<TemplateParameter> parameters, TemplateParameter parameter)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (ReferenceEquals(parameters[i], parameter))
                return i;
        }

        throw new InvalidOperationException($"The parameter '{parameter.Name}' is not one of the template's.");
    }
}
