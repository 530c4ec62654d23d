using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>
/// The cluster layer's flow-control policy on the receiving side: a burst from another node never queues more than a
/// channel's capacity for a consumer that is behind; the rest is dropped and counted on the receiving node.
/// </summary>
[Collection("cluster")]
public sealed class ClusterFlowControlTests() : ThreeNodeCluster(capacity: 100)
{
    public sealed record Burst(int N) : IChannelMessage;

    [Fact]
    public async Task SendToGroupAsync_BurstToAConsumerThatIsBehind_QueuesAtMostCapacityAndCountsTheRest()
    {
        var slow = CreateTestProbe(B);
        using var binding = LayerB.Bind(slow.Ref);
        await LayerB.AddToGroupAsync("burst", binding.Name);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("burst", new Burst(-1)), slow);
        var skippedBefore = LayerB.Local.GroupSendsSkipped;
        var queuedBefore = CountPending(slow);

        for (var i = 0; i < 1000; i++)
        {
            await LayerA.SendToGroupAsync("burst", new Burst(i));
        }

        // The probe never reports Delivered(): its channel fills at capacity, and every further message is counted.
        await AwaitConditionAsync(() => Task.FromResult(LayerB.Local.GroupSendsSkipped - skippedBefore >= 1000 - (100 - queuedBefore)), TimeSpan.FromSeconds(20));
        var received = 0;
        while (await slow.ReceiveOneAsync(TimeSpan.FromMilliseconds(300)) is ChannelDelivery { Message: Burst })
        {
            received++;
        }

        Assert.True(received <= 100, $"{received} messages were queued for a channel of capacity 100.");
        Assert.Equal(1000, received + (LayerB.Local.GroupSendsSkipped - skippedBefore) - queuedBefore);
    }

    private static int CountPending(Akka.TestKit.TestProbe probe) => probe.HasMessages ? probe.ReceiveWhile<object>(TimeSpan.FromMilliseconds(1), o => o).Count : 0;
}
