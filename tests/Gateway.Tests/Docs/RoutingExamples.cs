// The csharp block of docs/routing.md, verbatim (DocsExamplesTests checks it). Change the guide and this file together.
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Routing;
using Switchboard.Routing.Security;

namespace Switchboard.Gateway.Tests.Docs.Routing;

public sealed class ChatConsumer : WebSocketConsumer;

public sealed class UserConsumer : WebSocketConsumer;

public sealed class ThumbnailWorker : ChannelConsumer;

public static class ChatRouting
{
    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        ["websocket"] = OriginValidator.AllowedHosts(new UrlRouter
        {
            Routes.Path("ws/chat/{room}/", Consumer.Of<ChatConsumer>()),
            Routes.Regex(@"^ws/legacy/(?<room>\w+)/$", Consumer.Of<ChatConsumer>()),
            Routes.Path("ws/admin/", new UrlRouter
            {
                Routes.Path("users/{id:int}/", Consumer.Of<UserConsumer>()),
            }),
        }),
        ["channel"] = new ChannelNameRouter { ["thumbnails"] = Consumer.Of<ThumbnailWorker>() },
    };
}
