using System.Net.WebSockets;

namespace Switchboard.EndToEnd.Tests;

/// <summary>The chat sample as a three-node cluster: rooms span nodes, and a node can leave without loss among the others.</summary>
[Collection("cluster")]
public sealed class ClusterChatTests : IAsyncLifetime
{
    private readonly ChatCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Chat_MessageSentThroughNodeOne_ReachesTheRoomsClientsOnNodesTwoAndThree()
    {
        await using var one = await WebSocketClient.ConnectAsync(_cluster.WebSocketAddress(0), "ws/chat/spread/");
        await using var two = await WebSocketClient.ConnectAsync(_cluster.WebSocketAddress(1), "ws/chat/spread/");
        await using var three = await WebSocketClient.ConnectAsync(_cluster.WebSocketAddress(2), "ws/chat/spread/");
        await using var elsewhere = await WebSocketClient.ConnectAsync(_cluster.WebSocketAddress(1), "ws/chat/other/");
        await MembershipVisibleAsync(one, two, three);

        for (var i = 0; i < 20; i++)
        {
            await one.SendJsonAsync(new { message = $"m{i}" });
        }

        foreach (var client in new[] { one, two, three })
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal($"m{i}", await client.ReceiveChatMessageAsync());
            }
        }

        Assert.True(await elsewhere.ReceivesNothingAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task GracefulLeave_NodeStops_ItsClientsGet1001AndTheOthersCarryOnWithoutLoss()
    {
        await using var one = await WebSocketClient.ConnectAsync(_cluster.WebSocketAddress(0), "ws/chat/leave/");
        await using var two = await WebSocketClient.ConnectAsync(_cluster.WebSocketAddress(1), "ws/chat/leave/");
        await using var three = await WebSocketClient.ConnectAsync(_cluster.WebSocketAddress(2), "ws/chat/leave/");
        await MembershipVisibleAsync(one, two, three);

        var stopping = _cluster.StopNodeAsync(2);
        Assert.Equal((int)WebSocketCloseStatus.EndpointUnavailable, await three.ReceiveCloseCodeAsync(TimeSpan.FromSeconds(20)));
        await stopping;

        for (var i = 0; i < 50; i++)
        {
            await one.SendJsonAsync(new { message = $"after-{i}" });
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"after-{i}", await two.ReceiveChatMessageAsync());
            Assert.Equal($"after-{i}", await one.ReceiveChatMessageAsync());
        }
    }

    /// <summary>Pub-sub membership reaches other nodes by gossip: ping from the first client until every client has one.</summary>
    internal static async Task MembershipVisibleAsync(WebSocketClient sender, params WebSocketClient[] receivers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var pending = receivers.ToHashSet();
        while (pending.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Room membership did not become visible across nodes within 15 s.");
            await sender.SendJsonAsync(new { message = "ping" });
            foreach (var client in pending.ToList())
            {
                if (await client.ReceiveTextAsync(TimeSpan.FromMilliseconds(200)) is not null)
                {
                    pending.Remove(client);
                }
            }
        }

        // Drain the pings still on their way.
        foreach (var client in receivers.Append(sender).Distinct())
        {
            while (await client.ReceiveTextAsync(TimeSpan.FromMilliseconds(400)) is not null)
            {
            }
        }
    }
}
