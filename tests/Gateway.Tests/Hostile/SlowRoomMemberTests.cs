using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Actors;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.Hostile;

/// <summary>
/// A room member that never reads while the others flood the room: its outbound queue fills and it is closed with
/// 1008 (its consumer hears 1008, a warning names it), and the members who read get every message, in order.
/// </summary>
public sealed class SlowRoomMemberTests(SlowRoomMemberTests.Server server) : IClassFixture<SlowRoomMemberTests.Server>
{
    private static readonly string Padding = new('p', 16 * 1024);

    /// <param name="route">
    /// <c>room</c>: each member's consumer sends the message in its turn; <c>forward-room</c>: the members forward it
    /// (<c>ForwardJson</c>), written to their sockets from the sender's thread.
    /// </param>
    [Theory]
    [InlineData("room")]
    [InlineData("forward-room")]
    public async Task Flood_OneMemberNeverReads_ItIsClosedWith1008AndTheOthersGetEveryMessageInOrder(string route)
    {
        var forwarded = route == "forward-room";
        string Frame(int i) => forwarded ? JsonSerializer.Serialize($"{i.ToString(CultureInfo.InvariantCulture)}:{Padding}") : $"{i.ToString(CultureInfo.InvariantCulture)}:{Padding}";
        string Start(int i) => forwarded ? $"{{\"text\":\"{i.ToString(CultureInfo.InvariantCulture)}:" : $"{i.ToString(CultureInfo.InvariantCulture)}:";

        var room = ConnectionProbe.NewId();
        var slowId = ConnectionProbe.NewId();
        await using var flooder = await HealthyClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/{route}/{room}/{ConnectionProbe.NewId()}/");
        await using var reader = await HealthyClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/{route}/{room}/{ConnectionProbe.NewId()}/");

        // The slow member's socket takes little before TCP pushes back, and it never reads a byte.
        using var slow = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/{route}/{room}/{slowId}/", s => s.ReceiveBufferSize = 4096);

        // Send in windows of 20 and wait for both readers' copies before the next window, so that no healthy member
        // ever has more than 20 messages waiting. The slow member's queue fills within a few hundred messages and the
        // server starts closing it; since it reads nothing, not even the close frame, it is dropped close-timeout
        // later, while the flood goes on (a warm server carries 20,000 such messages in less than that). So: flood
        // until the server has given up on it (at most 20,000 messages), then until it is gone, then 100 more; and
        // never for longer than 30 seconds.
        var sent = 0;
        var gaveUp = false;
        int? stopAt = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((gaveUp || sent < 20_000) && sent < (stopAt ?? int.MaxValue) && DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < 20; i++, sent++)
            {
                await flooder.SendAsync(Frame(sent));
            }

            foreach (var member in new[] { flooder, reader })
            {
                for (var i = sent - 20; i < sent; i++)
                {
                    Assert.StartsWith(Start(i), await member.ReceiveAsync(), StringComparison.Ordinal);
                }
            }

            gaveUp = gaveUp || server.Logs.Entries.Any(e => IsSlowWarning(e, slowId));
            if (stopAt is null && server.Probe.HasDisconnected(slowId))
            {
                stopAt = sent + 100;
            }
        }

        Assert.True(gaveUp, $"The member that never reads was not found too slow after {sent} messages of 16 KiB.");
        Assert.True(stopAt is not null, $"The member that never reads was still connected after {sent} messages of 16 KiB.");
        Assert.True(sent >= stopAt, $"Only {sent} of the messages after the slow member left were sent within 30 seconds.");
        Assert.Equal(1008, await server.Probe.WaitDisconnectedAsync(slowId));
        var warnings = server.Logs.Entries.Where(e => IsSlowWarning(e, slowId)).ToList();
        Assert.Equal(LogLevel.Warning, Assert.Single(warnings).Level);
        server.Logs.AssertNoUnhandledExceptions();
    }

    private static bool IsSlowWarning(LogEntry entry, string connection) =>
        entry.Message.Contains(connection, StringComparison.Ordinal) && entry.Message.Contains("reads too slowly", StringComparison.Ordinal);

    public sealed class Server : GatewayServer
    {
        // The flooder sends far faster than the default rate limit allows: this test is about the outbound side.
        protected override string ConfigOverrides => """
            switchboard.websocket.outbound-queue-size = 64
            switchboard.websocket.close-timeout = 1s
            switchboard.websocket.rate-limit.messages-per-second = 0
            """;

        protected override IApplication Application => HostileConsumers.Application;
    }
}
