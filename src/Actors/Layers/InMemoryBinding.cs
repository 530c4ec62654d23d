using Akka.Actor;

namespace Switchboard.Actors.Layers;

/// <summary>An actor bound to a channel name of an <see cref="InMemoryChannelLayer"/>, with its count of undelivered messages.</summary>
internal sealed class InMemoryBinding : ChannelBinding
{
    private readonly InMemoryChannelLayer _layer;
    private readonly int _capacity;
    private readonly Lock _drainGate = new();
    private volatile bool _draining;
    private int _pending;
    private int _disposed;

    public InMemoryBinding(InMemoryChannelLayer layer, string name, IActorRef actor, int capacity)
        : base(name)
    {
        _layer = layer;
        Actor = actor;
        _capacity = capacity;
    }

    public IActorRef Actor { get; }

    /// <summary>Whether the binding was disposed (the actor stopped): a group send that still holds it goes by name instead.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Messages told to the actor that it has not yet reported <see cref="Delivered"/>.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <inheritdoc />
    public override void Delivered()
    {
        var pending = Volatile.Read(ref _pending);
        while (pending > 0)
        {
            var seen = Interlocked.CompareExchange(ref _pending, pending - 1, pending);
            if (seen == pending)
            {
                return;
            }

            pending = seen;
        }
    }

    /// <summary>Takes one slot of the capacity; <see langword="false"/> when the channel is full.</summary>
    public bool TryReserve()
    {
        var pending = Volatile.Read(ref _pending);
        while (pending < _capacity)
        {
            var seen = Interlocked.CompareExchange(ref _pending, pending + 1, pending);
            if (seen == pending)
            {
                return true;
            }

            pending = seen;
        }

        return false;
    }

    /// <summary>
    /// Runs <paramref name="drain"/> (handing over messages queued before the name was bound) while senders that
    /// already see the binding wait in <see cref="AwaitDrain"/>, so that older messages reach the actor first.
    /// </summary>
    public void Drain(Action<InMemoryBinding> drain)
    {
        _draining = true;
        lock (_drainGate)
        {
            try
            {
                drain(this);
            }
            finally
            {
                _draining = false;
            }
        }
    }

    /// <summary>Waits while <see cref="Drain"/> runs; costs one volatile read otherwise.</summary>
    public void AwaitDrain()
    {
        if (_draining)
        {
            // Entering the gate is the wait: Drain holds it until the older messages are told.
            lock (_drainGate)
            {
            }
        }
    }

    /// <summary>Counts a message handed over while draining; the queue it came from was bounded by the same capacity.</summary>
    public void ForceReserve() => Interlocked.Increment(ref _pending);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _layer.Unbind(this);
        }
    }
}
