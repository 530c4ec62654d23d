// The csharp blocks of docs/channel-layers.md, verbatim, one paragraph at a time (DocsExamplesTests checks it).
// Change the guide and this file together.
using Microsoft.AspNetCore.Builder;
using Switchboard.Actors.Layers;
using Switchboard.Gateway.Tests.Docs.Readme;

namespace Switchboard.Gateway.Tests.Docs.ChannelLayers;

/// <summary>The guide's summary of <see cref="IChannelLayer"/> (DocsExamplesTests holds it to the real interface).</summary>
public interface IDocumentedChannelLayer
{
    Task SendAsync(string channel, object message);              // to one channel
    Task AddToGroupAsync(string group, string channel);          // idempotent
    Task RemoveFromGroupAsync(string group, string channel);     // removing a non-member does nothing
    Task SendToGroupAsync(string group, object message);         // to every member
    Task<string> NewChannelAsync(string prefix = "specific");   // for code that is not a consumer...
    Task<object> ReceiveAsync(string channel);                   // ...to read its own channel
}

public static class SendingFromOutsideAConsumer
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/rooms/{room}/announce", (string room, string text, IChannelLayer layer) =>
            layer.SendToGroupAsync($"chat_{room}", new ChatMessage(text)));
    }
}
