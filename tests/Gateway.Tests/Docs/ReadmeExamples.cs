// The csharp block of README.md, verbatim, one paragraph at a time (DocsExamplesTests checks it; ReadmeExampleTests
// runs it). Change the README and this file together. The ASP.NET Core usings come with the Web SDK's implicit usings.
using Microsoft.AspNetCore.Builder;

using System.Text.Json;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;
using Switchboard.Gateway;
using Switchboard.Gateway.Hosting;
using Switchboard.Routing;
using Switchboard.Routing.Security;

namespace Switchboard.Gateway.Tests.Docs.Readme;

public sealed class ChatConsumer : JsonWebSocketConsumer
{
    private string _group = "";

    // Channel-layer messages are ordinary actor messages with typed handlers (Handle<T>); a message the
    // client gets as it is, {"message": "..."}, is forwarded: serialized once for the whole room, and
    // written to each member's socket without a turn of its consumer.
    public ChatConsumer() => ForwardJson<ChatMessage>();

    // Joined before OnConnectAsync, left after OnDisconnectAsync, by the base class.
    protected override IEnumerable<string> Groups => [_group = $"chat_{Scope.UrlRoute["room"]}"];

    protected override Task OnReceiveJsonAsync(JsonElement content) =>
        ChannelLayer.SendToGroupAsync(_group, new ChatMessage(content.GetProperty("message").GetString()!));
}

public sealed record ChatMessage(string Message) : IChannelMessage;   // crosses nodes as JSON

public static class Program
{
    // Program.cs as a method: a test assembly has its own entry point.
    public static void Run(string[] args)
    {
        // Program.cs: the application tree reads like Channels' asgi.py.
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSwitchboard(new ProtocolTypeRouter
        {
            ["websocket"] = OriginValidator.AllowedHosts(new UrlRouter
            {
                Routes.Path("ws/chat/{room}/", Consumer.Of<ChatConsumer>()),
            }),
        });
        var app = builder.Build();
        app.MapSwitchboard();          // WebSocket handshakes go to Switchboard; everything else to your endpoints
        app.Run();
    }
}
