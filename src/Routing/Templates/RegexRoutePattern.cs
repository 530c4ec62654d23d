using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Routing.Templates;

/// <summary>
/// A route given as a regular expression (Channels' <c>re_path</c>), matched against a connection's path.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The regex is anchored at the start of the path, whether or not it begins with <c>^</c> (Django searched the
/// whole path for an unanchored regex, so <c>bar</c> matched <c>xbar/</c>; Switchboard does not).</item>
/// <item>For an endpoint the match must cover the whole path, whether or not it ends with <c>$</c>; as a prefix it
/// covers what the regex matched, with no '/' boundary imposed (the regex says where the prefix ends).</item>
/// <item>Named groups become named values (strings); a named group that did not take part is left out. As in Django,
/// when the regex has any named group its unnamed groups are ignored; otherwise the unnamed groups become positional
/// <see cref="RouteMatch.Args"/>, in order, an unmatched one as an empty string.</item>
/// <item>Matching is case-sensitive (use <c>(?i)</c> to change that) and culture-invariant. Python's
/// <c>(?P&lt;name&gt;…)</c> and <c>(?P=name)</c> are accepted as well as .NET's <c>(?&lt;name&gt;…)</c>.</item>
/// <item>A match that runs longer than 100 ms on one path twice in a row (a catastrophic pattern meeting a hostile path)
/// counts as no match, so no path can hang the router; one timeout alone may be a pause of the process, not the pattern.</item>
/// </list>
/// </remarks>
/// <example>
/// <code>
/// var route = RegexRoutePattern.Parse(@"^ws/chat/(?P&lt;room&gt;\w+)/$");
/// var match = route.Match("ws/chat/lobby/", prefix: false);   // Values: [room = "lobby"]
/// </code>
/// </example>
public sealed class RegexRoutePattern
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private readonly Regex _whole;
    private readonly Regex _prefix;
    private readonly string[] _names;
    private readonly int[] _positional;

    private RegexRoutePattern(string pattern, Regex whole, Regex prefix)
    {
        Pattern = pattern;
        _whole = whole;
        _prefix = prefix;
        var numbers = whole.GetGroupNumbers().Where(n => n > 0).ToArray();
        // .NET gives a named group a name that is not a number; an unnamed (or explicitly numbered) group's name is its number.
        _names = [.. numbers.Select(whole.GroupNameFromNumber).Where(name => !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))];
        _positional = _names.Length > 0 ? [] : numbers;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression; the message says why.</exception>
    public static RegexRoutePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var translated = PythonRegexSyntax.ToDotNet(pattern);
        try
        {
            // Compiled alone first: wrapped in a group, an unbalanced ')' could pair with the wrapper and pass.
            _ = new Regex(translated, Options, RouteRegex.MatchTimeout);
            return new RegexRoutePattern(
                pattern,
                new Regex($@"\A(?:{translated})\z", Options, RouteRegex.MatchTimeout),
                new Regex($@"\A(?:{translated})", Options, RouteRegex.MatchTimeout));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Invalid route regex '{pattern}': {e.Message}", nameof(pattern), e);
        }
    }

    /// <summary>Matches the regex at the start of <paramref name="path"/> (a decoded path without its leading '/').</summary>
    /// <param name="path">The path, or what an enclosing router left of it.</param>
    /// <param name="prefix">
    /// <see langword="false"/> for an endpoint: the match must cover the whole path. <see langword="true"/> for a nested
    /// router: the match may stop anywhere; <see cref="RouteMatch.Consumed"/> says where.
    /// </param>
    /// <returns>The match, or <see langword="null"/> when the regex does not match or timed out.</returns>
    public RouteMatch? Match(string path, bool prefix)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (RouteRegex.TryMatch(prefix ? _prefix : _whole, path) is not { } match)
            return null;

        var values = new List<KeyValuePair<string, object>>(_names.Length);
        foreach (var name in _names)
        {
            var group = match.Groups[name];
            if (group.Success)
                values.Add(new(name, group.Value));
        }

        return new RouteMatch(match.Length, values) { Args = [.. _positional.Select(n => (object)match.Groups[n].Value)] };
    }

    /// <summary>The pattern as written.</summary>
    public override string ToString() => Pattern;
}
