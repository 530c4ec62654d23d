using System.Collections.Immutable;
using System.Net;
using System.Security.Claims;

namespace Switchboard.Actors;

/// <summary>
/// Everything known about a connection when it opens: the typed form of an ASGI scope.
/// Immutable: middleware hands its inner application a new scope (<c>scope with { ... }</c>)
/// and never changes the one it was given.
/// </summary>
public sealed record ConnectionScope
{
    /// <summary>The protocol type: <see cref="ScopeTypes.WebSocket"/>, <see cref="ScopeTypes.Http"/> or <see cref="ScopeTypes.Channel"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The request path, percent-decoded, including <see cref="RootPath"/> (as in ASGI).</summary>
    public string Path { get; init; } = "/";

    /// <summary>The request path exactly as it arrived on the wire, still percent-encoded.</summary>
    public string RawPath { get; init; } = "/";

    /// <summary>
    /// The prefix the application is mounted under (ASP.NET Core's path base); empty when mounted at the root.
    /// The outermost <c>UrlRouter</c> matches the part of <see cref="Path"/> below it.
    /// </summary>
    public string RootPath { get; init; } = "";

    /// <summary>The query string without its leading <c>?</c>, still percent-encoded.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>The HTTP method of an <c>http</c> scope, upper case; <c>GET</c> for a WebSocket handshake.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The request headers in arrival order, names lower-cased, duplicates kept.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Cookies from the <c>Cookie</c> header, filled by the gateway (and by <c>CookieMiddleware</c>).</summary>
    public ImmutableDictionary<string, string> Cookies { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The subprotocols the client offered, in its order of preference.</summary>
    public ImmutableArray<string> Subprotocols { get; init; } = [];

    /// <summary>The client's address and port, when known.</summary>
    public IPEndPoint? Client { get; init; }

    /// <summary>The server's address and port the connection arrived on, when known.</summary>
    public IPEndPoint? Server { get; init; }

    /// <summary>The authenticated user, or an anonymous principal. Filled by authentication middleware.</summary>
    public ClaimsPrincipal User
    {
        // The anonymous default is made on first read: a scope built with a user (every handshake) never makes one.
        get => _user ?? LazyInitializer.EnsureInitialized(ref _user, static () => new ClaimsPrincipal(new ClaimsIdentity()));
        init => _user = value;
    }

    private ClaimsPrincipal? _user;

    /// <summary>The connection's session, when session middleware runs; otherwise <see langword="null"/>.</summary>
    public IConnectionSession? Session { get; init; }

    /// <summary>The values captured by URL routing: Channels' <c>scope["url_route"]</c>.</summary>
    public UrlRoute UrlRoute { get; init; } = UrlRoute.Empty;

    /// <summary>
    /// The part of the path that nested routers still have to match, or <see langword="null"/> before
    /// any <c>UrlRouter</c> has run. Set by routers, read by the next router down.
    /// </summary>
    public string? PathRemaining { get; init; }

    /// <summary>The channel name of a <see cref="ScopeTypes.Channel"/> scope (a worker's named channel).</summary>
    public string? Channel { get; init; }

    /// <summary>Typed values that middleware and applications attach to the scope.</summary>
    public ScopeExtensions Extensions { get; init; } = ScopeExtensions.Empty;

    /// <summary>The value of the first header named <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    public string? GetHeader(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// What <see cref="object.ToString"/> prints: the type, paths, client and user, but never the query string, the
    /// header values, cookies or session, which can hold credentials (an <c>?access_token=</c>, a session cookie). Only
    /// their sizes are shown, so that a scope can be logged safely.
    /// </summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Type = ").Append(Type)
            .Append(", Path = ").Append(Path)
            .Append(", RootPath = ").Append(RootPath)
            .Append(", QueryString = (").Append(QueryString.Length).Append(" characters, not shown)")
            .Append(", Headers = (").Append(Headers.Length).Append(", values not shown)")
            .Append(", Cookies = (").Append(Cookies.Count).Append(", not shown)")
            .Append(", Subprotocols = [").AppendJoin(", ", Subprotocols).Append(']')
            .Append(", Client = ").Append(Client)
            .Append(", User = ").Append(User.Identity?.IsAuthenticated == true ? User.Identity.Name : "(anonymous)")
            .Append(", Session = ").Append(Session is null ? "none" : "(not shown)")
            .Append(", Channel = ").Append(Channel);
        return true;
    }

    /// <summary>Creates a WebSocket scope for <paramref name="path"/> (with an optional <c>?query</c>), as a test or a tool would.</summary>
    public static ConnectionScope ForWebSocket(string path) => ScopeParsing.FromTarget(ScopeTypes.WebSocket, path);
}
