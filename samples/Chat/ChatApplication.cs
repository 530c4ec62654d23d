using Switchboard.Actors;
using Switchboard.Routing;
using Switchboard.Routing.Middleware;
using Switchboard.Routing.Security;

namespace Switchboard.Samples.Chat;

/// <summary>The chat's application tree: Channels' <c>asgi.py</c> and <c>routing.py</c> in one place.</summary>
public static class ChatApplication
{
    /// <summary>
    /// WebSockets under <c>/ws/chat/{room}/</c>, behind an allowed-hosts origin check and the user, session and cookie
    /// middleware. Rooms named <c>private-...</c> need a signed-in user (an anonymous handshake gets 403); the others are the
    /// tutorial's open rooms.
    /// </summary>
    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        [ScopeTypes.WebSocket] = OriginValidator.AllowedHosts(
            AuthMiddlewareStack.Wrap(
                new UrlRouter
                {
                    Routes.Regex(@"^ws/chat/(?<room>private-[A-Za-z0-9_-]{0,72})/$", RequireAuthorization.Wrap(Consumer.Of<PrivateChatConsumer>())),
                    Routes.Regex(@"^ws/chat/(?<room>(?!private-)[A-Za-z0-9_-]{1,80})/$", Consumer.Of<ChatConsumer>()),
                })),
    };

    /// <summary>Whether <paramref name="room"/> is a private room, for signed-in users only.</summary>
    public static bool IsPrivate(string room) => room.StartsWith("private-", StringComparison.Ordinal);
}
