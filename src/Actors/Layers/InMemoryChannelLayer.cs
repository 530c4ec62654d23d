using System.Collections.Concurrent;
using System.Security.Cryptography;
using Akka.Actor;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Layers;

/// <summary>
/// A channel layer inside one process (Channels' <c>InMemoryChannelLayer</c>): the default when no other layer is
/// configured, and the layer for tests. It does not reach other processes or cluster nodes.
/// </summary>
/// <remarks>
/// <para>
/// A channel is either bound to an actor (<see cref="Bind"/>), which is told a <see cref="ChannelDelivery"/> per message,
/// or a queue read with <see cref="ReceiveAsync"/>. As in Channels, a send to any valid name nobody has bound queues the
/// message for a later <see cref="ReceiveAsync"/>; a worker that binds the name afterwards is handed the queued messages first.
/// </para>
/// <para>
/// Capacity counts undelivered messages per full channel name (Channels' in-memory choice, not Redis' per-process
/// budget): messages queued, or told to the actor and not yet reported with <see cref="ChannelBinding.Delivered"/>.
/// Queued messages older than <see cref="ChannelLayerSettings.Expiry"/> are dropped when the queue is next used and by a
/// sweep that runs at most once per expiry; a queue that lost a message that way is removed from every group, because
/// nobody is reading it. Group memberships last <see cref="ChannelLayerSettings.GroupExpiry"/> after their last add.
/// </para>
/// </remarks>
public sealed partial class InMemoryChannelLayer : IChannelLayer
{
    private const string NameLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string NameInfix = ".inmemory!";
    private const int NameRandomLength = 12;

    private readonly ConcurrentDictionary<string, InMemoryBinding> _bindings = new();
    private readonly ConcurrentDictionary<string, InMemoryQueue> _queues = new();
    private readonly TimeProvider _time;
    private readonly long _expiryTicks;
    private readonly long _groupExpiryTicks;
    private readonly long _sweepIntervalTicks;
    private long _nextSweep;
    private long _groupSendsSkipped;

