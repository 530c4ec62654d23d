using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.Actors;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.Hostile;

/// <summary>
/// Input that reaches consumer code: JSON that is not JSON or has the wrong shape, and names from the client that
/// consumer code passes to the channel layer unchecked. Each closes only its own connection with a documented code
/// and a log line naming it; a healthy client connected throughout never notices.
/// </summary>
public sealed class HostileConsumerInputTests(HostileConsumerInputTests.Server server) : IClassFixture<HostileConsumerInputTests.Server>, IAsyncLifetime
{
    private HealthyClient? _healthy;

    public async Task InitializeAsync()
    {
        _healthy = await HealthyClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/json/{ConnectionProbe.NewId()}/");
        await _healthy.SendAsync("""{"message": "before"}""");
        Assert.Equal("""{"echo":"before"}""", await _healthy.ReceiveAsync());
    }

    public async Task DisposeAsync()
    {
        await _healthy!.SendAsync("""{"message": "after"}""");
        Assert.Equal("""{"echo":"after"}""", await _healthy.ReceiveAsync());
        await _healthy.DisposeAsync();
        server.Logs.AssertNoUnhandledExceptions();
    }

    public static TheoryData<string, int, LogLevel> JsonCases => new()
    {
        { "not json at all", 1007, LogLevel.Information },
        { """{"message": "unterminated""", 1007, LogLevel.Information },
        { """{"message": "x",}""", 1007, LogLevel.Information },
        { new string('[', 10_000) + new string(']', 10_000), 1007, LogLevel.Information },
        { """{"message": 5}""", 1011, LogLevel.Error },
        { """{"message": null}""", 1000, LogLevel.None },
        { """{"other": "x"}""", 1011, LogLevel.Error },
        { """["message", "x"]""", 1011, LogLevel.Error },
        { "\"just a string\"", 1011, LogLevel.Error },
        { """{"message": "\ud800"}""", 1011, LogLevel.Error },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public async Task ReceiveJson_HostileText_ClosesOnlyThatConnectionWithItsCode(string text, int code, LogLevel level)
    {
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/json/{id}/");

        await client.SendTextAsync(text);

        if (code == 1000)
        {
            // Valid JSON of the right shape: answered, the connection stays open.
            Assert.StartsWith("{\"echo\":", await client.ReceiveTextAsync(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(code, (await client.ReceiveCloseAsync()).Code);
            Assert.Equal(code, await server.Probe.WaitDisconnectedAsync(id));
            var logged = await server.Logs.WaitForAsync(e => e.Message.Contains(id, StringComparison.Ordinal) && e.Level >= LogLevel.Information && !e.Message.Contains("Request", StringComparison.Ordinal));
            Assert.Equal(level, logged.Level);
            Assert.DoesNotContain(text.Length > 40 ? text[..40] : text, logged.Message, StringComparison.Ordinal);
        }

        await _healthy!.SendAsync("""{"message": "unaffected"}""");
        Assert.Equal("""{"echo":"unaffected"}""", await _healthy.ReceiveAsync());
    }

    [Theory]
    [InlineData(WebSocketMessageType.Binary, "{}")]
    [InlineData(WebSocketMessageType.Text, "")]
    public async Task ReceiveJson_BinaryOrEmpty_ClosesWith1003(WebSocketMessageType type, string payload)
    {
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/json/{id}/");

        await client.SendRawAsync(Encoding.UTF8.GetBytes(payload), type);

        Assert.Equal(1003, (await client.ReceiveCloseAsync()).Code);
        Assert.Equal(1003, await server.Probe.WaitDisconnectedAsync(id));
    }

    public static TheoryData<string> BadNames => new()
    {
        "group " + new string('g', 200),
        "group has spaces and !",
        "group ümlaut",
        "group ",
        "send " + new string('c', 200),
        "send two!!bangs",
        "send a/b",
        "join 101",
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task ChannelLayer_NameFromTheClientRejected_ClosesOnlyThatConnectionWith1011AndLogsIt(string command)
    {
        await using var bystander = await HealthyClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/names/{ConnectionProbe.NewId()}/");
        await bystander.EchoAsyncPrefixed("group fine");
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/names/{id}/");

        await client.SendTextAsync(command);

        Assert.Equal(1011, (await client.ReceiveCloseAsync()).Code);
        Assert.Equal(1011, await server.Probe.WaitDisconnectedAsync(id));
        var logged = await server.Logs.WaitForAsync(e => e.Message.Contains(id, StringComparison.Ordinal) && e.Level == LogLevel.Error);
        Assert.True(logged.Exception is ArgumentException or InvalidOperationException, $"Logged {logged.Exception}.");
        await bystander.EchoAsyncPrefixed("group fine-too");
    }

    public sealed class Server : GatewayServer
    {
        protected override IApplication Application => HostileConsumers.Application;
    }
}

internal static class NamesClient
{
    /// <summary>The names consumer answers "ok " and the command.</summary>
    public static async Task EchoAsyncPrefixed(this HealthyClient client, string command)
    {
        await client.SendAsync(command);
        Assert.Equal("ok " + command, await client.ReceiveAsync());
    }
}
