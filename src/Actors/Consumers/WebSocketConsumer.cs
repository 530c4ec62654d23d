using System.Collections.Immutable;
using Akka.Actor;
using Switchboard.Actors.Protocol;

namespace Switchboard.Actors.Consumers;

/// <summary>
/// A consumer that serves one WebSocket connection: Channels' <c>AsyncWebsocketConsumer</c> as an actor.
/// Override the hooks <see cref="OnConnectAsync"/> (accepts by default), <see cref="OnReceiveAsync"/> and
/// <see cref="OnDisconnectAsync"/>; answer with <see cref="AcceptAsync"/>, <see cref="SendAsync(string)"/>,
/// <see cref="SendAsync(byte[])"/> and <see cref="CloseAsync"/>. Keep per-connection state in fields.
/// </summary>
/// <remarks>
/// Events are handled one at a time, in arrival order. Closing before accepting refuses the handshake
/// (HTTP 403). An unhandled exception closes the socket with 1011 (HTTP 500 during the handshake), is
/// logged with the path and channel name, and stops the consumer; <see cref="OnDisconnectAsync"/> still
/// runs if the connection had been accepted.
/// </remarks>
/// <example>
/// <code>
/// public sealed class EchoConsumer : WebSocketConsumer
/// {
///     protected override Task OnReceiveAsync(string? text, byte[]? bytes) =>
///         text is not null ? SendAsync(text) : SendAsync(bytes!);
/// }
/// // routing: new UrlRouter { Routes.Path("ws/echo/", Consumer.Of&lt;EchoConsumer&gt;()) }
/// </code>
/// </example>
public abstract partial class WebSocketConsumer : ConsumerActor
{
    private IConnectionTransport? _transport;
    private bool _accepted;
    private bool _disconnectRan;
    private WebSocketState _state = WebSocketState.Connecting;

    // Open for threads other than the consumer's (a forwarded message): set once the transport has the accept, so that no
    // frame reaches it before the accept; cleared as soon as the state leaves Open.
    private volatile bool _open;

    /// <summary>Where the connection is in its life, as this consumer has seen it.</summary>
    protected WebSocketState State
    {
        get => _state;
        private set
        {
            _state = value;
            if (value != WebSocketState.Open)
            {
                _open = false;
            }
        }
    }

    /// <summary>Runs when the client asks to connect. The default accepts; close instead to refuse (HTTP 403).</summary>
    protected virtual Task OnConnectAsync() => AcceptAsync();

    /// <summary>Runs for each frame from the client: <paramref name="text"/> for a text frame, <paramref name="bytes"/> for a binary one.</summary>
    protected virtual Task OnReceiveAsync(string? text, byte[]? bytes) => Task.CompletedTask;

    /// <summary>Runs once when the connection is over, whoever closed it; <paramref name="code"/> is the close code.</summary>
    protected virtual Task OnDisconnectAsync(int code) => Task.CompletedTask;

    /// <summary>Accepts the connection, optionally choosing one of the offered <paramref name="subprotocol"/>s and adding response headers.</summary>
    /// <exception cref="ProtocolViolationException">Already accepted or closed, or the subprotocol was not offered.</exception>
    protected Task AcceptAsync(string? subprotocol = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        Transmit(new AcceptSocket(subprotocol, headers is null ? [] : [.. headers]));
        _accepted = true;
        _open = State == WebSocketState.Open;
        return Task.CompletedTask;
    }

