using System.Net.WebSockets;

namespace Switchboard.EndToEnd.Tests;

/// <summary>The chat sample, served by the real gateway on a loopback port and driven by real clients.</summary>
public sealed class ChatSampleTests(ChatServer server) : IClassFixture<ChatServer>
{
    [Fact]
    public async Task Chat_TwoClientsInARoom_SeeEachOthersMessagesInOrder()
    {
        await using var alice = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/chat/order/");
        await using var bob = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/chat/order/");
        await GroupReadyAsync(alice, bob);

        for (var i = 0; i < 20; i++)
        {
            await alice.SendJsonAsync(new { message = $"m{i}" });
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"m{i}", await bob.ReceiveChatMessageAsync());
            Assert.Equal($"m{i}", await alice.ReceiveChatMessageAsync());
        }

        await bob.SendJsonAsync(new { message = "reply" });
        Assert.Equal("reply", await alice.ReceiveChatMessageAsync());
    }

    [Fact]
    public async Task Chat_ClientInAnotherRoom_ReceivesNothing()
    {
        await using var alice = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/chat/room-a/");
        await using var carol = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/chat/room-b/");
        await alice.SendJsonAsync(new { message = "only for room a" });
        Assert.Equal("only for room a", await alice.ReceiveChatMessageAsync());
        Assert.True(await carol.ReceivesNothingAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Handshake_UnroutedPath_IsRefusedWith404()
    {
        Assert.Equal(404, await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, "ws/nowhere/"));
    }

    [Fact]
    public async Task Handshake_ForeignOrigin_IsRefusedWith403()
    {
        var status = await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, "ws/chat/lobby/",
            o => o.SetRequestHeader("Origin", "http://evil.example"));
        Assert.Equal(403, status);
    }

    [Fact]
    public async Task Receive_InvalidJson_ClosesOnlyThatClient()
    {
        await using var good = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/chat/json/");
        await using var bad = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/chat/json/");
        await GroupReadyAsync(good, bad);

        await bad.SendTextAsync("{not json");
        Assert.Equal(1007, await bad.ReceiveCloseCodeAsync());

        await good.SendJsonAsync(new { message = "still here" });
        Assert.Equal("still here", await good.ReceiveChatMessageAsync());
    }

    [Fact]
    public async Task Receive_OversizedMessage_ClosesWith1009()
    {
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/chat/big/");
        await client.SendTextAsync("{\"message\": \"" + new string('x', 1024 * 1024 + 10) + "\"}");
        Assert.Equal(1009, await client.ReceiveCloseCodeAsync());
    }

    [Fact]
    public async Task Pages_RoomPicker_AndRoomPage_AreServed()
    {
        using var http = new HttpClient { BaseAddress = server.HttpBaseAddress, Timeout = WebSocketClient.Timeout };
        Assert.Contains("What chat room would you like to enter?", await http.GetStringAsync("chat/"));
        var room = await http.GetStringAsync("chat/lobby/");
        Assert.Contains("<script id=\"room-name\" type=\"application/json\">\"lobby\"</script>", room);
        Assert.Contains("'/ws/chat/'", room);
    }

    /// <summary>Both clients are in the room once a message from the first reaches the second.</summary>
    private static async Task GroupReadyAsync(WebSocketClient first, WebSocketClient second)
    {
        await first.SendJsonAsync(new { message = "ready" });
        Assert.Equal("ready", await second.ReceiveChatMessageAsync());
        Assert.Equal("ready", await first.ReceiveChatMessageAsync());
    }
}
