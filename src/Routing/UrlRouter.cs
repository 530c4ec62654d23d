using System.Collections;
using System.Collections.Immutable;
using Akka.Actor;
using Switchboard.Actors;

namespace Switchboard.Routing;

/// <summary>
/// Routes a connection by its path to the first matching <see cref="RouteEntry"/>: Channels' <c>URLRouter</c>.
/// Captured values go to the scope's <see cref="ConnectionScope.UrlRoute"/> (inner routers' values win);
/// a nested router matches a prefix and its routes see only the rest of the path. When a nested router
/// has no match, the next route of its parent is tried. The outermost router matches below the scope's
/// root path, and refuses with <c>No route found for path 'x'.</c> (HTTP 404) when nothing matches.
/// </summary>
/// <example>
/// <code>
/// var router = new UrlRouter
/// {
///     Routes.Path("ws/chat/{room}/", Consumer.Of&lt;ChatConsumer&gt;()),
///     Routes.Path("ws/admin/", new UrlRouter { Routes.Path("users/{id:int}/", Consumer.Of&lt;UserConsumer&gt;()) }),
/// };
/// </code>
/// </example>
public sealed class UrlRouter : IApplication, IEnumerable<RouteEntry>
{
    private readonly List<RouteEntry> _routes = [];

    /// <summary>Adds a route; routes are tried in the order they were added.</summary>
    public void Add(RouteEntry route)
    {
        ArgumentNullException.ThrowIfNull(route);
        _routes.Add(route);
    }

    /// <inheritdoc />
    public async ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var path = RemainingPath(scope);
        foreach (var route in _routes)
        {
            if (route.Match(path) is not { } match)
            {
                continue;
            }

            var inner = scope with
            {
                UrlRoute = Merge(scope.UrlRoute, match, route.Defaults),
                PathRemaining = path[match.Consumed..],
            };
            try
            {
                return await route.Application.ResolveAsync(inner, cancellationToken);
            }
            catch (RouteNotFoundException) when (route.IsPrefix)
            {
                // The nested router had no match: try the next route (Channels backtracks the same way).
            }
        }

        throw new RouteNotFoundException($"No route found for path '{path}'.");
    }

    /// <inheritdoc />
    public IEnumerator<RouteEntry> GetEnumerator() => _routes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => $"UrlRouter({_routes.Count} routes)";

    private static string RemainingPath(ConnectionScope scope)
    {
        if (scope.PathRemaining is { } remaining)
        {
            // A prefix that stops before a '/' ("ws/admin", "^ws/(?<tenant>\w+)") leaves "/users/5/"; like Channels, the
            // nested router drops that '/' just as the outermost drops the path's own.
            return remaining.StartsWith('/') ? remaining[1..] : remaining;
        }

        var path = scope.Path;
        var root = scope.RootPath.TrimEnd('/');
        if (root.Length > 0)
        {
            if (!path.StartsWith(root, StringComparison.Ordinal) || (path.Length > root.Length && path[root.Length] != '/'))
            {
                throw new RouteNotFoundException($"No route found for path '{path}': it is not under the root path '{scope.RootPath}'.");
            }

            path = path[root.Length..];
        }

        return path.StartsWith('/') ? path[1..] : path;
    }

    private static UrlRoute Merge(UrlRoute outer, Templates.RouteMatch match, ImmutableDictionary<string, object> defaults)
    {
        var kwargs = outer.Kwargs;
        foreach (var (name, value) in match.Values)
        {
            kwargs = kwargs.SetItem(name, value);
        }

        foreach (var (name, value) in defaults)
        {
            kwargs = kwargs.SetItem(name, value);
        }

        return new UrlRoute(match.Args.Count == 0 ? outer.Args : outer.Args.AddRange(match.Args), kwargs);
    }
}
