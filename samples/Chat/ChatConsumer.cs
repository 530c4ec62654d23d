using System.Text.Json;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;

namespace Switchboard.Samples.Chat;

/// <summary>
/// The Channels tutorial's chat consumer: every client in a room receives every message sent in it, in order.
/// Wire protocol: the client sends <c>{"message": "..."}</c>; every client in the room receives <c>{"message": "..."}</c>.
/// </summary>
public sealed class ChatConsumer : JsonWebSocketConsumer
{
    private string _group = "";

    /// <summary>Registers the handler for messages broadcast to the room.</summary>
    /// <remarks>The record goes out as it is (<c>{"message":"..."}</c>): one serialization for the whole room.</remarks>
    public ChatConsumer() => Handle<ChatMessage>(SendJsonAsync);

    /// <summary>The room's group: the base class joins it before connecting and leaves it after disconnecting.</summary>
    protected override IEnumerable<string> Groups => [_group = $"chat_{Scope.UrlRoute["room"]}"];

    /// <summary>A message from this client goes to everyone in the room, this client included.</summary>
    protected override Task OnReceiveJsonAsync(JsonElement content)
    {
        var message = ChatProtocol.ReadMessage(content);
        return message is null
            ? CloseAsync(ChatProtocol.BadMessage, "Expected {\"message\": \"...\"}.")
            : ChannelLayer.SendToGroupAsync(_group, new ChatMessage(message));
    }
}

/// <summary>A chat message broadcast to a room's group.</summary>
/// <param name="Message">The text.</param>
public sealed record ChatMessage(string Message) : IChannelMessage;
