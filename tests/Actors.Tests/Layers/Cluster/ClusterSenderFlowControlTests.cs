using Akka.Actor;
using Akka.TestKit;
using Switchboard.Actors.Layers;
using Switchboard.Actors.Layers.Cluster;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>
/// The cluster layer's flow-control policy on the sending side: when another node stops confirming (its hub paused,
/// as a node too busy to keep up), the sender never has more than <c>max-unacknowledged</c> messages out for it; group
/// sends past that reach the sender's own members and are counted as dropped for the others, direct sends throw
/// <see cref="ChannelFullException"/>; when the node catches up, everything that was accepted arrives, in order.
/// </summary>
[Collection("cluster")]
public sealed class ClusterSenderFlowControlTests() : ThreeNodeCluster(capacity: 1_000_000, config: Config)
{
    private const int Bound = 500;

    private const string Config = """
        switchboard.channel-layer.cluster {
          max-unacknowledged = 500
          fence-every = 25
          fence-interval = 20ms
          backpressure-timeout = 20ms
        }
        """;

    public sealed record Burst(int N) : IChannelMessage;

    [Fact]
    public async Task SendToGroupAsync_NodeStopsConfirming_BacklogStaysBoundedLocalMembersGetAllAndAcceptedArriveInOrder()
    {
        var onA = CreateTestProbe(A);
        var onB = CreateTestProbe(B);
        using var localMember = LayerA.Bind(onA.Ref);
        using var remoteMember = LayerB.Bind(onB.Ref);
        await LayerA.AddToGroupAsync("flood", localMember.Name);
        await LayerB.AddToGroupAsync("flood", remoteMember.Name);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("flood", new Burst(-1)), onB);
        while (await onA.ReceiveOneAsync(TimeSpan.FromMilliseconds(100)) is not null)
        {
        }

        await AwaitConditionAsync(() => Task.FromResult(LayerA.Outbox.Nodes == 2), TimeSpan.FromSeconds(10));
        await PauseAsync(LayerB);
        const int Sent = Bound + 300;
        long highest = 0;
        for (var i = 0; i < Sent; i++)
        {
            await LayerA.SendToGroupAsync("flood", new Burst(i));
            highest = Math.Max(highest, LayerA.RemoteBacklog);
        }

        var dropped = LayerA.RemoteGroupSendsDropped;
        // The sends past the bound each waited for room, found none, and counted their remote part as dropped.
        Assert.InRange(dropped, Sent - Bound - 50, Sent - Bound + 50);
        Assert.True(highest <= Bound, $"The backlog for the paused node reached {highest}; the bound is {Bound}.");
        Assert.Equal(Enumerable.Range(0, Sent), await ReceiveBurstsAsync(onA, Sent));

        LayerB.Hub.Tell(new ClusterLayerHub.Resume(), ActorRefs.NoSender);
        var accepted = await ReceiveBurstsAsync(onB, (int)(Sent - dropped));
        Assert.Equal(Sent - dropped, accepted.Count);
        Assert.Equal(accepted.Order(), accepted);
        Assert.Equal(0, accepted[0]);

        // Caught up: the backlog empties and sends go everywhere again.
        await AwaitConditionAsync(() => Task.FromResult(LayerA.RemoteBacklog < Bound / 2), TimeSpan.FromSeconds(10));
        await LayerA.SendToGroupAsync("flood", new Burst(Sent));
        Assert.Equal([Sent], await ReceiveBurstsAsync(onB, 1));
        Assert.Equal(dropped, LayerA.RemoteGroupSendsDropped);
    }

    [Fact]
    public async Task SendAsync_ToChannelOnNodeThatStoppedConfirming_ThrowsChannelFullExceptionAtTheSender()
    {
        var onB = CreateTestProbe(B);
        using var binding = LayerB.Bind(onB.Ref);
        await AwaitConditionAsync(async () =>
        {
            await LayerA.SendAsync(binding.Name, new Burst(-1));
            return await onB.ReceiveOneAsync(TimeSpan.FromMilliseconds(100)) is not null;
        }, TimeSpan.FromSeconds(10));
        await AwaitConditionAsync(() => Task.FromResult(LayerA.Outbox.Nodes == 2), TimeSpan.FromSeconds(10));
        while (await onB.ReceiveOneAsync(TimeSpan.FromMilliseconds(100)) is not null)
        {
        }

        await PauseAsync(LayerB);
        var accepted = 0;
        ChannelFullException? refused = null;
        for (var i = 0; i < Bound * 2 && refused is null; i++)
        {
            try
            {
                await LayerA.SendAsync(binding.Name, new Burst(i));
                accepted++;
            }
            catch (ChannelFullException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(binding.Name, refused.Channel);
        Assert.Contains("max-unacknowledged", refused.Message, StringComparison.Ordinal);
        Assert.InRange(accepted, Bound - 50, Bound);
        Assert.Equal(1, LayerA.RemoteSendsRefused);

        LayerB.Hub.Tell(new ClusterLayerHub.Resume(), ActorRefs.NoSender);
        Assert.Equal(Enumerable.Range(0, accepted), await ReceiveBurstsAsync(onB, accepted));
    }

    [Fact]
    public async Task SendToGroupAsync_NodesKeepingUp_NeverWaitOrDrop()
    {
        var onC = CreateTestProbe(C);
        using var binding = LayerC.Bind(onC.Ref);
        await LayerC.AddToGroupAsync("steady", binding.Name);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("steady", new Burst(-1)), onC);

        const int Sent = Bound * 4;
        for (var i = 0; i < Sent; i++)
        {
            await LayerA.SendToGroupAsync("steady", new Burst(i));
            // A closed loop a little slower than the fences: every node keeps confirming.
            if (i % 100 == 99)
            {
                await AwaitConditionAsync(() => Task.FromResult(LayerA.RemoteBacklog < Bound / 2), TimeSpan.FromSeconds(10));
            }
        }

        Assert.Equal(Enumerable.Range(0, Sent), await ReceiveBurstsAsync(onC, Sent));
        Assert.Equal(0, LayerA.RemoteGroupSendsDropped);
    }

    /// <summary>Pauses <paramref name="layer"/>'s hub: it answers, then handles nothing more from other nodes.</summary>
    private static Task PauseAsync(ClusterChannelLayer layer) => layer.Hub.Ask<Akka.Done>(new ClusterLayerHub.Pause(), TimeSpan.FromSeconds(10));

    private static async Task<List<int>> ReceiveBurstsAsync(TestProbe probe, int count)
    {
        var received = new List<int>(count);
        while (received.Count < count && await probe.ReceiveOneAsync(TimeSpan.FromSeconds(10)) is { } message)
        {
            if (message is ChannelDelivery { Message: Burst burst } && burst.N >= 0)
            {
                received.Add(burst.N);
            }
        }

        return received;
    }
}
