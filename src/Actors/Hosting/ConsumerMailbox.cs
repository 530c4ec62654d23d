using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Switchboard.Actors.Hosting;

/// <summary>
/// The mailbox of consumer actors (<c>switchboard.consumer-mailbox</c>): unbounded, like Akka's default, but an idle
/// consumer holds no queue storage. Akka's default queue allocates a 32-slot segment for every actor when it starts
/// (about 1 KiB), which an idle connection keeps for its whole life; a node holds tens of thousands of them.
/// </summary>
public sealed class ConsumerMailbox : MailboxType, IProducesMessageQueue<ConsumerMessageQueue>
{
    /// <summary>The configuration path that names this mailbox (<c>Props.WithMailbox</c>).</summary>
    public const string ConfigPath = "switchboard.consumer-mailbox";

    /// <summary>Made by Akka from the mailbox's configuration section.</summary>
    public ConsumerMailbox(Settings settings, Config config)
        : base(settings, config)
    {
    }

    /// <inheritdoc />
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new ConsumerMessageQueue();
}

/// <summary>
/// A first-in first-out queue of envelopes behind a lock: any thread enqueues, the actor's turn dequeues. Its array is
/// allocated on the first message, grows by doubling, and is released again when a burst has drained, so a consumer
/// that is not receiving anything costs only this object.
/// </summary>
public sealed class ConsumerMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private const int InitialCapacity = 4;

    // Above this many slots an emptied queue gives its array back: a burst does not pin memory for the connection's life.
    private const int RetainedCapacity = 32;

    private readonly Lock _lock = new();
    private Envelope[]? _items;
    private int _head;
    private volatile int _count;

    /// <inheritdoc />
    public bool HasMessages => _count > 0;

    /// <inheritdoc />
    public int Count => _count;

    /// <inheritdoc />
    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_lock)
        {
            var items = _items;
            var count = _count;
            if (items is null || count == items.Length)
            {
                items = Grow(items, count);
            }

            var tail = _head + count;
            items[tail < items.Length ? tail : tail - items.Length] = envelope;
            _count = count + 1;
        }
    }

    /// <inheritdoc />
    public bool TryDequeue(out Envelope envelope)
    {
        if (_count == 0)
        {
            envelope = default;
            return false;
        }

        lock (_lock)
        {
            var count = _count;
            if (count == 0)
            {
                envelope = default;
                return false;
            }

            var items = _items!;
            envelope = items[_head];
            items[_head] = default;
            _head = _head + 1 == items.Length ? 0 : _head + 1;
            _count = count - 1;
            if (count == 1)
            {
                _head = 0;
                if (items.Length > RetainedCapacity)
                {
                    _items = null;
                }
            }

            return true;
        }
    }

    /// <inheritdoc />
    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        ArgumentNullException.ThrowIfNull(deadletters);
        while (TryDequeue(out var envelope))
        {
            deadletters.Enqueue(owner, envelope);
        }
    }

    private Envelope[] Grow(Envelope[]? items, int count)
    {
        var grown = new Envelope[items is null ? InitialCapacity : items.Length * 2];
        if (items is not null)
        {
            // Unroll the ring into the new array's start.
            var first = Math.Min(count, items.Length - _head);
            Array.Copy(items, _head, grown, 0, first);
            Array.Copy(items, 0, grown, first, count - first);
        }

        _items = grown;
        _head = 0;
        return grown;
    }
}
