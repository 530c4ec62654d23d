using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests;

public sealed class ChannelNameRouterTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>A worker that reports the channel it was started for.</summary>
    public abstract class ReportingWorker(IActorRef probe) : ChannelConsumer
    {
        protected override void PreStart()
        {
            base.PreStart();
            probe.Tell(new Served(GetType().Name, Scope));
        }
    }

    public sealed class Thumbnails(IActorRef probe) : ReportingWorker(probe);

    public sealed class Emails(IActorRef probe) : ReportingWorker(probe);

    private ChannelNameRouter Router() => new()
    {
        ["thumbnails"] = Consumer.Of<Thumbnails>(TestActor),
        ["emails.outbound"] = Consumer.Of<Emails>(TestActor),
    };

    private static ConnectionScope ChannelScope(string? channel) =>
        new() { Type = ScopeTypes.Channel, Channel = channel };

    [Theory]
    [InlineData("thumbnails", nameof(Thumbnails))]
    [InlineData("emails.outbound", nameof(Emails))]
    public async Task StartAsync_ChannelScope_RoutesByChannelName(string channel, string expected)
    {
        await using var communicator = new ApplicationCommunicator(Sys, Router(), ChannelScope(channel));

        Assert.True(await communicator.StartAsync(Bounded.Wait));

        var served = ExpectMsg<Served>(Bounded.Wait);
        Assert.Equal((expected, channel), (served.Consumer, served.Scope.Channel));
    }

    [Fact]
    public async Task StartAsync_UnknownChannel_IsRefusedWithChannelsMessage()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Router(), ChannelScope("chat"));

        Assert.False(await communicator.StartAsync(Bounded.Wait));

        Assert.Equal("No application configured for channel name 'chat'.", communicator.Refusal!.Reason);
        Assert.Equal(404, communicator.Refusal.StatusCode);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task StartAsync_ScopeWithoutChannel_IsRefused()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Router(), ChannelScope(null));

        Assert.False(await communicator.StartAsync(Bounded.Wait));

        Assert.Contains("without a channel name", communicator.Refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnderProtocolTypeRouter_ChannelScopesReachTheWorker()
    {
        var application = new ProtocolTypeRouter { [ScopeTypes.Channel] = Router() };
        await using var communicator = new ApplicationCommunicator(Sys, application, ChannelScope("thumbnails"));

        Assert.True(await communicator.StartAsync(Bounded.Wait));

        Assert.Equal(nameof(Thumbnails), ExpectMsg<Served>(Bounded.Wait).Consumer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a!b!c")]
    [InlineData("caf\u00e9")]
    public void Indexer_InvalidChannelName_ThrowsArgumentException(string channel)
    {
        var router = new ChannelNameRouter();

        var error = Assert.Throws<ArgumentException>(() => router[channel] = Consumer.Of<Thumbnails>(TestActor));

        Assert.Equal("channel", error.ParamName);
        Assert.Empty(router.Channels);
    }

    [Fact]
    public void Indexer_OverLongChannelName_ThrowsArgumentException()
    {
        var router = new ChannelNameRouter();

        Assert.Throws<ArgumentException>(() => router[new string('a', 100)] = Consumer.Of<Thumbnails>(TestActor));
    }

    [Fact]
    public void Channels_ListsTheConfiguredNames() =>
        Assert.Equal(["emails.outbound", "thumbnails"], Router().Channels.Order(StringComparer.Ordinal));
}
