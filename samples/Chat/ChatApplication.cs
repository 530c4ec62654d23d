using Switchboard.Actors;
using Switchboard.Routing;
using Switchboard.Routing.Security;

namespace Switchboard.Samples.Chat;

/// <summary>The chat's application tree: Channels' <c>asgi.py</c> and <c>routing.py</c> in one place.</summary>
public static class ChatApplication
{
    /// <summary>WebSockets under <c>/ws/chat/{room}/</c>, behind an allowed-hosts origin check.</summary>
    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        [ScopeTypes.WebSocket] = OriginValidator.AllowedHosts(
            new UrlRouter
            {
                Routes.Regex(@"^ws/chat/(?<room>[A-Za-z0-9_-]{1,80})/$", Consumer.Of<ChatConsumer>()),
            }),
    };
}
