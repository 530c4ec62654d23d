using System.Net.WebSockets;

namespace Switchboard.Bench.LoadGen;

/// <summary>How a client addresses a room, frames a message and finds the messages in what it receives.</summary>
internal abstract class WireProtocol
{
    public static WireProtocol For(WireProtocolKind kind) => kind switch
    {
        WireProtocolKind.Chat => new ChatWireProtocol(),
        WireProtocolKind.SignalR => new SignalRWireProtocol(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>True when a record may end only with its WebSocket message (so decode only then).</summary>
    public abstract bool MessageFramed { get; }

    /// <summary>The WebSocket address for a room on a server.</summary>
    public abstract Uri Address(Uri server, string room);

    /// <summary>Whatever must happen after the WebSocket opens and before the client is in its room.</summary>
    public virtual Task JoinAsync(ClientWebSocket socket, string room, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes the frame that sends <paramref name="payload"/>; returns its length.</summary>
    public abstract int Encode(Payload payload, int padding, Span<byte> destination);

    /// <summary>Hands each complete record in <paramref name="received"/> to <paramref name="sink"/>; returns the bytes consumed.</summary>
    public abstract int Decode(ReadOnlySpan<byte> received, IRecordSink sink);
}

/// <summary>Receives what a protocol decoded.</summary>
internal interface IRecordSink
{
    void OnPayload(Payload payload);

    void OnUnexpected(string what);
}