    /// <summary>Sends a text frame; once the connection is closed (by either side), dropped.</summary>
    /// <exception cref="ProtocolViolationException">Not accepted yet.</exception>
    protected Task SendAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Transmit(SendFrame.FromText(text));
        return Task.CompletedTask;
    }

    /// <summary>Sends a binary frame; once the connection is closed (by either side), dropped.</summary>
    /// <exception cref="ProtocolViolationException">Not accepted yet.</exception>
    protected Task SendAsync(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Transmit(SendFrame.FromBytes(bytes));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Closes the connection with <paramref name="code"/> (1000 or 3000-4999) and an optional reason; before
    /// accepting, refuses the handshake (HTTP 403). Closing twice does nothing the second time.
    /// </summary>
    /// <exception cref="ProtocolViolationException">The code is not 1000 or 3000-4999, or the reason is over 123 bytes.</exception>
    protected Task CloseAsync(int code = CloseCodes.Normal, string? reason = null)
    {
        var wasClosed = State is WebSocketState.Closed or WebSocketState.Disconnected;
        var command = new CloseSocket(code, reason);
        State = WebSocketCommandValidator.Apply(State, command, Scope);
        if (!wasClosed)
        {
            ToTransport(command);
        }

        return Task.CompletedTask;
    }

    /// <summary>Sends a command after validating it against the connection's state; a frame after a close is dropped.</summary>
    private protected void Transmit(OutboundCommand command)
    {
        State = WebSocketCommandValidator.Apply(State, command, Scope);
        if (State == WebSocketState.Open)
        {
            ToTransport(command);
        }
    }

    /// <summary>Closes the connection with a server-side code (1003, 1007, 1008, ...) that consumers may not choose themselves.</summary>
    private protected void CloseWithServerCode(int code, string reason)
    {
        if (State is WebSocketState.Closed or WebSocketState.Disconnected)
        {
            return;
        }

        State = WebSocketState.Closed;
        ToTransport(new CloseSocket(code, reason));
    }

    /// <summary>Whether the connection is open, as seen from a thread other than the consumer's.</summary>
    private protected bool IsOpenToOthers => _open;

    /// <summary>
    /// Sends <paramref name="frame"/> from a thread other than the consumer's (a forwarded message), if the connection is
    /// open; false otherwise. A frame sent while the consumer closes may be dropped, as any frame queued after the close.
    /// </summary>
    private protected bool TrySendFromOutside(SendFrame frame)
    {
        if (!_open || _transport is not { } transport)
        {
            return false;
        }

        using (LeaveHookContext())
        {
            transport.Send(frame);
        }

        return true;
    }

    private IConnectionTransport Transport => _transport ?? throw new InvalidOperationException("This consumer has no transport: it was not started by a routing actor.");

    /// <summary>Hands <paramref name="command"/> to the transport, outside the hooks' synchronization context (the transport's code is not the actor's).</summary>
    private void ToTransport(OutboundCommand command)
    {
        using (LeaveHookContext())
        {
            Transport.Send(command);
        }
    }

    private protected override bool OnFrameworkMessage(object message)
    {
        switch (message)
        {
            case AttachTransport attach:
                _transport = attach.Transport;
                return true;
            case SocketConnected:
                RunHook(static self => self.ConnectAsync(), this);
                return true;
            case FrameReceived frame:
                RunHook(static s => s.Self.ReceiveAsync(s.Frame), (Self: this, Frame: frame));
                return true;
            case SocketDisconnected disconnected:
                RunHook(static s => s.Self.DisconnectedAsync(s.Code), (Self: this, disconnected.Code));
                return true;
            default:
                return false;
        }
    }

    private async Task ConnectAsync()
    {
        await JoinGroupsAsync();
        await Hook(OnConnectAsync(), nameof(OnConnectAsync));
    }

    /// <summary>What a hook returned, or a clear error (as its failure) for an override that returned null.</summary>
    private Task Hook(Task? returned, string name) =>
        returned ?? throw new InvalidOperationException($"{GetType().Name}.{name} returned null instead of a task: return Task.CompletedTask (or make it async).");

    private async Task ReceiveAsync(FrameReceived frame)
    {
        try
        {
            if (State == WebSocketState.Open)
            {
                await ReceiveFrameAsync(frame);
            }
        }
        finally
        {
            using (LeaveHookContext())
            {
                _transport?.FrameProcessed();
            }
        }
    }

    /// <summary>Hands a frame to the consumer's receive hook; a JSON consumer parses a frame's UTF-8 without decoding it first.</summary>
    private protected virtual Task ReceiveFrameAsync(FrameReceived frame) => Hook(OnReceiveAsync(frame.Text, frame.Bytes), nameof(OnReceiveAsync));

    private async Task DisconnectedAsync(int code)
    {
        State = WebSocketState.Disconnected;
        try
        {
            await RunDisconnectHookAsync(code);
        }
        finally
        {
            await LeaveGroupsAsync();
        }

        Context.Stop(Self);
    }

    private async Task RunDisconnectHookAsync(int code)
    {
        if (_disconnectRan)
        {
            return;
        }

        _disconnectRan = true;
        var timeout = Runtime.ConsumerSettings.DisconnectTimeout;
        var hook = Hook(OnDisconnectAsync(code), nameof(OnDisconnectAsync));
        if (!hook.IsCompleted)
        {
            using var cancel = new CancellationTokenSource();
            var winner = await Task.WhenAny(hook, Task.Delay(timeout, Runtime.Time, cancel.Token));
            await cancel.CancelAsync();
            if (winner != hook)
            {
                ConsumerLog.DisconnectTimedOut(Logger, GetType().Name, Scope.Path, timeout);
                return;
            }
        }

        await hook;
    }

    private protected override async Task FailAsync(Exception error)
    {
        ConsumerLog.ConsumerFailed(Logger, error, GetType().Name, Scope.Path, TryChannelName());
        var wasLive = State is WebSocketState.Connecting or WebSocketState.Open;
        State = WebSocketState.Closed;
        using (LeaveHookContext())
        {
            if (wasLive)
            {
                _transport?.Fail(error);
            }
            else
            {
                _transport?.FailAfterClose(error);
            }
        }

        if (_accepted && !_disconnectRan)
        {
            try
            {
                await RunDisconnectHookAsync(CloseCodes.InternalError);
            }
#pragma warning disable CA1031 // The consumer is stopping: a second failure is logged, not rethrown.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ConsumerLog.DisconnectFailed(Logger, e, GetType().Name, Scope.Path, TryChannelName());
            }
        }

        await LeaveGroupsAsync();
        Context.Stop(Self);
    }

    private protected override void OnStopped() => _transport?.ConsumerStopped();

    private string? TryChannelName()
    {
        try
        {
            return ChannelName;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
