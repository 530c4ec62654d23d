using System.Text;
using Switchboard.Actors;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.Hostile;

/// <summary>
/// Malformed and hostile handshakes over raw TCP: each gets a 4xx from Kestrel or the gateway (never a 5xx, never a
/// crash), no consumer is started for it, and a healthy client on the same server keeps working throughout.
/// </summary>
public sealed class HostileHandshakeTests(HostileHandshakeTests.Server server) : IClassFixture<HostileHandshakeTests.Server>, IAsyncLifetime
{
    private const string Upgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\n";
    private const string Version = "Sec-WebSocket-Version: 13\r\n";
    private const string Key = $"Sec-WebSocket-Key: {RawHttpClient.SampleKey}\r\n";

    private WebSocketClient? _healthy;

    public static TheoryData<string> MalformedCases => [.. Cases.Keys];

    public static TheoryData<string> OddButValidCases => [.. Served.Keys];

    /// <summary>
    /// Each case: the request (with {host} for the Host header's value and {id} for a fresh id) and the status it gets:
    /// Kestrel's own for what it cannot parse (400, 405, 414, 431), the gateway's for a broken WebSocket handshake
    /// (400; 426 for another version), 404 from routing for a path no route matches.
    /// </summary>
    private static readonly Dictionary<string, (string Request, int Status)> Cases = new()
    {
        ["no key"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}\r\n", 400),
        ["key not base64"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}Sec-WebSocket-Key: not a key!\r\n\r\n", 400),
        ["key of 3 bytes"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}Sec-WebSocket-Key: AAAA\r\n\r\n", 400),
        ["two keys"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}{Key}\r\n", 400),
        ["version 8"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}Sec-WebSocket-Version: 8\r\n{Key}\r\n", 426),
        ["no version"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Key}\r\n", 400),
        ["no host"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\n{Upgrade}{Version}{Key}\r\n", 400),
        ["post"] = ($"POST /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\nContent-Length: 0\r\n{Upgrade}{Version}{Key}\r\n", 400),
        ["64 KiB header"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}X-Big: {new string('a', 64 * 1024)}\r\n\r\n", 431),
        ["64 KiB of small headers"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}{string.Concat(Enumerable.Range(0, 1024).Select(i => $"X-H{i}: {new string('b', 56)}\r\n"))}\r\n", 431),
        ["a thousand subprotocol headers"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}{string.Concat(Enumerable.Range(0, 1000).Select(i => $"Sec-WebSocket-Protocol: p{i}\r\n"))}\r\n", 431),
        ["traversal"] = ($"GET /ws/../../etc/passwd HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 404),
        ["encoded traversal"] = ($"GET /ws/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 404),
        ["encoded slash traversal"] = ($"GET /ws/echo/..%2f..%2f..%2fetc%2fpasswd/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 404),
        ["backslash traversal"] = ($"GET /ws/..\\..\\etc\\passwd HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 404),
        ["invalid percent-encoding"] = ($"GET /ws/%zz/%/%4/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 404),
        ["percent-encoded invalid UTF-8"] = ($"GET /ws/%C3%28%FF%C0%AF/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 404),
        ["percent-encoded NUL"] = ($"GET /ws/%00/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 400),
        ["double slashes"] = ($"GET //ws//echo// HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 404),
        ["path without slash"] = ($"GET ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 400),
        ["asterisk target"] = ($"GET * HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 405),
        ["9 KiB path"] = ($"GET /ws/{new string('p', 9 * 1024)}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 414),
        ["control character in path"] = ($"GET /ws/\techo/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 404),
        ["header without colon"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}NoColonHere\r\n\r\n", 400),
        ["raw non-ASCII in path"] = ($"GET /ws/\u00e9cho/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 400),
        ["raw NUL in path"] = ($"GET /ws/\u0000/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n", 400),
        ["raw non-ASCII in a header"] = ($"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}Origin: http://\u00ff\u00fe/\r\n\r\n", 400),
        ["garbage request line"] = ("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003 GET\r\n\r\n", 400),
    };

    /// <summary>Odd requests that Kestrel and the gateway accept as handshakes: {id} is the id the consumer reports under.</summary>
    private static readonly Dictionary<string, string> Served = new()
    {
        ["a thousand subprotocols in one header"] = $"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}Sec-WebSocket-Protocol: {string.Join(", ", Enumerable.Range(0, 1000).Select(i => $"p{i}"))}\r\n\r\n",
        ["percent-encoded route"] = $"GET /ws/%65%63%68%6F/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n",
        ["query string"] = $"GET /ws/echo/{{id}}/?token=%zz&&=&a=%C3%28 HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n",
        ["version list"] = $"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}Sec-WebSocket-Version: 13, 99999999999999999999\r\n{Key}\r\n",
        ["http 1.0"] = $"GET /ws/echo/{{id}}/ HTTP/1.0\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}\r\n",
        ["vertical tab in a header value"] = $"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}X-Odd: a\vb\r\n\r\n",
        ["cookie soup"] = $"GET /ws/echo/{{id}}/ HTTP/1.1\r\nHost: {{host}}\r\n{Upgrade}{Version}{Key}Cookie: ;;=;a=%zz;b=\"\";{new string('c', 4000)}=1\r\n\r\n",
    };

    public async Task InitializeAsync()
    {
        _healthy = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/");
        Assert.Equal("before", await _healthy.EchoAsync("before"));
    }

    public async Task DisposeAsync()
    {
        Assert.Equal("after", await _healthy!.EchoAsync("after"));
        await _healthy.DisposeAsync();
        server.Logs.AssertNoUnhandledExceptions();
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public async Task Handshake_Malformed_Is4xxAndStartsNoConsumer(string name)
    {
        var id = ConnectionProbe.NewId();
        var (template, expected) = Cases[name];
        var request = template.Replace("{host}", server.HttpBaseAddress.Authority, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal);
        using var raw = await RawHttpClient.ConnectAsync(server.HttpBaseAddress);

        var status = await raw.TrySendAsync(Encoding.Latin1.GetBytes(request));

        Assert.Equal(expected, status);
        Assert.False(server.Probe.HasConnectStarted(id), "A consumer was started for a malformed handshake.");
        Assert.Equal(name, await _healthy!.EchoAsync(name));
    }

    [Theory]
    [MemberData(nameof(OddButValidCases))]
    public async Task Handshake_OddButValid_IsServedAndCleanedUp(string name)
    {
        var id = ConnectionProbe.NewId();
        var request = Served[name].Replace("{host}", server.HttpBaseAddress.Authority, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal);
        using var raw = await RawHttpClient.ConnectAsync(server.HttpBaseAddress);

        Assert.Equal(101, await raw.TrySendAsync(Encoding.Latin1.GetBytes(request)));
        raw.Reset();

        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
        Assert.Equal(name, await _healthy!.EchoAsync(name));
    }

    [Fact]
    public async Task Handshake_OtherWebSocketVersion_Is426WithTheSupportedVersionAndLogged()
    {
        var id = ConnectionProbe.NewId();
        using var raw = await RawHttpClient.ConnectAsync(server.HttpBaseAddress);
        await raw.WriteAsync(RawHttpClient.Get(server.HttpBaseAddress, $"/ws/echo/{id}/?token=secret",
            "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 8", $"Sec-WebSocket-Key: {RawHttpClient.SampleKey}"));

        var (status, head) = await raw.ReadHeadAsync();

        Assert.Equal(426, status);
        Assert.Contains("Sec-WebSocket-Version: 13\r\n", head, StringComparison.OrdinalIgnoreCase);
        var logged = await server.Logs.WaitForAsync(e => e.Category.StartsWith("Switchboard", StringComparison.Ordinal) && e.Message.Contains(id, StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, logged.Level);
        Assert.Contains("426", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", logged.Message, StringComparison.Ordinal);
    }

    public sealed class Server : GatewayServer
    {
        protected override IApplication Application => HostileConsumers.Application;
    }
}
