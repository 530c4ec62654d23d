using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Switchboard.Actors;
using Switchboard.Routing;
using Switchboard.Routing.Middleware;
using Switchboard.Routing.Security;

namespace Switchboard.Bench.Micro;

/// <summary>
/// Resolving the application for a handshake through samples/Chat's tree: protocol type, allowed-hosts origin check,
/// cookie, session and user middleware, then a URL router whose first (private) regex route misses and second matches.
/// The gateway does this once per connection, in the routing actor.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    /// <summary>samples/Chat's <c>ChatApplication.Application</c>, rebuilt here from the public API (with a session store, as the gateway puts one on the scope).</summary>
    public static IApplication ChatLikeApplication { get; } = new ProtocolTypeRouter
    {
        [ScopeTypes.WebSocket] = OriginValidator.AllowedHosts(
            AuthMiddlewareStack.Wrap(
                new UrlRouter
                {
                    Routes.Regex(@"^ws/chat/(?<room>private-[A-Za-z0-9_-]{0,72})/$", RequireAuthorization.Wrap(Consumer.Of<BenchChatConsumer>())),
                    Routes.Regex(@"^ws/chat/(?<room>(?!private-)[A-Za-z0-9_-]{1,80})/$", Consumer.Of<BenchChatConsumer>()),
                },
                new EmptySessionStore())),
    };

    private ConnectionScope _openRoom = null!;
    private ConnectionScope _unknownPath = null!;

    /// <summary>A browser's handshake for a path, as the gateway's scope factory builds it (host, origin, a cookie).</summary>
    public static ConnectionScope Handshake(string path) => ConnectionScope.ForWebSocket(path) with
    {
        Headers =
        [
            new("host", "127.0.0.1:8000"),
            new("origin", "http://127.0.0.1:8000"),
            new("cookie", "theme=dark"),
            new("user-agent", "Mozilla/5.0 (X11; Linux x86_64)"),
        ],
    };

    [GlobalSetup]
    public void Setup()
    {
        _openRoom = Handshake("/ws/chat/lobby/");
        _unknownPath = Handshake("/ws/nowhere/");
    }

    /// <summary>An open room: every middleware runs and the second route matches.</summary>
    [Benchmark(Baseline = true)]
    public async Task<Props> ResolveOpenRoom() => await ChatLikeApplication.ResolveAsync(_openRoom);

    /// <summary>A path no route matches: refused with <see cref="ConnectionRefusedException"/> (a 403 at the gateway).</summary>
    [Benchmark]
    public async Task<string> RefuseUnknownPath()
    {
        try
        {
            await ChatLikeApplication.ResolveAsync(_unknownPath);
            return "resolved";
        }
        catch (ConnectionRefusedException e)
        {
            return e.Message;
        }
    }

    private sealed class EmptySessionStore : IConnectionSessionStore
    {
        public ValueTask<IConnectionSession> LoadAsync(string? sessionKey, CancellationToken cancellationToken = default) =>
            new(new EmptySession());
    }

    private sealed class EmptySession : IConnectionSession
    {
        public string Id => "";

        public IEnumerable<string> Keys => [];

        public string? Get(string key) => null;

        public void Set(string key, string value)
        {
        }

        public void Remove(string key)
        {
        }

        public void Clear()
        {
        }

        public Task SaveAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
