using System.Net.WebSockets;
using Switchboard.Actors.Protocol;

namespace Switchboard.Gateway.WebSockets;

/// <summary>
/// The outbound side: a bounded queue of the consumer's commands, written to the socket in order by one drain at a time.
/// The thread that queues a command while no drain runs (usually the consumer actor's) drains it at once, so a frame goes
/// to Kestrel without a hop through the thread pool; only a send that cannot complete at once (the socket is backed up)
/// moves the drain to the thread pool, and commands queued meanwhile wait their turn behind it.
/// </summary>
internal sealed partial class WebSocketConnection
{
    private readonly Queue<OutboundCommand> _outbound = new();
    private readonly Lock _outboundGate = new();
    private bool _pumping;
    private bool _draining;
    private bool _outboundClosed;
    private TaskCompletionSource? _drainStopped;

    // The command that started the drain, handed over without the queue (set under the gate with _draining, read by the
    // drain that it starts, on the same thread).
    private OutboundCommand? _handoff;
    private Func<Task>? _drain;

    /// <summary>Queues <paramref name="command"/>; false when the queue is full. After the pump ends, commands are dropped.</summary>
    private bool TryQueue(OutboundCommand command)
    {
        lock (_outboundGate)
        {
            if (_outboundClosed)
            {
                return true;
            }

            if (_outbound.Count >= _settings.OutboundQueueSize)
            {
                return false;
            }

            if (!_pumping || _draining)
            {
                _outbound.Enqueue(command);
                return true;
            }

            // Nothing queued and no drain: the command goes to the drain it starts, not through the queue.
            _draining = true;
            _handoff = command;
        }

        DrainHere();
        return true;
    }

    /// <summary>The socket is open: commands queued since the consumer accepted go out now.</summary>
    private void StartSending()
    {
        lock (_outboundGate)
        {
            _pumping = true;
            if (_draining || _outbound.Count == 0)
            {
                return;
            }

            _draining = true;
        }

        DrainHere();
    }

    /// <summary>
    /// Starts the drain on this thread. The caller is usually a consumer, which calls its transport outside its actor's
    /// context (ConsumerActor.Hooks), so the drain starts directly; if the caller does run on another task scheduler, the
    /// drain (and Kestrel's code below it) is moved to the default one, so that nothing it awaits resumes as work queued
    /// to the actor.
    /// </summary>
    private void DrainHere()
    {
        if (TaskScheduler.Current == TaskScheduler.Default)
        {
            _ = DrainAsync();
            return;
        }

        new Task<Task>(_drain ??= DrainAsync).RunSynchronously(TaskScheduler.Default);
    }

    /// <summary>No more commands: drops what is queued and waits for the send in progress, if any, to end.</summary>
    private Task StopSendingAsync()
    {
        lock (_outboundGate)
        {
            _outboundClosed = true;
            _outbound.Clear();
            return _draining ? (_drainStopped ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
        }
    }

    private async Task DrainAsync()
    {
        var socket = _socket!;
        try
        {
            while ((_handoff ?? TryDequeue()) is { } command)
            {
                _handoff = null;
                switch (command)
                {
                    case SendFrame frame when Volatile.Read(ref _closeStarted) == 0:
                        await SendFrameAsync(socket, frame).ConfigureAwait(false);
                        break;
                    case CloseSocket close:
                        await CloseFromServerAsync(close.Code, close.Reason ?? "").ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The socket is gone; the receive loop reports the disconnect. Nothing more can be sent.
            TaskCompletionSource? stopped;
            lock (_outboundGate)
            {
                _outboundClosed = true;
                _outbound.Clear();
                _draining = false;
                stopped = _drainStopped;
            }

            stopped?.TrySetResult();
        }
    }

    /// <summary>The next command; or null when there is none, and then this drain has ended (decided under the same lock).</summary>
    private OutboundCommand? TryDequeue()
    {
        TaskCompletionSource? stopped;
        lock (_outboundGate)
        {
            if (!_outboundClosed && _outbound.TryDequeue(out var command))
            {
                return command;
            }

            _draining = false;
            stopped = _drainStopped;
        }

        stopped?.TrySetResult();
        return null;
    }
}
