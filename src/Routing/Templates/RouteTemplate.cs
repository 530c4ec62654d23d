using System.Text.RegularExpressions;

namespace Switchboard.Routing.Templates;

/// <summary>
/// A route template in ASP.NET Core's syntax, matched against a connection's path (Channels' <c>path()</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>ws/chat/{room}/</c>: literal text and parameters. A parameter matches one non-empty segment (no '/').
/// Literal text matches case-insensitively (invariant culture); values keep the path's case. A trailing '/' in the
/// template is significant; one leading '/' is ignored.</item>
/// <item><c>files/{name}.{ext}</c>: parameters may share a segment with literal text; a segment is split at the
/// last occurrence of each literal, as in ASP.NET Core (<c>a.tar.gz</c> gives <c>name=a.tar</c>, <c>ext=gz</c>).</item>
/// <item><c>{id:int}</c>, <c>{id:int:min(1)}</c>: constraints <c>int</c>, <c>long</c>, <c>guid</c>, <c>bool</c>,
/// <c>double</c>, <c>decimal</c> (which also type the value), <c>alpha</c>, <c>minlength(n)</c>, <c>maxlength(n)</c>,
/// <c>length(n)</c>, <c>length(a,b)</c>, <c>min(n)</c>, <c>max(n)</c>, <c>range(a,b)</c> (on integers) and
/// <c>regex(expr)</c> (case-insensitive and not anchored, as in ASP.NET Core; braces doubled: <c>regex(^\d{{3}}$)</c>).
/// A value that has the segment's shape but fails a constraint (<c>abc</c>, or an <c>int</c> that overflows) is no match.</item>
/// <item><c>chat/{room?}</c>: optional, only last. An absent optional value is not in <see cref="RouteMatch.Values"/>.
/// <c>chat/{room?}</c> matches <c>chat</c> and <c>chat/lobby</c>; <c>chat/{room?}/</c> matches <c>chat/</c> and
/// <c>chat/lobby/</c>; <c>{name}.{ext?}</c> matches <c>readme</c> and <c>readme.txt</c>.</item>
/// <item><c>{lang=en}</c>: a default, the value when the segment is absent (typed by a type constraint). A trailing run
/// of segments that each hold one optional, defaulted or catch-all parameter may be left out, as in
/// <c>{controller=home}/{action=index}/{id?}</c>.</item>
/// <item><c>{*rest}</c> or <c>{**rest}</c>: catch-all, the last segment alone; matches the remainder including '/'. An
/// empty remainder leaves it absent (or its default).</item>
/// <item><c>{{</c> and <c>}}</c> stand for literal braces.</item>
/// </list>
/// </remarks>
/// <example>
/// <code>
/// var route = RouteTemplate.Parse("ws/rooms/{id:int}/");
/// var match = route.Match("ws/rooms/42/", prefix: false);   // Values: [id = 42 (an int)]
/// </code>
/// </example>
public sealed class RouteTemplate
{
    private readonly IReadOnlyList<TemplateParameter> _parameters;
    private readonly Regex _whole;
    private readonly Regex _prefix;

    private RouteTemplate(string template, IReadOnlyList<TemplateParameter> parameters, Regex whole, Regex prefix)
    {
        Template = template;
        _parameters = parameters;
        ParameterNames = [.. parameters.Select(p => p.Name)];
        _whole = whole;
        _prefix = prefix;
    }

    /// <summary>The template as written.</summary>
    public string Template { get; }

    /// <summary>The parameters' names, in the order they appear in the template.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Parses and compiles <paramref name="template"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The template is malformed: unbalanced braces, an empty, invalid or duplicate parameter name, an unknown
    /// constraint or wrong constraint arguments, a default that fails its constraints, a catch-all that is not last and
    /// alone in its segment, an optional parameter that is not last, or an empty segment (<c>a//b</c>).
    /// The message names the template and the rule it breaks.
    /// </exception>
    public static RouteTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var parsed = RouteTemplateParser.Parse(template);
        var parameters = parsed.Parameters.ToList();
        var (whole, prefix) = TemplateRegexBuilder.Build(parsed, parameters);
        return new RouteTemplate(template, parameters, whole, prefix);
    }

    /// <summary>
    /// Matches the template at the start of <paramref name="path"/> (a decoded path without its leading '/').
    /// </summary>
    /// <param name="path">The path, or what an enclosing router left of it.</param>
    /// <param name="prefix">
    /// <see langword="false"/> for an endpoint: the whole path must match. <see langword="true"/> for a nested router:
    /// the template may match a prefix that ends at the end of the path, before a '/', or just after a '/' the template
    /// ends with; <see cref="RouteMatch.Consumed"/> says how long it is.
    /// </param>
    /// <returns>The match, or <see langword="null"/> when the path does not match or a value fails its constraints.</returns>
    public RouteMatch? Match(string path, bool prefix)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (RouteRegex.TryMatch(prefix ? _prefix : _whole, path) is not { } match)
            return null;

        var values = new List<KeyValuePair<string, object>>(_parameters.Count);
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i];
            var group = match.Groups[TemplateRegexBuilder.GroupName(i)];
            if (group.Success && group.Length > 0)
            {
                if (!parameter.TryConvert(group.Value, out var value))
                    return null;
                values.Add(new(parameter.Name, value));
            }
            else if (parameter.Default is { } defaultValue)
            {
                values.Add(new(parameter.Name, defaultValue));
            }
        }

        return new RouteMatch(match.Length, values);
    }

    /// <summary>The template as written.</summary>
    public override string ToString() => Template;
}
