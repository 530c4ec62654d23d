using Switchboard.Actors.Layers;

namespace Switchboard.Samples.Chat;

/// <summary>
/// The Channels tutorial's chat consumer: every client in a room receives every message sent in it, in order.
/// Wire protocol: the client sends <c>{"message": "..."}</c>; every client in the room receives <c>{"message": "..."}</c>.
/// </summary>
public sealed class ChatConsumer : ChatRoomConsumer<ChatMessage>
{
    /// <inheritdoc />
    protected override ChatMessage Compose(string text) => new(text);
}

/// <summary>A chat message broadcast to a room's group.</summary>
/// <param name="Message">The text.</param>
public sealed record ChatMessage(string Message) : IChannelMessage;
