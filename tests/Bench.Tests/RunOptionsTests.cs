using Switchboard.Bench.LoadGen;
using Switchboard.Bench.Run;

namespace Switchboard.Bench.Tests;

public sealed class RunOptionsTests
{
    [Fact]
    public void Defaults_AreIssueSixSizes()
    {
        var options = RunOptions.Parse([]);

        Assert.Equal(64, options.EchoClients);
        Assert.Equal(1000, options.FanOutClients);
        Assert.Equal([5.0], options.ChatRates);
        Assert.Equal(100 * 10 * 5 * 10, options.ChatOffered(5));
        Assert.Equal(5000, options.IdleConnections);
        Assert.Equal([ServerKind.Switchboard, ServerKind.Kestrel, ServerKind.SignalR, ServerKind.Channels], options.Servers);
    }

    [Fact]
    public void Cases_SeveralNodes_EchoFanOutAndChatCrossNodes()
    {
        var options = RunOptions.Parse(["--nodes", "3,1,2"]);

        Assert.Equal(
            ["Echo", "FanOut", "Chat-5", "Idle", "Echo@2", "FanOut@2", "Chat-5@2", "Echo@3", "FanOut@3", "Chat-5@3"],
            options.Cases.Select(c => c.ToString()));
    }

    [Fact]
    public void Settle_ReachesEveryLoadButIdles_AndZeroTurnsItOff()
    {
        var targets = new[] { new Uri("ws://127.0.0.1:1/") };
        var options = new RunOptions();
        Assert.Equal(TimeSpan.FromSeconds(60), options.SettleLimit);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Load(new RunCase(Scenario.Chat, 1, 5), targets, ServerKind.Switchboard, 1).SettleLimit);
        Assert.Equal(TimeSpan.Zero, options.Load(new RunCase(Scenario.Idle, 1), targets, ServerKind.Switchboard, 1).SettleLimit);

