using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Switchboard.Actors;
using Switchboard.Routing.Security;

namespace Switchboard.Gateway.WebSockets;

/// <summary>Builds a <see cref="ConnectionScope"/> from an ASP.NET Core request, the way the communicators build one for the same request.</summary>
public static class ScopeFactory
{
    /// <summary>The scope of <paramref name="context"/>'s request, of protocol type <paramref name="type"/>.</summary>
    public static ConnectionScope FromHttpContext(HttpContext context, string type, AllowedHosts? allowedHosts = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Create(context, type, allowedHosts is null ? ScopeExtensions.Empty : ScopeExtensions.Empty.With(allowedHosts), dropAuthorization: false);
    }

    /// <summary>
    /// The scope of <paramref name="context"/>'s request with <paramref name="extensions"/>, built once; without its
    /// <c>Authorization</c> header when <paramref name="dropAuthorization"/> (the gateway made that header from the query).
    /// </summary>
    internal static ConnectionScope Create(HttpContext context, string type, ScopeExtensions extensions, bool dropAuthorization)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var rawPath = rawTarget is { Length: > 0 } && rawTarget[0] == '/'
            ? rawTarget.IndexOf('?', StringComparison.Ordinal) is var query and >= 0 ? rawTarget[..query] : rawTarget
            : (request.PathBase + request.Path).ToUriComponent();

        var headers = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var (name, values) in request.Headers)
        {
            var lower = LowerCaseNames.TryGetValue(name, out var known) ? known : name.ToLowerInvariant();
            if (dropAuthorization && lower == "authorization")
            {
                continue;
            }

            foreach (var value in values)
            {
                headers.Add(new(lower, value ?? ""));
            }
        }

        // One entry per header is the usual case: hand the builder's array over instead of copying it.
        var headerList = headers.Count == headers.Capacity ? headers.MoveToImmutable() : headers.ToImmutable();

        return new ConnectionScope
        {
            Type = type,
            RawPath = rawPath,
            Path = ScopeParsing.DecodePath(rawPath),
            RootPath = request.PathBase.Value ?? "",
            QueryString = request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            Method = request.Method.ToUpperInvariant(),
            Headers = headerList,
            Cookies = ScopeParsing.ParseCookies(headerList),
            Subprotocols = ScopeParsing.ParseSubprotocols(headerList),
            Client = Endpoint(context.Connection.RemoteIpAddress, context.Connection.RemotePort),
            Server = Endpoint(context.Connection.LocalIpAddress, context.Connection.LocalPort),
            User = context.User,
            Extensions = extensions,
        };
    }

    // Kestrel names the headers it knows with constant strings in their canonical case: lower-casing those once here saves
    // a string per header per handshake. Other names are lower-cased as they come (never cached: clients choose them).
    private static readonly FrozenDictionary<string, string> LowerCaseNames = new[]
    {
        HeaderNames.Host, HeaderNames.Connection, HeaderNames.Upgrade, HeaderNames.Origin, HeaderNames.Cookie,
        HeaderNames.Authorization, HeaderNames.UserAgent, HeaderNames.Accept, HeaderNames.AcceptEncoding,
        HeaderNames.AcceptLanguage, HeaderNames.CacheControl, HeaderNames.Pragma, HeaderNames.SecWebSocketKey,
        HeaderNames.SecWebSocketVersion, HeaderNames.SecWebSocketExtensions, HeaderNames.SecWebSocketProtocol,
    }.ToFrozenDictionary(name => name, name => name.ToLowerInvariant(), StringComparer.Ordinal);

    private static IPEndPoint? Endpoint(IPAddress? address, int port) => address is null ? null : new IPEndPoint(address, port);
}
