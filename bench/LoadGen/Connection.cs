using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// One client: its socket, a receive loop that decodes every record and hands the payloads on, and the state a
/// closed-loop scenario waits on (the sequence number it expects back).
/// </summary>
internal sealed class Connection : IRecordSink
{
    private readonly ClientWebSocket _socket;
    private readonly WireProtocol _protocol;
    private readonly Recorder _recorder;
    private readonly Action<Connection, Payload, long> _onPayload;
    private readonly long[] _lastSequenceBySender;
    private readonly byte[] _sendBuffer;
    private readonly int _padding;
    private TaskCompletionSource? _waiter;
    private long _awaitedSequence;
    private volatile bool _closing;

    public Connection(int index, Room room, ClientWebSocket socket, WireProtocol protocol, Recorder recorder, int padding, Action<Connection, Payload, long> onPayload)
    {
        Index = index;
        Room = room;
        _socket = socket;
        _protocol = protocol;
        _recorder = recorder;
        _padding = padding;
        _onPayload = onPayload;
        _lastSequenceBySender = new long[room.Size];
        _sendBuffer = new byte[Payload.MaxLength + padding + 128];
    }

    public int Index { get; }

    public Room Room { get; }

    public Task Receiving { get; private set; } = Task.CompletedTask;

    public void StartReceiving() => Receiving = Task.Run(ReceiveLoopAsync);

    /// <summary>Sends one message; only one send may be in flight per connection, which every scenario keeps to.</summary>
    public ValueTask SendAsync(Payload payload, CancellationToken cancellationToken = default)
    {
        var length = _protocol.Encode(payload, _padding, _sendBuffer);
        return _socket.SendAsync(_sendBuffer.AsMemory(0, length), WebSocketMessageType.Text, true, cancellationToken);
    }

    /// <summary>Arms the wait for this client's own message <paramref name="sequence"/>.</summary>
    public Task ExpectOwn(long sequence)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _waiter, waiter);
        Volatile.Write(ref _awaitedSequence, sequence);
        return waiter.Task;
    }

    /// <summary>Called from the receive loop when a message of this client's came back.</summary>
    public void OwnReceived(long sequence)
    {
        if (Volatile.Read(ref _awaitedSequence) == sequence)
        {
            Volatile.Read(ref _waiter)?.TrySetResult();
        }
    }

    public async Task CloseAsync(TimeSpan timeout)
    {
        _closing = true;
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
            }

            await Receiving.WaitAsync(cancel.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing is best effort: a server that does not answer in time is cut off.
        }
        finally
        {
            _socket.Dispose();
        }
    }

    void IRecordSink.OnPayload(Payload payload)
    {
        var now = Stopwatch.GetTimestamp();
        var position = payload.Sender - Room.First;
        if ((uint)position < (uint)_lastSequenceBySender.Length)
        {
            if (payload.Sequence <= _lastSequenceBySender[position])
            {
                _recorder.RecordOutOfOrder();
            }
            else
            {
                _lastSequenceBySender[position] = payload.Sequence;
            }
        }
        else
        {
            _recorder.RecordError($"client {Index} in {Room.Name} received a message from client {payload.Sender} of another room");
            return;
        }

        _recorder.RecordDelivery(payload.Stamp, now);
        _onPayload(this, payload, now);
    }

    void IRecordSink.OnUnexpected(string what)
    {
        // Once this client has started closing, what the server still says (SignalR's close message) is its answer.
        if (!_closing)
        {
            _recorder.RecordError($"client {Index} received an unexpected message: {what}");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (!_closing)
                    {
                        _recorder.RecordError($"client {Index}: the server closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription})");
                    }

                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                count += result.Count;
                if (_protocol.MessageFramed && !result.EndOfMessage)
                {
                    continue;
                }

                var consumed = _protocol.Decode(buffer.AsSpan(0, count), this);
                buffer.AsSpan(consumed, count - consumed).CopyTo(buffer);
                count -= consumed;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            if (!_closing)
            {
                _recorder.RecordError($"client {Index}: {e.Message}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
