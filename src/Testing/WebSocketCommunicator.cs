using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Actors.Protocol;
using Switchboard.Routing;

namespace Switchboard.Testing;

/// <summary>
/// Drives any application (a consumer, a router, a middleware stack) over a WebSocket in memory, with no socket,
/// by playing the transport's side of the typed protocol: Channels' <c>WebsocketCommunicator</c>. The scope is built
/// from the path, query string, headers and subprotocols the way the gateway builds it for the same request.
/// </summary>
/// <example>
/// <code>
/// await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of&lt;EchoConsumer&gt;(), "/ws/echo/");
/// var (connected, _) = await communicator.ConnectAsync();
/// Assert.True(connected);
/// await communicator.SendToAsync("hello");
/// Assert.Equal("hello", (await communicator.ReceiveFromAsync()).Text);
/// await communicator.DisconnectAsync();
/// </code>
/// </example>
public sealed class WebSocketCommunicator : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private readonly ApplicationCommunicator _inner;
    private bool _connected;
    private bool _disconnected;

    /// <summary>Creates a communicator for a WebSocket to <paramref name="path"/> (with an optional <c>?query</c>).</summary>
    /// <param name="system">The actor system to run the consumer in: the test's TestKit system.</param>
    /// <param name="application">The application under test.</param>
    /// <param name="path">The request path and query string, e.g. <c>/ws/chat/lobby/?token=x</c>.</param>
    /// <param name="headers">Request headers (the <c>cookie</c> header fills the scope's cookies).</param>
    /// <param name="subprotocols">Subprotocols the client offers, in its order of preference.</param>
    public WebSocketCommunicator(ActorSystem system, IApplication application, string path, IEnumerable<KeyValuePair<string, string>>? headers = null, IEnumerable<string>? subprotocols = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var all = (headers ?? []).ToList();
        var offered = subprotocols?.ToList() ?? [];
        if (offered.Count > 0)
        {
            all.Add(new("sec-websocket-protocol", string.Join(", ", offered)));
        }

        _inner = new ApplicationCommunicator(system, application, ScopeParsing.FromTarget(ScopeTypes.WebSocket, path, all));
    }

    /// <summary>The scope the application sees. Change it (with <c>with</c>) before <see cref="ConnectAsync"/>.</summary>
    public ConnectionScope Scope
    {
        get => _inner.Scope;
        set => _inner.Scope = _connected ? throw new InvalidOperationException("The scope is fixed once the communicator has connected.") : value;
    }

    /// <summary>
    /// Why routing refused the connection (no route: 404; a forbidden origin or a middleware's refusal: 403), with the
    /// reason the gateway logs; <see langword="null"/> when the application resolved a consumer (which may still refuse,
    /// see <see cref="ConnectResult.CloseCode"/>).
    /// </summary>
    public ConnectionRefused? Refusal => _inner.Refusal;

    /// <summary>The response headers the consumer accepted with.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; private set; } = [];

    /// <summary>Connects as <paramref name="user"/>, with no login: the scope's user is set before the application runs.</summary>
    public WebSocketCommunicator WithUser(ClaimsPrincipal user)
    {
        Scope = Scope with { User = user ?? throw new ArgumentNullException(nameof(user)) };
        return this;
    }

    /// <summary>Connects as an authenticated user named <paramref name="name"/>, with optional extra claims.</summary>
    public WebSocketCommunicator WithUser(string name, params Claim[] claims)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, name), .. claims], authenticationType: "Test");
        return WithUser(new ClaimsPrincipal(identity));
    }

    /// <summary>Connects with <paramref name="session"/> as the scope's session (see <see cref="TestSession"/>).</summary>
    public WebSocketCommunicator WithSession(IConnectionSession session)
    {
        Scope = Scope with { Session = session ?? throw new ArgumentNullException(nameof(session)) };
        return this;
    }

    /// <summary>
    /// Opens the connection: resolves the application, sends <c>websocket.connect</c> and waits for the consumer to
    /// accept or close. A refusal by routing (no route, a forbidden origin) is reported with the HTTP status a server would send.
    /// </summary>
    public async Task<ConnectResult> ConnectAsync(TimeSpan? timeout = null)
    {
        if (_connected)
        {
            throw new InvalidOperationException("ConnectAsync was already called on this communicator.");
        }

        _connected = true;
        if (!await _inner.StartAsync(timeout))
        {
            return new ConnectResult(false, null, null, _inner.Refusal!.StatusCode);
        }

        await _inner.SendInputAsync(SocketConnected.Instance);
        var answer = await _inner.ReceiveOutputAsync(timeout, "the consumer to accept or close the connection (websocket.accept or websocket.close)");
        switch (answer)
        {
            case AcceptSocket accept:
                ResponseHeaders = accept.Headers;
                return new ConnectResult(true, accept.Subprotocol, null, null);
            case CloseSocket close:
                // A server answers 403; like the gateway, the refused consumer still gets its disconnect.
                _disconnected = true;
                await _inner.SendInputAsync(new SocketDisconnected(close.Code));
                return new ConnectResult(false, null, close.Code, 403);
            default:
                throw Unexpected("websocket.accept or websocket.close", answer);
        }
    }

    /// <summary>Sends a text frame to the consumer.</summary>
    /// <remarks>As the gateway does with a socket's text frame, the text goes in as UTF-8, decoded only if the consumer reads it.</remarks>
    public Task SendToAsync(string text) => SendAsync(FrameReceived.FromUtf8(Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text)))));

    /// <summary>Sends a binary frame to the consumer.</summary>
    public Task SendToAsync(byte[] bytes) => SendAsync(FrameReceived.FromBytes(bytes ?? throw new ArgumentNullException(nameof(bytes))));

    /// <summary>Serializes <paramref name="value"/> to JSON (web defaults) and sends it as a text frame.</summary>
    public Task SendJsonToAsync<T>(T value) => SendToAsync(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Waits for the next frame the consumer sends.</summary>
    /// <exception cref="UnexpectedOutputException">The consumer closed (or did something else) instead of sending a frame.</exception>
    /// <exception cref="TimeoutException">Nothing arrived in time.</exception>
    public async Task<ReceivedFrame> ReceiveFromAsync(TimeSpan? timeout = null)
    {
        var output = await _inner.ReceiveOutputAsync(timeout, "a frame from the consumer (websocket.send)");
        return output is SendFrame frame ? new ReceivedFrame(frame.Text, frame.Bytes) : throw Unexpected("websocket.send", output);
    }

    /// <summary>Waits for the next frame and deserializes its text as JSON (web defaults).</summary>
    public async Task<T> ReceiveJsonFromAsync<T>(TimeSpan? timeout = null)
    {
        var frame = await ReceiveFromAsync(timeout);
        if (frame.Text is not { } text)
        {
            throw new UnexpectedOutputException($"Expected a text frame with JSON, but the consumer sent a binary frame of {frame.Bytes!.Length} bytes.");
        }

        return JsonSerializer.Deserialize<T>(text, JsonOptions)!;
    }

    /// <summary>Waits for the consumer to close the connection and returns its close command (code and reason).</summary>
    public async Task<CloseSocket> ReceiveCloseAsync(TimeSpan? timeout = null)
    {
        var output = await _inner.ReceiveOutputAsync(timeout, "the consumer to close the connection (websocket.close)");
        return output as CloseSocket ?? throw Unexpected("websocket.close", output);
    }

    /// <summary>True when the consumer sends nothing within <paramref name="timeout"/> (default 0.1 s).</summary>
    public Task<bool> ReceiveNothingAsync(TimeSpan? timeout = null) => _inner.ReceiveNothingAsync(timeout);

    /// <summary>
    /// Closes the connection from the client's side with <paramref name="code"/> and waits for the consumer to stop. Rethrows the
    /// consumer's exception if it failed, in <c>OnDisconnectAsync</c> or before.
    /// </summary>
    public async Task DisconnectAsync(int code = CloseCodes.Normal, TimeSpan? timeout = null)
    {
        if (_disconnected)
        {
            await _inner.WaitStoppedAsync(timeout);
            return;
        }

        _disconnected = true;
        await _inner.SendInputAsync(new SocketDisconnected(code));
        await _inner.WaitStoppedAsync(timeout);
    }

    /// <summary>Disconnects if still connected, and stops the consumer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connected && !_disconnected && _inner.Consumer is not null && !_inner.HasStopped)
        {
            try
            {
                await DisconnectAsync(CloseCodes.Normal, TimeSpan.FromSeconds(3));
            }
#pragma warning disable CA1031 // Cleanup must not hide the test's own outcome.
            catch (Exception)
#pragma warning restore CA1031
            {
                // The consumer failed or hung; DisposeAsync below stops it.
            }
        }

        await _inner.DisposeAsync();
    }

    private Task SendAsync(FrameReceived frame)
    {
        if (!_connected)
        {
            throw new InvalidOperationException("Call ConnectAsync before sending.");
        }

        return _inner.SendInputAsync(frame);
    }

    private static UnexpectedOutputException Unexpected(string expected, OutboundCommand actual) => new(actual switch
    {
        CloseSocket close => $"Expected type '{expected}', but was 'websocket.close' (code {close.Code}{(close.Reason is { Length: > 0 } r ? $", reason '{r}'" : "")}).",
        SendFrame frame => $"Expected type '{expected}', but was 'websocket.send' ({(frame.Text is { } t ? $"text '{Shorten(t)}'" : $"{frame.Bytes!.Length} bytes")}).",
        AcceptSocket => $"Expected type '{expected}', but was 'websocket.accept'.",
        _ => $"Expected type '{expected}', but was {actual.GetType().Name}.",
    });

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;
}

/// <summary>The consumer sent something other than what the test waited for (Channels' assertion on the message type).</summary>
public sealed class UnexpectedOutputException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public UnexpectedOutputException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public UnexpectedOutputException() : base("The consumer sent something unexpected.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public UnexpectedOutputException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
