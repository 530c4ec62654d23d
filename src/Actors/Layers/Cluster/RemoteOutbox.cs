using Akka.Actor;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// Counts what this node has handed to remoting for other nodes, and what each reachable node has confirmed, so that
/// the layer can stop handing more when a node falls behind (Akka's remoting would buffer it without limit).
/// </summary>
/// <remarks>
/// Every message for another node, whatever its destination, takes the next number. Every <c>fence-every</c>
/// messages (and on a timer) the layer publishes a <see cref="Fence"/> carrying the last number to all the nodes'
/// hubs. A fence travels the same connection as the messages before it, so when node X confirms fence n, nothing
/// numbered up to n is still queued for X on this node: the backlog for X is at most <see cref="Sent"/> - n, counted
/// over all messages (an overestimate for a node that was not the destination of them all). Nodes are learnt from
/// their first confirmation, and forgotten while unreachable: Akka's remoting gates a broken connection and drops what
/// is sent to it, and a node is not allowed to stop the rest of the cluster while the failure detector says it is gone.
/// Thread-safe: senders call <see cref="TryTake"/> from any thread; the hub alone changes the confirmations.
/// </remarks>
internal sealed class RemoteOutbox(int capacity)
{
    private readonly Dictionary<Address, long> _confirmed = [];
    private readonly object _gate = new();
    private long _sent;
    private long _fenced;
    private long _lowestConfirmed;
    private int _nodes;
    private TaskCompletionSource _roomChanged = NewSignal();

    /// <summary>How many messages this node has handed to remoting for other nodes.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>The most messages any reachable node may still have to confirm.</summary>
    public long Backlog => Volatile.Read(ref _nodes) == 0 ? 0 : Math.Max(0, Sent - Volatile.Read(ref _lowestConfirmed));

    /// <summary>The bound on <see cref="Backlog"/>.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>The reachable nodes that have confirmed at least once.</summary>
    public int Nodes => Volatile.Read(ref _nodes);

    /// <summary>Numbers one message for other nodes if there is room; returns its number, or 0 when there is none.</summary>
    public long TryTake()
    {
        if (Backlog >= Capacity)
        {
            return 0;
        }

        return Interlocked.Increment(ref _sent);
    }

    /// <summary>Whether a fence should follow message <paramref name="number"/> (every <paramref name="every"/> messages).</summary>
    public static bool FenceFollows(long number, int every) => number % every == 0;

    /// <summary>The number the next fence carries, or 0 when every message is already behind a fence.</summary>
    public long NextFence()
    {
        var sent = Sent;
        var fenced = Interlocked.Read(ref _fenced);
        while (sent > fenced)
        {
            var seen = Interlocked.CompareExchange(ref _fenced, sent, fenced);
            if (seen == fenced)
            {
                return sent;
            }

            fenced = seen;
        }

        return 0;
    }

    /// <summary>Node <paramref name="node"/> has received everything up to fence <paramref name="number"/>.</summary>
    public void Confirm(Address node, long number)
    {
        lock (_gate)
        {
            _confirmed[node] = _confirmed.TryGetValue(node, out var before) ? Math.Max(before, number) : number;
            Recompute();
        }
    }

    /// <summary>Stops counting <paramref name="node"/> (unreachable or removed) until it confirms again.</summary>
    public void Forget(Address node)
    {
        lock (_gate)
        {
            if (_confirmed.Remove(node))
            {
                Recompute();
            }
        }
    }

    /// <summary>Waits until there is room, for at most <paramref name="timeout"/>; <see langword="false"/> if there was none.</summary>
    public async Task<bool> WaitForRoomAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Backlog >= Capacity)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            var changed = Volatile.Read(ref _roomChanged).Task;
            if (Backlog < Capacity)
            {
                break;
            }

            try
            {
                await changed.WaitAsync(left, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return Backlog < Capacity;
            }
        }

        return true;
    }

    private void Recompute()
    {
        var lowest = Sent;
        foreach (var confirmed in _confirmed.Values)
        {
            lowest = Math.Min(lowest, confirmed);
        }

        Volatile.Write(ref _lowestConfirmed, lowest);
        Volatile.Write(ref _nodes, _confirmed.Count);
        Interlocked.Exchange(ref _roomChanged, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
