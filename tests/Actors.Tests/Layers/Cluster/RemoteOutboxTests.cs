using Akka.Actor;
using Akka.Configuration;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers.Cluster;

namespace Switchboard.Actors.Tests.Layers.Cluster;

public sealed class RemoteOutboxTests
{
    private static readonly Address NodeB = new("akka.tcp", "switchboard", "127.0.0.1", 2552);
    private static readonly Address NodeC = new("akka.tcp", "switchboard", "127.0.0.1", 2553);

    [Fact]
    public void TryTake_NoNodeHasConfirmedYet_NeverRunsOutOfRoom()
    {
        var outbox = new RemoteOutbox(3);

        Assert.All(Enumerable.Range(1, 10), n => Assert.Equal(n, outbox.TryTake()));
        Assert.Equal(0, outbox.Backlog);
    }

    [Fact]
    public void TryTake_SlowestNodeAtCapacity_RefusesUntilItConfirms()
    {
        var outbox = new RemoteOutbox(3);
        outbox.Confirm(NodeB, 0);
        outbox.Confirm(NodeC, 0);
        Assert.Equal([1, 2, 3], new[] { outbox.TryTake(), outbox.TryTake(), outbox.TryTake() });
        outbox.Confirm(NodeC, 3);

        Assert.Equal(0, outbox.TryTake());
        Assert.Equal(3, outbox.Backlog);

        outbox.Confirm(NodeB, 2);
        Assert.Equal(4, outbox.TryTake());
    }

    [Fact]
    public void Forget_TheSlowNode_FreesRoomForTheOthers()
    {
        var outbox = new RemoteOutbox(2);
        outbox.Confirm(NodeB, 0);
        outbox.Confirm(NodeC, 0);
        outbox.TryTake();
        outbox.TryTake();
        outbox.Confirm(NodeC, 2);

        outbox.Forget(NodeB);

        Assert.Equal(1, outbox.Nodes);
        Assert.Equal(0, outbox.Backlog);
        Assert.Equal(3, outbox.TryTake());
    }

    [Fact]
    public void Confirm_OlderFenceAfterNewer_KeepsTheNewer()
    {
        var outbox = new RemoteOutbox(10);
        outbox.Confirm(NodeB, 0);
        for (var i = 0; i < 5; i++)
        {
            outbox.TryTake();
        }

        outbox.Confirm(NodeB, 4);
        outbox.Confirm(NodeB, 2);

        Assert.Equal(1, outbox.Backlog);
    }

    [Fact]
    public void NextFence_AfterSends_CarriesTheLastNumberOnce()
    {
        var outbox = new RemoteOutbox(10);
        outbox.TryTake();
        outbox.TryTake();

        Assert.Equal(2, outbox.NextFence());
        Assert.Equal(0, outbox.NextFence());
        Assert.True(RemoteOutbox.FenceFollows(100, 100));
        Assert.False(RemoteOutbox.FenceFollows(99, 100));
    }

    [Fact]
    public async Task WaitForRoomAsync_ConfirmationArrives_CompletesWithRoom()
    {
        var outbox = new RemoteOutbox(1);
        outbox.Confirm(NodeB, 0);
        outbox.TryTake();
        var waiting = outbox.WaitForRoomAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        outbox.Confirm(NodeB, 1);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitForRoomAsync_NoConfirmation_ReturnsFalseAfterTheTimeout()
    {
        var outbox = new RemoteOutbox(1);
        outbox.Confirm(NodeB, 0);
        outbox.TryTake();

        Assert.False(await outbox.WaitForRoomAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public void Settings_ReferenceConf_MatchesTheDocumentedDefaults()
    {
        var settings = ClusterLayerSettings.FromConfig(SwitchboardConfig.Section(Config.Empty, "switchboard.channel-layer.cluster"));

        Assert.Equal(ClusterLayerSettings.Default, settings);
        Assert.Equal(10_000, settings.MaxUnacknowledged);
    }

    [Theory]
    [InlineData("fence-every = 0")]
    [InlineData("max-unacknowledged = 10, fence-every = 20")]
    [InlineData("fence-interval = 0s")]
    public void Settings_Invalid_ThrowWithTheKeyNamed(string hocon)
    {
        var error = Assert.Throws<ConfigurationException>(() => ClusterLayerSettings.FromConfig(ConfigurationFactory.ParseString(hocon)));

        Assert.Contains("switchboard.channel-layer.cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialization_FenceAndConfirmation_RoundTrip()
    {
        using var system = ActorSystem.Create("fences", ClusterConfig.Node());
        var serialization = ((ExtendedActorSystem)system).Serialization;

        foreach (object message in new object[] { new Fence(long.MaxValue - 1), new FenceConfirmed(42) })
        {
            var serializer = serialization.FindSerializerFor(message);
            var back = serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));
            Assert.IsType<EnvelopeSerializer>(serializer);
            Assert.Equal(message, back);
        }
    }
}
