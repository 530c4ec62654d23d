using Akka.Actor;

namespace Switchboard.Actors.Layers;

/// <summary>The queue-backed channels: receiving, queueing, expiry, and handing a queue over to an actor that binds its name.</summary>
public sealed partial class InMemoryChannelLayer
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The channel is bound to an actor (the task faults with it).</exception>
    public Task<object> ReceiveAsync(string channel, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireChannel(channel, nameof(channel));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<object>(cancellationToken);
        }

        var now = _time.GetTimestamp();
        SweepIfDue(now);
        while (true)
        {
            if (_bindings.ContainsKey(channel))
            {
                return Task.FromException<object>(BoundChannelError(channel));
            }

            var queue = _queues.GetOrAdd(channel, static _ => new InMemoryQueue());
            Task<object>? received = null;
            InMemoryQueue.Waiter? waiter = null;
            bool expired;
            lock (queue.Gate)
            {
                if (IsStale(channel, queue))
                {
                    continue;
                }

                expired = queue.DropExpired(now);
                if (queue.TryDequeue(out var message))
                {
                    received = Task.FromResult(message);
                }
                else
                {
                    waiter = queue.AddWaiter();
                }
            }

            if (expired)
            {
                RemoveFromAllGroups(channel);
            }

            return received ?? WaitAsync(waiter!, cancellationToken);
        }
    }

    private static async Task<object> WaitAsync(InMemoryQueue.Waiter waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static (state, token) => ((InMemoryQueue.Waiter)state!).Cancel(token), waiter))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues <paramref name="message"/> on <paramref name="channel"/>, or hands it to a waiting receiver. With
    /// <paramref name="fromGroup"/>, a channel that had a message expire is skipped: it is leaving its groups.
    /// </summary>
    private Outcome Enqueue(string channel, object message, long now, bool fromGroup, out bool expired)
    {
        expired = false;
        var queue = _queues.GetOrAdd(channel, static _ => new InMemoryQueue());
        lock (queue.Gate)
        {
            if (IsStale(channel, queue))
            {
                return Outcome.Retry;
            }

            expired = queue.DropExpired(now);
            if (expired && fromGroup)
            {
                return Outcome.Expired;
            }

            if (queue.TryHandToWaiter(message))
            {
                return Outcome.Sent;
            }

            if (queue.Count >= Settings.Capacity)
            {
                return Outcome.Full;
            }

            queue.Enqueue(message, Deadline(now));
            return Outcome.Sent;
        }
    }

    /// <summary>
    /// Whether <paramref name="queue"/> (held under its gate) must not be used: it was closed, or an actor bound the name
    /// after the caller looked, and the caller must go to the binding. The queue is left for <see cref="Bind"/> to hand
    /// over (it may hold older messages) or, if made after the bind, for the sweep (it never holds a message).
    /// </summary>
    private bool IsStale(string channel, InMemoryQueue queue) => queue.Closed || _bindings.ContainsKey(channel);

    /// <summary>Runs inside <see cref="InMemoryBinding.Drain"/>: publishes the binding, then tells it what was queued for its name.</summary>
    private void AdoptQueuedMessages(InMemoryBinding binding)
    {
        if (!_bindings.TryAdd(binding.Name, binding))
        {
            throw new InvalidOperationException(
                $"Channel '{binding.Name}' is already bound to an actor. Dispose that binding before binding the name again.");
        }

        if (!_queues.TryRemove(binding.Name, out var queue))
        {
            return;
        }

        lock (queue.Gate)
        {
            foreach (var (message, expiresAt) in queue.Close(_time.GetTimestamp(), BoundChannelError(binding.Name)))
            {
                binding.ForceReserve();
                binding.Actor.Tell(new ChannelDelivery(message, expiresAt, _time), ActorRefs.NoSender);
            }
        }
    }

    private static InvalidOperationException BoundChannelError(string channel) =>
        new($"Channel '{channel}' is bound to an actor, which receives its messages; ReceiveAsync reads only unbound channels.");

    /// <summary>At most once per expiry, purges every queue and group, so that channels nobody reads do not pile up.</summary>
    private void SweepIfDue(long now)
    {
        var due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + _sweepIntervalTicks, due) != due)
        {
            return;
        }

        foreach (var (channel, queue) in _queues)
        {
            bool expired;
            lock (queue.Gate)
            {
                expired = queue.DropExpired(now);
                if (queue.IsIdle && !queue.Closed)
                {
                    queue.Closed = true;
                    _queues.TryRemove(KeyValuePair.Create(channel, queue));
                }
            }

            if (expired)
            {
                RemoveFromAllGroups(channel);
            }
        }

        PurgeExpiredMemberships(now);
    }
}
