namespace Switchboard.Bench.LoadGen;

/// <summary>What the clients do once connected.</summary>
public enum Scenario
{
    /// <summary>Rooms of one client, closed loop: each client sends, waits for its own message back, sends again.</summary>
    Echo,

    /// <summary>One room of every client, one sender, closed loop: the next message goes when all received the previous.</summary>
    FanOut,

    /// <summary>Rooms of <see cref="LoadOptions.RoomSize"/>, every client sending <see cref="LoadOptions.Rate"/> messages a second.</summary>
    Chat,

    /// <summary>Connections held without traffic: server memory per connection, then one echo each.</summary>
    Idle,
}

/// <summary>The wire protocol the clients speak.</summary>
public enum WireProtocolKind
{
    /// <summary>samples/Chat's: <c>/ws/chat/{room}/</c>, <c>{"message": "..."}</c> both ways.</summary>
    Chat,

    /// <summary>SignalR's JSON hub protocol over a WebSocket, without negotiation.</summary>
    SignalR,
}
