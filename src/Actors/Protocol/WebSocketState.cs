namespace Switchboard.Actors.Protocol;

/// <summary>Where a WebSocket connection is in its life, as its consumer sees it.</summary>
public enum WebSocketState
{
    /// <summary>The handshake is waiting for the consumer to accept or refuse.</summary>
    Connecting,

    /// <summary>The consumer accepted; frames flow both ways.</summary>
    Open,

    /// <summary>The consumer closed (or refused) the connection.</summary>
    Closed,

    /// <summary>The client is gone: <see cref="SocketDisconnected"/> was received.</summary>
    Disconnected,
}
