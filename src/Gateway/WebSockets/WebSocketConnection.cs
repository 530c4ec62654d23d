using System.Net.WebSockets;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Actors;
using Switchboard.Actors.Protocol;
using Switchboard.Gateway.Hosting;
using Switchboard.Routing;

namespace Switchboard.Gateway.WebSockets;

/// <summary>
/// One WebSocket on Kestrel, the transport side of the typed protocol: holds the handshake until the consumer
/// accepts or refuses, then pumps frames both ways. Inbound frames are handed over with a bounded number in
/// flight (the socket is not read while the consumer is behind); outbound frames go through a bounded queue,
/// and a client too slow to drain it is closed with 1008.
/// </summary>
internal sealed partial class WebSocketConnection : IConnectionTransport
{
    private readonly HttpContext _context;
    private readonly ConnectionScope _scope;
    private readonly GatewaySettings _settings;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<HandshakeAnswer> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _inFlight;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _abort = new();
    private readonly TokenBucket? _rateLimit;
    private WebSocket? _socket;
    private IActorRef? _consumer;
    private volatile bool _acceptRequested;
    private volatile bool _consumerGone;
    private bool _peerBrokeProtocol;
    private int _closeStarted;
    private int _stopReported;
    private int _slowReported;
    private int _closeCode = CloseCodes.Abnormal;

    public WebSocketConnection(HttpContext context, ConnectionScope scope, GatewaySettings settings, ILogger logger)
    {
        _context = context;
        _scope = scope;
        _settings = settings;
        _logger = logger;
        _inFlight = new SemaphoreSlim(settings.MaxFramesInFlight, settings.MaxFramesInFlight);
        _rateLimit = settings.RateLimitMessagesPerSecond > 0 ? new TokenBucket(settings.RateLimitMessagesPerSecond, settings.RateLimitBurst, TimeProvider.System) : null;
    }

    private string Id => _context.TraceIdentifier;

    /// <summary>Serves the connection from handshake to close.</summary>
    public async Task RunAsync(IActorRef router, ConnectionRegistry registry)
    {
        if (!registry.TryAdd(this, _settings.MaxConnections))
        {
            GatewayLog.Refused(_logger, Id, _scope.Path, 503, registry.IsClosing ? "the node is shutting down" : $"the node holds its maximum of {_settings.MaxConnections} connections");
            await RespondAsync(StatusCodes.Status503ServiceUnavailable);
            return;
        }

        try
        {
            if (await HandshakeAsync(router))
            {
                await PumpAsync();
            }
        }
        finally
        {
            registry.Remove(this);
            _ = StopSendingAsync();
            _abort.Dispose();
            _socket?.Dispose();
        }
    }

    /// <summary>Starts the server's side of the close handshake (or refuses a pending handshake with 503).</summary>
    public async Task CloseFromServerAsync(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) == 1)
        {
            return;
        }

        if (_socket is not { } socket)
        {
            _handshake.TrySetResult(new HandshakeAnswer(null, new CloseSocket(code, reason), null, ServerClosed: true));
            return;
        }

        _closeCode = code;
        try
        {
            if (await _sendLock.WaitAsync(_settings.CloseTimeout).ConfigureAwait(false))
            {
                try
                {
                    using var timeout = new CancellationTokenSource(_settings.CloseTimeout);
                    await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            else
            {
                Abort();
                return;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            Abort();
            return;
        }

        // The peer has close-timeout to answer our close frame before the socket is dropped.
        _ = Task.Delay(_settings.CloseTimeout).ContinueWith(_ => Abort(), TaskScheduler.Default);
    }

    void IConnectionTransport.Send(OutboundCommand command)
    {
        if (command is AcceptSocket || (command is CloseSocket && !_acceptRequested))
        {
            _acceptRequested |= command is AcceptSocket;
            _handshake.TrySetResult(new HandshakeAnswer(command as AcceptSocket, command as CloseSocket, null));
            return;
        }

        // Commands come from the consumer's turn and from threads that forward a delivery: only the first to find the
        // queue full reports it and closes.
        if (!TryQueue(command) && Volatile.Read(ref _closeStarted) == 0 && Interlocked.Exchange(ref _slowReported, 1) == 0)
        {
            GatewayLog.SlowClient(_logger, Id, _scope.Path, _settings.OutboundQueueSize);
            _ = CloseFromServerAsync(CloseCodes.PolicyViolation, "The client reads too slowly: its outbound queue is full.");
        }
    }

    void IConnectionTransport.FrameProcessed()
    {
        try
        {
            _inFlight.Release();
        }
        catch (SemaphoreFullException)
        {
            // A late acknowledgement after the connection reset its accounting; nothing is waiting.
        }
    }

    void IConnectionTransport.Fail(Exception error)
    {
        if (!_acceptRequested)
        {
            _handshake.TrySetResult(new HandshakeAnswer(null, null, error));
            return;
        }

        _consumerGone = true;
        _ = CloseFromServerAsync(CloseCodes.InternalError, "Internal server error.");
    }

    void IConnectionTransport.ConsumerStopped()
    {
        // Reported by the consumer itself and again by the routing actor when it sees the consumer terminate.
        if (Interlocked.Exchange(ref _stopReported, 1) == 1)
        {
            return;
        }

        _consumerGone = true;
        if (!_handshake.Task.IsCompleted)
        {
            // Only a consumer that stopped during its handshake needs the error; every other stop would allocate it for nothing.
            _handshake.TrySetResult(new HandshakeAnswer(null, null, new InvalidOperationException("The consumer stopped before it accepted or refused the connection.")));
        }
        if (_socket is not null)
        {
            // Queued frames go out first; then the socket closes normally if nobody closed it yet.
            TryQueue(new CloseSocket(CloseCodes.Normal));
        }
    }

    private void Abort()
    {
        try
        {
            _abort.Cancel();
            _socket?.Abort();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    private sealed record HandshakeAnswer(AcceptSocket? Accept, CloseSocket? Close, Exception? Failure, bool ServerClosed = false);
}
