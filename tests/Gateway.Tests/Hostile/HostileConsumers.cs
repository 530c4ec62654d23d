using System.Text.Json;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;

namespace Switchboard.Gateway.Tests.Hostile;

/// <summary>The consumers the hostile-input tests attack, and the routes they are served on.</summary>
public static class HostileConsumers
{
    public static IApplication Application { get; } = new UrlRouter
    {
        Routes.Path("ws/echo/", Consumer.Of<EchoConsumer>()),
        Routes.Path("ws/echo/{id}/", Consumer.Of<EchoConsumer>()),
        Routes.Path("ws/room/{room}/{id}/", Consumer.Of<RoomConsumer>()),
        Routes.Path("ws/forward-room/{room}/{id}/", Consumer.Of<ForwardRoomConsumer>()),
        Routes.Path("ws/json/{id}/", Consumer.Of<JsonEchoConsumer>()),
        Routes.Path("ws/names/{id}/", Consumer.Of<NamesConsumer>()),
    };

    private static void ReportDisconnect(ConnectionProbe probe, ConnectionScope scope, int code)
    {
        if (scope.UrlRoute.Kwargs.ContainsKey("id"))
        {
            probe.Disconnected(scope.UrlRoute["id"], code);
        }
    }

    /// <summary>Echoes every frame; reports its disconnect code under its id.</summary>
    public sealed class EchoConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text is not null ? SendAsync(text) : SendAsync(bytes!);

        protected override Task OnDisconnectAsync(int code)
        {
            ReportDisconnect(probe, Scope, code);
            return Task.CompletedTask;
        }
    }

    /// <summary>A chat room: every text frame goes to every member of the room, the sender included.</summary>
    public sealed class RoomConsumer : WebSocketConsumer
    {
        private readonly ConnectionProbe _probe;

        public RoomConsumer(ConnectionProbe probe)
        {
            _probe = probe;
            Handle<RoomMessage>(m => SendAsync(m.Text));
        }

        protected override IEnumerable<string> Groups => [$"room-{Scope.UrlRoute["room"]}"];

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) =>
            ChannelLayer.SendToGroupAsync($"room-{Scope.UrlRoute["room"]}", new RoomMessage(text ?? ""));

        protected override Task OnDisconnectAsync(int code)
        {
            ReportDisconnect(_probe, Scope, code);
            return Task.CompletedTask;
        }
    }

    public sealed record RoomMessage(string Text);

    /// <summary>
    /// A chat room whose members forward (<c>ForwardJson</c>) what the room gets: a JSON string from a client goes to every
    /// member as <c>{"text": "..."}</c>, written to their sockets without their consumers' turns.
    /// </summary>
    public sealed class ForwardRoomConsumer : JsonWebSocketConsumer
    {
        private readonly ConnectionProbe _probe;

        public ForwardRoomConsumer(ConnectionProbe probe)
        {
            _probe = probe;
            ForwardJson<RoomMessage>();
        }

        protected override IEnumerable<string> Groups => [$"forward-room-{Scope.UrlRoute["room"]}"];

        protected override Task OnReceiveJsonAsync(JsonElement content) =>
            ChannelLayer.SendToGroupAsync($"forward-room-{Scope.UrlRoute["room"]}", new RoomMessage(content.GetString() ?? ""));

        protected override Task OnDisconnectAsync(int code)
        {
            ReportDisconnect(_probe, Scope, code);
            return Task.CompletedTask;
        }
    }

    /// <summary>Reads <c>{"message": "..."}</c> and answers <c>{"echo": "..."}</c>: a wrong type fails in its own code.</summary>
    public sealed class JsonEchoConsumer(ConnectionProbe probe) : JsonWebSocketConsumer
    {
        protected override Task OnReceiveJsonAsync(JsonElement content) =>
            SendJsonAsync(new { echo = content.GetProperty("message").GetString() });

        protected override Task OnDisconnectAsync(int code)
        {
            ReportDisconnect(probe, Scope, code);
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Joins the group, sends to the channel, or joins that many groups, as its client asks ("group NAME",
    /// "send NAME", "join N"): names straight from the client, as careless consumer code would.
    /// </summary>
    public sealed class NamesConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            var space = text!.IndexOf(' ', StringComparison.Ordinal);
            var (verb, argument) = (text[..space], text[(space + 1)..]);
            switch (verb)
            {
                case "group":
                    await ChannelLayer.AddToGroupAsync(argument, ChannelName);
                    break;
                case "send":
                    await ChannelLayer.SendAsync(argument, new RoomMessage("hello"));
                    break;
                case "join":
                    for (var i = 0; i < int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture); i++)
                    {
                        await ChannelLayer.AddToGroupAsync($"many-{i}", ChannelName);
                    }

                    break;
            }

            await SendAsync("ok " + text);
        }

        protected override Task OnDisconnectAsync(int code)
        {
            ReportDisconnect(probe, Scope, code);
            return Task.CompletedTask;
        }
    }
}
