namespace Switchboard.Actors;

/// <summary>The protocol types a <see cref="ConnectionScope"/> can have, as in ASGI.</summary>
public static class ScopeTypes
{
    /// <summary>A WebSocket connection.</summary>
    public const string WebSocket = "websocket";

    /// <summary>A plain or streaming HTTP request.</summary>
    public const string Http = "http";

    /// <summary>A worker's named channel (Channels' <c>runworker</c>).</summary>
    public const string Channel = "channel";
}
