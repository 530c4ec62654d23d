using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers;
using Switchboard.Actors.Layers.Cluster;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>
/// A node alone in its cluster keeps its groups off DistributedPubSub (nobody else could send to them: no topic actor
/// per room, no subscription to wait for); when a second node comes up, it subscribes them all, and sends from the
/// new node reach its members.
/// </summary>
[Collection("cluster")]
public sealed class LoneNodeTopicsTests() : Akka.TestKit.Xunit2.TestKit(ClusterConfig.Node(), "switchboard")
{
    public sealed record Hello(int N) : IChannelMessage;

    [Fact]
    public async Task AddToGroupAsync_LoneNode_NoTopicUntilASecondNodeJoinsThenReachableFromIt()
    {
        var settings = ChannelLayerSettings.Default with { Capacity = 10_000 };
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
        var layerA = new ClusterChannelLayer(Sys, settings);
        var member = CreateTestProbe();
        using var binding = layerA.Bind(member.Ref);

        await layerA.AddToGroupAsync("lonely", binding.Name);
        await layerA.SendToGroupAsync("lonely", new Hello(0));

        Assert.IsType<ChannelDelivery>(await member.ReceiveOneAsync(TimeSpan.FromSeconds(5)));
        var mediator = DistributedPubSub.Get(Sys).Mediator;
        var topics = await mediator.Ask<CurrentTopics>(GetTopics.Instance, TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("lonely", topics.Topics);

        var b = ActorSystem.Create("switchboard", ClusterConfig.Node());
        try
        {
            await Akka.Cluster.Cluster.Get(b).JoinAsync(cluster.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
            var layerB = new ClusterChannelLayer(b, settings);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            var reached = false;
            for (var i = 1; !reached && DateTime.UtcNow < deadline; i++)
            {
                await layerB.SendToGroupAsync("lonely", new Hello(i));
                reached = await member.ReceiveOneAsync(TimeSpan.FromMilliseconds(100)) is ChannelDelivery { Message: Hello };
            }

            Assert.True(reached, "A send from the node that joined never reached the lone node's member.");
        }
        finally
        {
            await b.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
