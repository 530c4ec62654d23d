using System.Net.WebSockets;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Protocol;
using Switchboard.Routing;

namespace Switchboard.Gateway.WebSockets;

internal sealed partial class WebSocketConnection
{
    /// <summary>Resolves the consumer and waits for its answer; true when the socket was accepted.</summary>
    private async Task<bool> HandshakeAsync(IActorRef router)
    {
        // Answered through a completion source rather than Ask: no temporary actor, promise and timer per connection.
        var answered = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        router.Tell(new OpenConnection(_scope, this, _settings.HandshakeTimeout) { Reply = answered }, ActorRefs.NoSender);
        object reply;
        try
        {
            reply = await answered.Task.WaitAsync(_settings.HandshakeTimeout);
        }
        catch (TimeoutException)
        {
            GatewayLog.Refused(_logger, Id, _scope.Path, 503, "the routing actor did not answer in time");
            await RespondAsync(StatusCodes.Status503ServiceUnavailable);
            return false;
        }

        if (reply is ConnectionRefused refused)
        {
            GatewayLog.Refused(_logger, Id, _scope.Path, refused.StatusCode, refused.Reason);
            await RespondAsync(refused.StatusCode);
            return false;
        }

        _consumer = ((ConnectionOpened)reply).Consumer;
        _consumer.Tell(SocketConnected.Instance);

        HandshakeAnswer answer;
        try
        {
            answer = await _handshake.Task.WaitAsync(_settings.HandshakeTimeout, _context.RequestAborted);
        }
        catch (TimeoutException)
        {
            GatewayLog.Refused(_logger, Id, _scope.Path, 503, $"the consumer did not accept or refuse within {_settings.HandshakeTimeout}");
            await RespondAsync(StatusCodes.Status503ServiceUnavailable);
            ReportDisconnect(CloseCodes.Abnormal);
            return false;
        }
        catch (OperationCanceledException)
        {
            ReportDisconnect(CloseCodes.Abnormal);
            return false;
        }

        if (answer.Accept is not { } accept)
        {
            var status = answer switch
            {
                { ServerClosed: true } => StatusCodes.Status503ServiceUnavailable,
                { Failure: not null } => StatusCodes.Status500InternalServerError,
                _ => StatusCodes.Status403Forbidden,
            };
            GatewayLog.Refused(_logger, Id, _scope.Path, status, answer.Failure is not null ? "the consumer failed while connecting" : "the consumer closed before accepting");
            await RespondAsync(status);
            if (answer.Failure is null)
            {
                // As in Channels, a refused consumer still gets its disconnect, so cleanup runs symmetrically.
                ReportDisconnect(answer.Close?.Code ?? CloseCodes.Abnormal);
            }

            return false;
        }

        foreach (var (name, value) in accept.Headers)
        {
            _context.Response.Headers.Append(name, value);
        }

        try
        {
            _socket = await _context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = accept.Subprotocol,
                KeepAliveInterval = _settings.KeepAliveInterval,
                KeepAliveTimeout = _settings.KeepAliveTimeout,
            });
        }
        catch (Exception e) when (e is WebSocketException or IOException or InvalidOperationException or OperationCanceledException)
        {
            GatewayLog.AcceptFailed(_logger, e, Id, _scope.Path);
            ReportDisconnect(CloseCodes.Abnormal);
            return false;
        }

        if (Volatile.Read(ref _closeStarted) == 1)
        {
            // The node began shutting down while the consumer was accepting.
            Interlocked.Exchange(ref _closeStarted, 0);
            _ = CloseFromServerAsync(CloseCodes.GoingAway, "The server is shutting down.");
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // Guarded: reading Id makes Kestrel build the request's trace identifier, which then lives as long as the socket.
            GatewayLog.Accepted(_logger, Id, _scope.Path, accept.Subprotocol);
        }

        return true;
    }

    private async Task RespondAsync(int status)
    {
        if (_context.Response.HasStarted)
        {
            return;
        }

        _context.Response.StatusCode = status;
        _context.Response.ContentType = "text/plain; charset=utf-8";
        await _context.Response.WriteAsync(ReasonPhrases.GetReasonPhrase(status));
    }

    private void ReportDisconnect(int code)
    {
        if (!_consumerGone && _consumer is { } consumer)
        {
            _consumerGone = true;
            consumer.Tell(new SocketDisconnected(code));
        }
    }
}
