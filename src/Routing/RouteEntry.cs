using System.Collections.Immutable;
using Switchboard.Actors;
using Switchboard.Routing.Templates;

namespace Switchboard.Routing;

/// <summary>
/// One entry of a <see cref="UrlRouter"/>, made by <see cref="Routes.Path"/> or <see cref="Routes.Regex"/>: a path pattern and the application it leads to.
/// A route to another <see cref="UrlRouter"/> (or to middleware wrapping one) matches a prefix and hands the rest of
/// the path down; a route to anything else must match the whole remaining path.
/// </summary>
public sealed class RouteEntry
{
    private readonly Func<string, bool, RouteMatch?> _match;

    internal RouteEntry(string pattern, IApplication application, Func<string, bool, RouteMatch?> match, ImmutableDictionary<string, object> defaults)
    {
        Pattern = pattern;
        Application = application;
        _match = match;
        Defaults = defaults;
        IsPrefix = LeadsToRouter(application);
    }

    /// <summary>The template or regular expression, as given.</summary>
    public string Pattern { get; }

    /// <summary>The application the route leads to.</summary>
    public IApplication Application { get; }

    /// <summary>Values merged over the captured ones (Channels' <c>kwargs=</c> on a route).</summary>
    public ImmutableDictionary<string, object> Defaults { get; }

    /// <summary>
    /// Whether the route leads to a nested router, directly or through middleware (<see cref="Middleware.BaseMiddleware.Inner"/>),
    /// so that it matches a prefix of the path.
    /// </summary>
    public bool IsPrefix { get; }

    internal RouteMatch? Match(string path) => _match(path, IsPrefix);

    /// <inheritdoc />
    public override string ToString() => $"{Pattern} -> {Application}";

    private static bool LeadsToRouter(IApplication application) => application switch
    {
        UrlRouter => true,
        Middleware.BaseMiddleware middleware => LeadsToRouter(middleware.Inner),
        _ => false,
    };

    internal static ImmutableDictionary<string, object> ToImmutable(IReadOnlyDictionary<string, object>? values) =>
        values is null ? ImmutableDictionary<string, object>.Empty : values.ToImmutableDictionary(StringComparer.Ordinal);
}

/// <summary>
/// Makes the entries of a <see cref="UrlRouter"/>: Channels' <c>path()</c> and <c>re_path()</c>.
/// (Named <c>Routes</c> so that it never collides with ASP.NET Core's <c>Route</c> in a web project.)
/// </summary>
public static class Routes
{
    /// <summary>
    /// A route from an ASP.NET Core-style template: literal segments, <c>{name}</c>, typed <c>{id:int}</c>,
    /// constraints (<c>{slug:minlength(3)}</c>), optional <c>{page?}</c>, defaults <c>{page=1}</c> and catch-all <c>{*rest}</c>.
    /// The template is matched below the root path with no leading <c>/</c>: <c>ws/chat/{room}/</c>.
    /// </summary>
    /// <param name="template">The route template.</param>
    /// <param name="application">Where a match leads.</param>
    /// <param name="defaults">Values merged over the captured ones.</param>
    public static RouteEntry Path(string template, IApplication application, IReadOnlyDictionary<string, object>? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        var parsed = RouteTemplate.Parse(template);
        return new(template, application, parsed.Match, RouteEntry.ToImmutable(defaults));
    }

    /// <summary>
    /// A route from a regular expression (Channels' <c>re_path</c>), anchored at the start of the remaining path.
    /// Named groups become named values; without named groups, unnamed groups become positional values.
    /// </summary>
    /// <param name="pattern">The regular expression.</param>
    /// <param name="application">Where a match leads.</param>
    /// <param name="defaults">Values merged over the captured ones.</param>
    public static RouteEntry Regex(string pattern, IApplication application, IReadOnlyDictionary<string, object>? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        var parsed = RegexRoutePattern.Parse(pattern);
        return new(pattern, application, parsed.Match, RouteEntry.ToImmutable(defaults));
    }
}
