using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;
using Akka.Actor;
using Switchboard.Actors.Protocol;

namespace Switchboard.Gateway.WebSockets;

internal sealed partial class WebSocketConnection
{
    private const int InitialReceiveBufferSize = 256;

    /// <summary>The largest receive buffer kept between messages (while they keep needing more than the initial size).</summary>
    private const int RetainedReceiveBufferSize = 4096;

    private async Task PumpAsync()
    {
        StartSending();
        var code = await ReceiveLoopAsync();
        if (_peerBrokeProtocol)
        {
            await AwaitPeerHangUpAsync();
        }

        var sending = StopSendingAsync();
        Abort();
        await sending;
        GatewayLog.Closed(_logger, Id, _scope.Path, code);
        ReportDisconnect(code);
    }

    /// <summary>
    /// The socket answered the peer's protocol error (invalid UTF-8, a bad frame) with its own close frame (1007 or
    /// 1002) and gave up. Aborting now resets the TCP connection, and a reset discards that close frame before the
    /// peer reads it; so the connection stays up until the peer hangs up, at most close-timeout.
    /// </summary>
    private async Task AwaitPeerHangUpAsync()
    {
        try
        {
            await Task.Delay(_settings.CloseTimeout, _context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The peer hung up.
        }
    }

    /// <summary>Reads messages until the peer's close (its code) or a failure (1006).</summary>
    private async Task<int> ReceiveLoopAsync()
    {
        var socket = _socket!;
        // Small to start with: an idle connection holds this buffer for its whole life (4 KiB was about a tenth of the
        // memory of an idle connection). A larger message grows it; the grown buffer is kept for the next message while
        // messages keep needing it, up to 4 KiB, so that a client sending 1 KiB messages does not grow it (four reads,
        // three rented arrays and their copies) for every one. A small message, or a buffer above 4 KiB, shrinks it back.
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
        var count = 0;
        var discarding = false;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _settings.MaxMessageSize + 1));
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                // Never offer more room than one byte past the limit: the WebSocket waits to fill what it is offered
                // from a large frame, so a frame that announces more than it sends would otherwise go unnoticed.
                var room = Math.Min(buffer.Length, _settings.MaxMessageSize + 1) - count;
                var result = await socket.ReceiveAsync(buffer.AsMemory(count, room), _abort.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var code = socket.CloseStatus is { } status ? (int)status : CloseCodes.NoStatus;
                    await AnswerCloseAsync(socket);
                    return Volatile.Read(ref _closeStarted) == 1 && _closeCode != CloseCodes.Abnormal ? _closeCode : code;
                }

                if (discarding)
                {
                    count = 0;
                    continue;
                }

                count += result.Count;
                if (count > _settings.MaxMessageSize)
                {
                    GatewayLog.ClientError(_logger, Id, _scope.Path, $"a message larger than {_settings.MaxMessageSize} bytes", CloseCodes.MessageTooBig);
                    discarding = true;
                    count = 0;
                    _ = CloseFromServerAsync(CloseCodes.MessageTooBig, "Message too big.");
                    continue;
                }

                // Every message takes a token, and so does an empty fragment (it carries nothing, but costs a read).
                if ((result.EndOfMessage || result.Count == 0) && _rateLimit is { } bucket && !bucket.TryTake())
                {
                    GatewayLog.RateLimited(_logger, Id, _scope.Path, _settings.RateLimitMessagesPerSecond, _settings.RateLimitBurst);
                    discarding = true;
                    count = 0;
                    _ = CloseFromServerAsync(CloseCodes.PolicyViolation, "Too many messages.");
                    continue;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                FrameReceived frame;
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    // Checked here, handed over as UTF-8: the consumer decodes the text only if it reads it (a JSON
                    // consumer parses the UTF-8 as it is).
                    if (!Utf8.IsValid(buffer.AsSpan(0, count)))
                    {
                        GatewayLog.ClientError(_logger, Id, _scope.Path, "a text frame that is not valid UTF-8", CloseCodes.InvalidPayload);
                        discarding = true;
                        count = 0;
                        _ = CloseFromServerAsync(CloseCodes.InvalidPayload, "Invalid UTF-8.");
                        continue;
                    }

                    frame = FrameReceived.FromUtf8(buffer.AsSpan(0, count).ToArray());
                }
                else
                {
                    frame = FrameReceived.FromBytes(buffer.AsSpan(0, count).ToArray());
                }

                if (buffer.Length > InitialReceiveBufferSize && (count <= InitialReceiveBufferSize || buffer.Length > RetainedReceiveBufferSize))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
                }

                count = 0;
                await _inFlight.WaitAsync(_abort.Token);
                if (_consumerGone)
                {
                    continue;
                }

                _consumer!.Tell(frame);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            if (Volatile.Read(ref _closeStarted) == 1 && _closeCode != CloseCodes.Abnormal)
            {
                // We closed, and the peer did not answer in time or hung up without answering: the connection ended
                // for the reason we closed it, so report the code we closed with.
                return _closeCode;
            }

            if (e is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted or WebSocketError.HeaderError or WebSocketError.InvalidMessageType })
            {
                GatewayLog.ProtocolError(_logger, Id, _scope.Path, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
                _peerBrokeProtocol = true;
            }
            else if (e is OperationCanceledException && !_abort.IsCancellationRequested && socket.State == System.Net.WebSockets.WebSocketState.Aborted)
            {
                // Nothing of ours aborted the socket: the WebSocket itself did, because a ping went unanswered.
                GatewayLog.KeepAliveTimedOut(_logger, Id, _scope.Path, _settings.KeepAliveTimeout);
            }

            return socket.CloseStatus is { } status ? (int)status : CloseCodes.Abnormal;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task AnswerCloseAsync(WebSocket socket)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) == 1 || socket.State != System.Net.WebSockets.WebSocketState.CloseReceived)
        {
            return;
        }

        try
        {
            if (await _sendLock.WaitAsync(_settings.CloseTimeout))
            {
                try
                {
                    using var timeout = new CancellationTokenSource(_settings.CloseTimeout);
                    await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer is gone already; nothing more to say to it.
        }
    }

    /// <remarks>
    /// The socket's sends take no cancellation token: with one, ManagedWebSocket takes its slow path for every frame (an
    /// async state machine, a token registration and a cancellable write and flush); without, a frame that Kestrel takes
    /// at once costs neither. A send that cannot complete (a client that does not read) still ends when the connection is
    /// aborted: <see cref="Abort"/> aborts the socket (what the token's registration did), and that ends Kestrel's pending
    /// flush as well (WebSocketConnectionBackpressureTests and SlowRoomMemberTests wait for such a connection to report
    /// its disconnect).
    /// </remarks>
    private async Task SendFrameAsync(WebSocket socket, SendFrame frame)
    {
        await _sendLock.WaitAsync(_abort.Token).ConfigureAwait(false);
        try
        {
            if (frame.Bytes is { } bytes)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (frame.Utf8 is { } utf8)
            {
                await socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var text = frame.Text!;
            var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
            try
            {
                var length = Encoding.UTF8.GetBytes(text, rented);
                await socket.SendAsync(rented.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
