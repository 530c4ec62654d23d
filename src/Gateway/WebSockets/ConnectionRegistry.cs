using System.Collections.Concurrent;
using Switchboard.Actors.Protocol;

namespace Switchboard.Gateway.WebSockets;

/// <summary>The open WebSocket connections of a node: counted for the connection limit, closed with 1001 on shutdown.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<WebSocketConnection, byte> _open = new();
    private int _count;
    private volatile bool _closing;

    /// <summary>How many WebSocket connections are open or handshaking.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether the node has stopped accepting connections.</summary>
    public bool IsClosing => _closing;

    internal bool TryAdd(WebSocketConnection connection, int limit)
    {
        if (_closing)
        {
            return false;
        }

        if (Interlocked.Increment(ref _count) > limit && limit > 0)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _open[connection] = 0;
        return true;
    }

    internal void Remove(WebSocketConnection connection)
    {
        if (_open.TryRemove(connection, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Stops accepting connections and closes every open one with 1001 (going away), waiting up to <paramref name="timeout"/>.</summary>
    public async Task CloseAllAsync(TimeSpan timeout)
    {
        _closing = true;
        var closing = _open.Keys.Select(c => c.CloseFromServerAsync(CloseCodes.GoingAway, "The server is shutting down.")).ToArray();
        await Task.WhenAny(Task.WhenAll(closing), Task.Delay(timeout));
    }
}
