using System.Text.Json;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;

namespace Switchboard.Bench.Micro;

/// <summary>The chat consumer the routing benchmark resolves to (never started: resolving only builds its <c>Props</c>).</summary>
public sealed class BenchChatConsumer : JsonWebSocketConsumer
{
    protected override Task OnReceiveJsonAsync(JsonElement content) =>
        ChannelLayer.SendToGroupAsync($"chat_{Scope.UrlRoute["room"]}", new BenchChatMessage(content.GetProperty("message").GetString() ?? ""));
}

/// <summary>samples/Chat's group message.</summary>
public sealed record BenchChatMessage(string Message) : IChannelMessage;
