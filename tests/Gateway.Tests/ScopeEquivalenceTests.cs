using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;
using Switchboard.Testing;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// The gateway (ScopeFactory, from a real Kestrel request) and the communicators (ScopeParsing, from the same target
/// and headers) build the same scope, so a consumer tested in memory sees what it sees in production.
/// </summary>
public sealed class ScopeEquivalenceTests(ScopeEquivalenceTests.Server server) : Akka.TestKit.Xunit2.TestKit, IClassFixture<ScopeEquivalenceTests.Server>
{
    /// <summary>Headers a real client adds for the handshake itself; the communicator has no handshake.</summary>
    private static readonly HashSet<string> HandshakeHeaders = ["host", "connection", "upgrade", "sec-websocket-key", "sec-websocket-version"];

    private static readonly IApplication App = new UrlRouter
    {
        Routes.Path("ws/scope/{*rest}", Consumer.Of<ScopeCapturingConsumer>()),
    };

    [Fact]
    public async Task Scope_SameRequest_GatewayAndCommunicatorAgreeFieldByField()
    {
        var id = ConnectionProbe.NewId();
        var target = $"/ws/scope/caf%C3%A9%20au%20lait/a%2Fb/?q=caf%C3%A9&tag=a%2Bb&empty=&flag&id={id}";
        KeyValuePair<string, string>[] headers =
        [
            new("Cookie", "sessionid=abc123; theme=dark; quoted=\"two words\"; encoded=a%20b"),
            new("X-Request-Tag", "equivalence; v=1"),
            new("User-Agent", "switchboard-tests/1.0"),
        ];
        string[] subprotocols = ["chat.v2", "chat.v1"];

        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, target.TrimStart('/'), o =>
        {
            foreach (var (name, value) in headers)
            {
                o.SetRequestHeader(name, value);
            }

            foreach (var subprotocol in subprotocols)
            {
                o.AddSubProtocol(subprotocol);
            }
        });
        var gateway = await server.Probe.WaitScopeAsync(id);
        await using var communicator = new WebSocketCommunicator(Sys, App, target, headers, subprotocols);
        var memory = communicator.Scope;

        Assert.Equal(memory.Type, gateway.Type);
        Assert.Equal(memory.Path, gateway.Path);
        Assert.Equal("/ws/scope/café au lait/a/b/", gateway.Path);
        Assert.Equal(memory.RawPath, gateway.RawPath);
        Assert.Equal("/ws/scope/caf%C3%A9%20au%20lait/a%2Fb/", gateway.RawPath);
        Assert.Equal(memory.QueryString, gateway.QueryString);
        Assert.Equal(memory.RootPath, gateway.RootPath);
        Assert.Equal(memory.Method, gateway.Method);
        Assert.Equal(Sorted(memory.Cookies), Sorted(gateway.Cookies));
        Assert.Equal("two words", gateway.Cookies["quoted"]);
        Assert.Equal(memory.Subprotocols.ToArray(), gateway.Subprotocols.ToArray());
        Assert.Equal(subprotocols, gateway.Subprotocols.ToArray());

        // The request's own headers, as a set: everything the communicator has, and beyond it only the handshake's.
        var gatewayOwn = gateway.Headers.Where(h => !HandshakeHeaders.Contains(h.Key)).ToHashSet();
        Assert.Equal(memory.Headers.ToHashSet(), gatewayOwn);
        Assert.All(gateway.Headers, h => Assert.Equal(h.Key.ToLowerInvariant(), h.Key));
    }

    private static List<KeyValuePair<string, string>> Sorted(IEnumerable<KeyValuePair<string, string>> pairs) =>
        [.. pairs.OrderBy(p => p.Key, StringComparer.Ordinal)];

    public sealed class Server : GatewayServer
    {
        protected override IApplication Application => App;
    }

    private sealed class ScopeCapturingConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        protected override Task OnConnectAsync()
        {
            var id = Scope.QueryString.Split('&').Single(p => p.StartsWith("id=", StringComparison.Ordinal))[3..];
            probe.CaptureScope(id, Scope);
            return AcceptAsync(Scope.Subprotocols.FirstOrDefault());
        }
    }
}
