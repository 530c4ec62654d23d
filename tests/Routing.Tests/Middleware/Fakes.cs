using System.Collections.Concurrent;
using System.Security.Claims;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests.Middleware;

/// <summary>Principals for the middleware tests.</summary>
internal static class Users
{
    public static ClaimsPrincipal Named(string name, params Claim[] claims) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, name), .. claims], "Fake"));

    public static string? NameOf(ConnectionScope scope) => scope.User.Identity?.IsAuthenticated == true ? scope.User.Identity.Name : null;
}

/// <summary>Authenticates <c>authorization: Token name</c> as the user <c>name</c>; counts its calls.</summary>
internal sealed class FakeAuthenticator : IConnectionAuthenticator
{
    private int _calls;

    public int Calls => _calls;

    public ValueTask<ClaimsPrincipal> AuthenticateAsync(ConnectionScope scope, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var header = scope.GetHeader("authorization");
        return new(header is not null && header.StartsWith("Token ", StringComparison.Ordinal)
            ? Users.Named(header["Token ".Length..])
            : new ClaimsPrincipal(new ClaimsIdentity()));
    }
}

/// <summary>Sessions by key, in memory; records the keys it was asked for.</summary>
internal sealed class FakeSessionStore(string cookieName = SessionMiddleware.DefaultCookieName) : IConnectionSessionStore
{
    public ConcurrentDictionary<string, TestSession> Sessions { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string?> Loaded { get; } = new();

    public string CookieName => cookieName;

    public ValueTask<IConnectionSession> LoadAsync(string? sessionKey, CancellationToken cancellationToken = default)
    {
        Loaded.Enqueue(sessionKey);
        return new(sessionKey is not null && Sessions.TryGetValue(sessionKey, out var session) ? session : new TestSession());
    }
}

/// <summary>A store that takes the default cookie name from the interface.</summary>
internal sealed class DefaultNamedStore : IConnectionSessionStore
{
    public string? LastKey { get; private set; }

    public ValueTask<IConnectionSession> LoadAsync(string? sessionKey, CancellationToken cancellationToken = default)
    {
        LastKey = sessionKey;
        return new(new TestSession());
    }
}

/// <summary>Evaluates policies with predicates over the user; an unknown policy throws, as ASP.NET Core's does.</summary>
internal sealed class FakeAuthorizer(Dictionary<string, Func<ClaimsPrincipal, bool>> policies) : IConnectionAuthorizer
{
    public List<(string Policy, ConnectionScope Scope)> Evaluated { get; } = [];

    public ValueTask<bool> AuthorizeAsync(ClaimsPrincipal user, string policy, ConnectionScope scope, CancellationToken cancellationToken = default)
    {
        Evaluated.Add((policy, scope));
        return policies.TryGetValue(policy, out var check)
            ? new(check(user))
            : throw new InvalidOperationException($"No policy found: {policy}.");
    }
}
