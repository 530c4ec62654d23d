using System.Text.Json;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;

namespace Switchboard.Samples.Chat;

/// <summary>
/// A chat room: the client sends <c>{"message": "..."}</c>, the consumer broadcasts a <typeparamref name="TMessage"/> to the
/// room's group, and every member forwards it to its client as it is (one serialization for the whole room).
/// Anything else from the client closes its connection with 4400.
/// </summary>
/// <typeparam name="TMessage">What the room broadcasts.</typeparam>
public abstract class ChatRoomConsumer<TMessage> : JsonWebSocketConsumer
    where TMessage : class, IChannelMessage
{
    private string _group = "";

    /// <summary>Forwards the messages broadcast to the room to the client as they are, without a turn of each member.</summary>
    protected ChatRoomConsumer() => ForwardJson<TMessage>();

    /// <summary>The room's group: the base class joins it before connecting and leaves it after disconnecting.</summary>
    protected override IEnumerable<string> Groups => [_group = $"chat_{Scope.UrlRoute["room"]}"];

    /// <summary>The message to broadcast for the client's <paramref name="text"/>.</summary>
    protected abstract TMessage Compose(string text);

    /// <summary>A message from this client goes to everyone in the room, this client included.</summary>
    protected sealed override Task OnReceiveJsonAsync(JsonElement content)
    {
        var text = content.ValueKind == JsonValueKind.Object && content.TryGetProperty("message", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        return text is null
            ? CloseAsync(4400, "Expected {\"message\": \"...\"}.")
            : ChannelLayer.SendToGroupAsync(_group, Compose(text));
    }
}
