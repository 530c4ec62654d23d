using Switchboard.Actors.Layers;

namespace Switchboard.Samples.Chat;

/// <summary>
/// A private room's consumer: its route lets in signed-in users only, and every message carries its sender's name, taken
/// from the connection's user (never from the client). Wire protocol: the client sends <c>{"message": "..."}</c>; every client
/// in the room receives <c>{"message": "...", "user": "..."}</c>.
/// </summary>
public sealed class PrivateChatConsumer : ChatRoomConsumer<PrivateChatMessage>
{
    /// <inheritdoc />
    protected override PrivateChatMessage Compose(string text) => new(text, Scope.User.Identity?.Name ?? "");
}

/// <summary>A message broadcast to a private room's group.</summary>
/// <param name="Message">The text.</param>
/// <param name="User">The sender's name.</param>
public sealed record PrivateChatMessage(string Message, string User) : IChannelMessage;
