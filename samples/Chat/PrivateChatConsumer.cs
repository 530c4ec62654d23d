using System.Text.Json;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;

namespace Switchboard.Samples.Chat;

/// <summary>
/// A private room's consumer: its route lets in signed-in users only, and every message carries its sender's name, taken
/// from the connection's user (never from the client). Wire protocol: the client sends <c>{"message": "..."}</c>; every client
/// in the room receives <c>{"message": "...", "user": "..."}</c>.
/// </summary>
public sealed class PrivateChatConsumer : JsonWebSocketConsumer
{
    private string _group = "";

    /// <summary>Registers the handler for messages broadcast to the room.</summary>
    public PrivateChatConsumer() => Handle<PrivateChatMessage>(SendJsonAsync);

    /// <summary>The room's group, joined before connecting and left after disconnecting.</summary>
    protected override IEnumerable<string> Groups => [_group = $"chat_{Scope.UrlRoute["room"]}"];

    /// <summary>A message from this client goes to everyone in the room, signed with this connection's user name.</summary>
    protected override Task OnReceiveJsonAsync(JsonElement content)
    {
        var message = ChatProtocol.ReadMessage(content);
        return message is null
            ? CloseAsync(ChatProtocol.BadMessage, "Expected {\"message\": \"...\"}.")
            : ChannelLayer.SendToGroupAsync(_group, new PrivateChatMessage(message, Scope.User.Identity?.Name ?? ""));
    }
}

/// <summary>A message broadcast to a private room's group.</summary>
/// <param name="Message">The text.</param>
/// <param name="User">The sender's name.</param>
public sealed record PrivateChatMessage(string Message, string User) : IChannelMessage;
