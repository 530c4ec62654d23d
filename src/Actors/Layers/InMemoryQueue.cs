namespace Switchboard.Actors.Layers;

/// <summary>
/// The messages waiting on one queue-backed channel of an <see cref="InMemoryChannelLayer"/>, and the
/// <see cref="InMemoryChannelLayer.ReceiveAsync"/> calls waiting for them. Every member is used under <see cref="Gate"/>.
/// </summary>
internal sealed class InMemoryQueue
{
    private readonly Queue<(object Message, long ExpiresAt)> _items = new();
    private readonly LinkedList<Waiter> _waiters = new();

    /// <summary>Guards the queue.</summary>
    public Lock Gate { get; } = new();

    /// <summary>
    /// The queue left the layer's table (it went idle or an actor bound its name); whoever holds a reference
    /// to it must look the channel up again.
    /// </summary>
    public bool Closed { get; set; }

    public int Count => _items.Count;

    /// <summary>No message is queued and nobody is waiting, so the queue can be dropped and made again on demand.</summary>
    public bool IsIdle => _items.Count == 0 && _waiters.Count == 0;

    public void Enqueue(object message, long expiresAt) => _items.Enqueue((message, expiresAt));

    public bool TryDequeue(out object message)
    {
        var found = _items.TryDequeue(out var item);
        message = item.Message;
        return found;
    }

    /// <summary>Drops the messages whose deadline has passed; deadlines grow along the queue, so they are all at its head.</summary>
    /// <returns>Whether any message expired.</returns>
    public bool DropExpired(long now)
    {
        var dropped = false;
        while (_items.TryPeek(out var item) && now > item.ExpiresAt)
        {
            _items.Dequeue();
            dropped = true;
        }

        return dropped;
    }

    /// <summary>Gives <paramref name="message"/> straight to the longest-waiting receiver, if there is one.</summary>
    public bool TryHandToWaiter(object message)
    {
        while (_waiters.First is { } node)
        {
            _waiters.RemoveFirst();
            if (node.Value.TrySetResult(message))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Registers a receiver; it completes when a message is handed to it or when it is cancelled.</summary>
    public Waiter AddWaiter()
    {
        var waiter = new Waiter(this);
        waiter.Node = _waiters.AddLast(waiter);
        return waiter;
    }

    /// <summary>Takes every live message out, in order, and fails every receiver with <paramref name="error"/>.</summary>
    public List<(object Message, long ExpiresAt)> Close(long now, Exception error)
    {
        Closed = true;
        DropExpired(now);
        var items = _items.ToList();
        _items.Clear();
        while (_waiters.First is { } node)
        {
            _waiters.RemoveFirst();
            node.Value.TrySetException(error);
        }

        return items;
    }

    /// <summary>A pending <see cref="InMemoryChannelLayer.ReceiveAsync"/>.</summary>
    internal sealed class Waiter(InMemoryQueue queue) : TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LinkedListNode<Waiter>? Node { get; set; }

        /// <summary>Leaves the queue, so that no message is handed to a receiver that is gone, then cancels.</summary>
        public void Cancel(CancellationToken cancellationToken)
        {
            lock (queue.Gate)
            {
                if (Node?.List is not null)
                {
                    queue._waiters.Remove(Node);
                }
            }

            TrySetCanceled(cancellationToken);
        }
    }
}