    /// <summary>Creates an empty layer.</summary>
    /// <param name="settings">Capacity and expiries; <see cref="ChannelLayerSettings.Default"/> when <see langword="null"/>.</param>
    /// <param name="time">The clock for every deadline; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InMemoryChannelLayer(ChannelLayerSettings? settings = null, TimeProvider? time = null)
    {
        Settings = settings ?? ChannelLayerSettings.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Settings.Capacity, 1, nameof(settings));
        _time = time ?? TimeProvider.System;
        _expiryTicks = ToTimestampTicks(Settings.Expiry);
        _groupExpiryTicks = ToTimestampTicks(Settings.GroupExpiry);
        _sweepIntervalTicks = Math.Max(_expiryTicks, ToTimestampTicks(TimeSpan.FromSeconds(1)));
        _nextSweep = _time.GetTimestamp() + _sweepIntervalTicks;
    }

    /// <summary>The capacity and expiries this layer applies.</summary>
    public ChannelLayerSettings Settings { get; }

    /// <summary>How many times a group send skipped a member because its channel was full (Channels drops these silently).</summary>
    public long GroupSendsSkipped => Interlocked.Read(ref _groupSendsSkipped);

    /// <summary>How many queue-backed channels the layer holds (for tests of its bounds).</summary>
    internal int QueueCount => _queues.Count;

    private enum Outcome
    {
        Sent,
        Full,
        Expired,
        Retry,
    }

    /// <inheritdoc />
    public Task SendAsync(string channel, object message, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireChannel(channel, nameof(channel));
        ArgumentNullException.ThrowIfNull(message);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var now = _time.GetTimestamp();
        SweepIfDue(now);
        ChannelDelivery? delivery = null;
        return Deliver(channel, message, now, ref delivery, fromGroup: false) == Outcome.Full
            ? Task.FromException(new ChannelFullException(channel))
            : Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0 || prefix.Contains('!', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A channel prefix must be a non-empty channel name without '!' (got '{prefix}').", nameof(prefix));
        }

        ChannelNames.RequireChannel(NewName(prefix), nameof(prefix));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<string>(cancellationToken);
        }

        SweepIfDue(_time.GetTimestamp());
        while (true)
        {
            var name = NewName(prefix);
            if (!_bindings.ContainsKey(name) && _queues.TryAdd(name, new InMemoryQueue()))
            {
                return Task.FromResult(name);
            }
        }
    }

    /// <inheritdoc />
    public ChannelBinding Bind(IActorRef actor, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (name is null)
        {
            while (true)
            {
                var fresh = new InMemoryBinding(this, NewName("specific"), actor, Settings.Capacity);
                if (!_queues.ContainsKey(fresh.Name) && _bindings.TryAdd(fresh.Name, fresh))
                {
                    return fresh;
                }
            }
        }

        ChannelNames.RequireChannel(name, nameof(name));
        var binding = new InMemoryBinding(this, name, actor, Settings.Capacity);
        binding.Drain(AdoptQueuedMessages);
        RefreshGroupsOf(name);
        return binding;
    }

    /// <summary>Removes <paramref name="binding"/> from the layer and from every group (its <see cref="ChannelBinding.Dispose()"/>).</summary>
    internal void Unbind(InMemoryBinding binding)
    {
        if (_bindings.TryRemove(KeyValuePair.Create(binding.Name, binding)))
        {
            RemoveFromAllGroups(binding.Name);
        }
    }

    /// <summary>Sends to one channel, whichever kind it is; a group send shares one <paramref name="delivery"/> among its actors.</summary>
    private Outcome Deliver(string channel, object message, long now, ref ChannelDelivery? delivery, bool fromGroup)
    {
        while (true)
        {
            if (_bindings.TryGetValue(channel, out var binding))
            {
                return Tell(binding, message, now, ref delivery, fromGroup);
            }

            var outcome = Enqueue(channel, message, now, fromGroup, out var expired);
            if (expired)
            {
                RemoveFromAllGroups(channel);
            }

            if (outcome != Outcome.Retry)
            {
                return outcome;
            }
        }
    }

    /// <summary>
    /// Hands the message to <paramref name="binding"/>'s forwarder when it takes it and the actor has no older message of
    /// the layer still to handle (so a sender's messages keep their order); otherwise tells the actor, if its channel has
    /// room.
    /// </summary>
    private Outcome Tell(InMemoryBinding binding, object message, long now, ref ChannelDelivery? delivery, bool fromGroup)
    {
        binding.AwaitDrain();
        if (binding.Forwarder is { } forwarder && binding.Pending == 0)
        {
            delivery ??= new ChannelDelivery(message, Deadline(now), _time) { IsGroupSend = fromGroup };
            if (forwarder.TryForward(delivery))
            {
                return Outcome.Sent;
            }
        }

        if (!binding.TryReserve())
        {
            return Outcome.Full;
        }

        delivery ??= new ChannelDelivery(message, Deadline(now), _time) { IsGroupSend = fromGroup };
        binding.Actor.Tell(delivery, ActorRefs.NoSender);
        return Outcome.Sent;
    }

    private static string NewName(string prefix) => string.Create(
        prefix.Length + NameInfix.Length + NameRandomLength,
        prefix,
        static (span, prefix) =>
        {
            prefix.AsSpan().CopyTo(span);
            NameInfix.AsSpan().CopyTo(span[prefix.Length..]);
            RandomNumberGenerator.GetItems(NameLetters, span[(prefix.Length + NameInfix.Length)..]);
        });

    private long Deadline(long now) => now + _expiryTicks;

    private static bool HasElapsed(long since, long ticks, long now) => now - since > ticks;

    private long ToTimestampTicks(TimeSpan span)
    {
        // Clamped so that a deadline (now + ticks) cannot overflow, however long the configured expiry.
        var ticks = Math.Max(0, span.TotalSeconds) * _time.TimestampFrequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)ticks;
    }
}
