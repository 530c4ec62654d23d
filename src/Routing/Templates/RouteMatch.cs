namespace Switchboard.Routing.Templates;

/// <summary>
/// The result of matching a <see cref="RouteTemplate"/> or a <see cref="RegexRoutePattern"/> against the start of a path.
/// </summary>
/// <param name="Consumed">
/// How many characters of the path the route matched: the whole path for an endpoint match, the matched prefix
/// otherwise. The rest of the path (<c>path[Consumed..]</c>) is what a nested router sees.
/// </param>
/// <param name="Values">
/// The named values, in the order the route declares them (Channels' <c>kwargs</c>). Values typed by a route
/// constraint (<c>{id:int}</c>) are numbers, <see cref="Guid"/>s or <see cref="bool"/>s; every other value is a string.
/// </param>
public sealed record RouteMatch(int Consumed, IReadOnlyList<KeyValuePair<string, object>> Values)
{
    /// <summary>
    /// The positional values (Channels' <c>args</c>): the unnamed groups of a <see cref="RegexRoutePattern"/> that has
    /// no named group, in group order. Always empty for a <see cref="RouteTemplate"/>.
    /// </summary>
    public IReadOnlyList<object> Args { get; init; } = [];
}
