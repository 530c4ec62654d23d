using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;
using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>
/// A node that becomes unreachable without being downed: its association is blackholed (Akka's throttler transport
/// adapter drops everything both ways), so the other nodes cannot know which groups it joins or leaves meanwhile. No
/// downing provider runs here, so it stays a member until the blackhole is lifted.
/// </summary>
[Collection("cluster")]
public sealed class ClusterLayerUnreachableTests() : ThreeNodeCluster(config: """
    akka.remote.dot-netty.tcp.applied-adapters = [trttl]
    akka.cluster.downing-provider-class = ""
    akka.cluster.failure-detector {
      heartbeat-interval = 200ms
      acceptable-heartbeat-pause = 1s
    }
    """)
{
    public sealed record Ping(int N) : IChannelMessage;

    [Fact]
    public async Task MemberUnreachable_EveryGroupSendIsPublished_AndOnceReachableItsGroupsJoinedMeanwhileAreLearnt()
    {
        var onA = CreateTestProbe(A);
        using var bindingA = LayerA.Bind(onA.Ref);
        await LayerA.AddToGroupAsync("only-on-a", bindingA.Name);
        await AwaitConditionAsync(() => Task.FromResult(LayerA.PeersHeard == 2), TimeSpan.FromSeconds(10));
        var published = LayerA.Outbox.Sent;
        await LayerA.SendToGroupAsync("only-on-a", new Ping(0));
        Assert.Equal(published, LayerA.Outbox.Sent);

        var addressB = Akka.Cluster.Cluster.Get(B).SelfAddress;
        await ThrottleBothEndsAsync(addressB, Blackhole.Instance);
        try
        {
            await AwaitConditionAsync(
                () => Task.FromResult(Akka.Cluster.Cluster.Get(A).State.Unreachable.Any(m => m.Address == addressB) && LayerA.PeersHeard == -1),
                TimeSpan.FromSeconds(20));

            // A cannot know what B joins now, so a send to a group that only A had is published after all.
            published = LayerA.Outbox.Sent;
            await LayerA.SendToGroupAsync("only-on-a", new Ping(1));
            Assert.True(LayerA.Outbox.Sent > published, "A group send was not published while a member was unreachable.");

            // B's first member of a group: B's word of it to A is lost in the blackhole.
            var onB = CreateTestProbe(B);
            using var bindingB = LayerB.Bind(onB.Ref);
            await LayerB.AddToGroupAsync("joined-apart", bindingB.Name);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.False(LayerA.GroupsElsewhere.ContainsKey("joined-apart"), "B's join reached A through the blackhole.");

            await ThrottleBothEndsAsync(addressB, Unthrottled.Instance);

            // Reachable again: A asks B for its whole list, and so learns the group B joined meanwhile.
            await AwaitConditionAsync(
                () => Task.FromResult(LayerA.PeersHeard == 2 && LayerA.GroupsElsewhere.ContainsKey("joined-apart")),
                TimeSpan.FromSeconds(30));
            await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("joined-apart", new Ping(2)), onB, TimeSpan.FromSeconds(20));

            // And a group only A has is no longer published.
            published = LayerA.Outbox.Sent;
            await LayerA.SendToGroupAsync("only-on-a", new Ping(3));
            Assert.Equal(published, LayerA.Outbox.Sent);
            foreach (var n in new[] { 0, 1, 3 })
            {
                Assert.Equal(new Ping(n), (await onA.ExpectMsgAsync<ChannelDelivery>()).Message);
            }
        }
        finally
        {
            await ThrottleBothEndsAsync(addressB, Unthrottled.Instance);
        }
    }

    /// <summary>Sets <paramref name="mode"/> on the association of A and <paramref name="node"/>, both ways at both ends.</summary>
    private async Task ThrottleBothEndsAsync(Address node, ThrottleMode mode)
    {
        var self = Akka.Cluster.Cluster.Get(A).SelfAddress;
        await SetThrottleAsync(A, node, mode);
        await SetThrottleAsync(B, self, mode);
    }

    private static async Task SetThrottleAsync(ActorSystem system, Address peer, ThrottleMode mode)
    {
        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)system).Provider).Transport;
        Assert.True(await transport.ManagementCommand(new SetThrottle(peer, ThrottleTransportAdapter.Direction.Both, mode)).WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
