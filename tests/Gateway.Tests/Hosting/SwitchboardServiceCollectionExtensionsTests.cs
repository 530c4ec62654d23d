using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;

namespace Switchboard.Gateway.Tests.Hosting;

/// <summary>AddSwitchboard puts the node's channel layer in DI, so ordinary endpoints reach connected consumers.</summary>
public sealed class SwitchboardServiceCollectionExtensionsTests(SwitchboardServiceCollectionExtensionsTests.Server server)
    : IClassFixture<SwitchboardServiceCollectionExtensionsTests.Server>
{
    [Fact]
    public void AddSwitchboard_ChannelLayer_IsTheOneTheNodeUses()
    {
        Assert.Same(server.Node.ChannelLayer, server.Services.GetRequiredService<IChannelLayer>());
    }

    [Fact]
    public async Task ChannelLayer_PostFromAnEndpoint_ReachesTheGroupsSocketsOnly()
    {
        await using var member = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/rooms/lobby/");
        await using var outsider = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/rooms/attic/");
        using var http = new HttpClient { BaseAddress = server.HttpBaseAddress, Timeout = WebSocketClient.Timeout };

        var response = await http.PostAsync("rooms/lobby/announce", new StringContent("The lobby closes at nine."));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("The lobby closes at nine.", await member.ReceiveTextAsync());
        Assert.True(await outsider.ReceivesNothingAsync(TimeSpan.FromMilliseconds(200)));
    }

    public sealed class Server : GatewayServer
    {
        protected override IApplication Application { get; } = new UrlRouter
        {
            Routes.Path("ws/rooms/{room}/", Consumer.Of<RoomConsumer>()),
        };

        protected override void Configure(WebApplication app) =>
            app.MapPost("/rooms/{room}/announce", async (string room, HttpRequest request, IChannelLayer layer) =>
            {
                using var reader = new StreamReader(request.Body);
                await layer.SendToGroupAsync($"room.{room}", new Announcement(await reader.ReadToEndAsync()));
                return Results.Accepted();
            });
    }

    private sealed record Announcement(string Text);

    private sealed class RoomConsumer : WebSocketConsumer
    {
        public RoomConsumer() => Handle<Announcement>(a => SendAsync(a.Text));

        protected override IEnumerable<string> Groups => [$"room.{Scope.UrlRoute["room"]}"];
    }
}