        Assert.Equal(TimeSpan.Zero, RunOptions.Parse(["--settle", "0"]).Load(new RunCase(Scenario.Echo, 1), targets, ServerKind.Kestrel, 1).SettleLimit);
        Assert.Equal(TimeSpan.FromSeconds(3), RunOptions.Parse(["--quick"]).SettleLimit);
    }

    [Fact]
    public void ServersOn_SeveralNodes_LeavesOutRawKestrel()
    {
        var options = RunOptions.Parse(["--servers", "switchboard,kestrel,channels"]);

        Assert.Equal([ServerKind.Switchboard, ServerKind.Kestrel, ServerKind.Channels], options.ServersOn(1));
        Assert.Equal([ServerKind.Switchboard, ServerKind.Channels], options.ServersOn(2));
    }

    [Fact]
    public void Parse_QuickThenSize_KeepsTheLaterSize()
    {
        var options = RunOptions.Parse(["--quick", "--fanout-clients", "70", "--scenarios", "fanout"]);

        Assert.Equal(70, options.FanOutClients);
        Assert.Equal([1, 2], options.Nodes);
        Assert.Equal([new RunCase(Scenario.FanOut, 1), new RunCase(Scenario.FanOut, 2)], options.Cases);
    }

    [Fact]
    public void ChatRates_ChatRunsOnceAtEachRateOnEveryNodeCount()
    {
        var options = RunOptions.Parse(["--scenarios", "echo,chat", "--nodes", "1,2", "--chat-rate", "5,10,5,7.5"]);
        Uri[] one = [new("ws://127.0.0.1:1/")];

        Assert.Equal([5.0, 10.0, 7.5], options.ChatRates);
        Assert.Equal(["Echo", "Chat-5", "Chat-10", "Chat-7.5", "Echo@2", "Chat-5@2", "Chat-10@2", "Chat-7.5@2"], options.Cases.Select(c => c.ToString()));
        Assert.Equal(10, options.Load(new RunCase(Scenario.Chat, 1, 10), one, ServerKind.Switchboard, null).Rate);
        Assert.Equal(7.5, options.Load(new RunCase(Scenario.Chat, 2, 7.5), one, ServerKind.Switchboard, null).Rate);
        Assert.Equal(75_000, options.ChatOffered(7.5));
        Assert.Equal([2.0], RunOptions.Parse(["--quick"]).ChatRates);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1001")]
    [InlineData("fast")]
    [InlineData(",")]
    public void Parse_BadChatRate_NamesTheOption(string rate) =>
        Assert.Contains("--chat-rate", Assert.ThrowsAny<ArgumentException>(() => RunOptions.Parse(["--chat-rate", rate])).Message, StringComparison.Ordinal);

    [Fact]
    public void ServerEnv_ReachesEveryServerAfterTheCollectorsAndTheTableNamesIt()
    {
        var options = RunOptions.Parse(["--gc", "server", "--server-env", "DOTNET_GCDynamicAdaptationMode=0", "--server-env", "DOTNET_gcServer=0", "--server-env", "X=a=b", "--scenarios", "echo", "--nodes", "1"]);

        Assert.Equal(new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_GCDynamicAdaptationMode"] = "0", ["X"] = "a=b" }, options.ServerEnvironment);
        Assert.Contains("Every server process ran with DOTNET_GCDynamicAdaptationMode=0, DOTNET_gcServer=0, X=a=b.", ResultTable.Render([ServerKind.Switchboard], new Dictionary<(RunCase, ServerKind), IReadOnlyList<Measurement>>(), options), StringComparison.Ordinal);
        Assert.Empty(RunOptions.Parse([]).ServerEnvironment);
        Assert.DoesNotContain("Every server process ran with", ResultTable.Render([ServerKind.Switchboard], new Dictionary<(RunCase, ServerKind), IReadOnlyList<Measurement>>(), RunOptions.Parse(["--scenarios", "echo"])), StringComparison.Ordinal);
        Assert.Contains("NAME=VALUE", Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--server-env", "=1"])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--server-env", "NOVALUE"]));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("two")]
    public void Parse_BadNodeCount_Throws(string nodes) =>
        Assert.ThrowsAny<Exception>(() => RunOptions.Parse(["--nodes", nodes]));

    [Fact]
    public void NeedsRedis_ChannelsAlwaysSignalRAcrossNodes()
    {
        Assert.True(ServerKind.Channels.NeedsRedis(1));
        Assert.False(ServerKind.SignalR.NeedsRedis(1));
        Assert.True(ServerKind.SignalR.NeedsRedis(2));
        Assert.False(ServerKind.Switchboard.NeedsRedis(3));
        Assert.False(ServerKind.Kestrel.Supports(2));
    }

    [Fact]
    public void Load_SeveralNodes_WarmsUpPastTheReplyTimeout()
    {
        var options = RunOptions.Parse(["--warmup", "2", "--reply-timeout", "5"]);
        Uri[] one = [new("ws://127.0.0.1:1/")];
        Uri[] two = [new("ws://127.0.0.1:1/"), new("ws://127.0.0.1:2/")];

        Assert.Equal(TimeSpan.FromSeconds(2), options.Load(new RunCase(Scenario.FanOut, 1), one, ServerKind.Switchboard, null).Warmup);
        Assert.Equal(TimeSpan.FromSeconds(6), options.Load(new RunCase(Scenario.FanOut, 2), two, ServerKind.Switchboard, null).Warmup);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Load(new RunCase(Scenario.FanOut, 2), two, ServerKind.SignalR, null).ReplyTimeout);
    }

    [Fact]
    public void Padding_ReachesEveryLoadAndTheTablesCaseNames()
    {
        var options = RunOptions.Parse(["--padding", "1000", "--scenarios", "echo"]);
        Uri[] one = [new("ws://127.0.0.1:1/")];

        Assert.Equal(1000, options.Load(new RunCase(Scenario.Echo, 1), one, ServerKind.Kestrel, null).PayloadPadding);
        Assert.Equal(0, RunOptions.Parse([]).Load(new RunCase(Scenario.Echo, 1), one, ServerKind.Kestrel, null).PayloadPadding);
        Assert.Contains("echo, 64 rooms of 1, texts padded by 1000 characters", ResultTable.Render([ServerKind.Switchboard], new Dictionary<(RunCase, ServerKind), IReadOnlyList<Measurement>>(), options), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--padding", "-1"]));
    }

    [Fact]
    public void Wave_ReachesTheChatLoadsOnly()
    {
        var options = RunOptions.Parse(["--wave", "2000"]);
        Uri[] one = [new("ws://127.0.0.1:1/")];

        Assert.Equal(2000, options.Load(new RunCase(Scenario.Chat, 2, 10), one, ServerKind.Switchboard, null).Wave);
        Assert.Equal(0, options.Load(new RunCase(Scenario.Echo, 1), one, ServerKind.Switchboard, null).Wave);
        Assert.Equal(0, options.Load(new RunCase(Scenario.Idle, 1), one, ServerKind.Switchboard, null).Wave);
        Assert.Equal(0, RunOptions.Parse([]).Load(new RunCase(Scenario.Chat, 1, 5), one, ServerKind.Switchboard, null).Wave);
        Assert.Contains("--wave takes 0 to 100000 clients, not -1", Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--wave", "-1"])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--nodes", "x")]
    [InlineData("--duration", "ten")]
    [InlineData("--echo-clients", "1.5")]
    public void Parse_AValueThatIsNotANumber_NamesTheOptionAndTheValue(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => RunOptions.Parse([option, value]));

        Assert.StartsWith($"{option} {value}: ", error.Message, StringComparison.Ordinal);
    }
}
