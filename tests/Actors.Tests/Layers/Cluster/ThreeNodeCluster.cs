using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit;
using Switchboard.Actors.Layers.Cluster;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>
/// Three cluster nodes in this process on 127.0.0.1: the test kit's own system (A) and two more (B, C),
/// each with its own cluster channel layer. Waits until all three are Up.
/// </summary>
public abstract class ThreeNodeCluster : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    protected ThreeNodeCluster(int capacity = 100_000, string config = "") : base(ClusterConfig.Node(config), "switchboard")
    {
        B = ActorSystem.Create("switchboard", ClusterConfig.Node(config));
        C = ActorSystem.Create("switchboard", ClusterConfig.Node(config));
        // Test probes never report Delivered(), so by default the capacity is set out of the way.
        var settings = Switchboard.Actors.Hosting.ChannelLayerSettings.Default with { Capacity = capacity };
        LayerA = new ClusterChannelLayer(Sys, settings);
        LayerB = new ClusterChannelLayer(B, settings);
        LayerC = new ClusterChannelLayer(C, settings);
    }

    protected ActorSystem A => Sys;

    protected ActorSystem B { get; }

    protected ActorSystem C { get; }

    protected ClusterChannelLayer LayerA { get; }

    protected ClusterChannelLayer LayerB { get; }

    protected ClusterChannelLayer LayerC { get; }

    public async Task InitializeAsync()
    {
        var seed = Akka.Cluster.Cluster.Get(A).SelfAddress;
        await Task.WhenAll(
            Akka.Cluster.Cluster.Get(A).JoinAsync(seed),
            Akka.Cluster.Cluster.Get(B).JoinAsync(seed),
            Akka.Cluster.Cluster.Get(C).JoinAsync(seed)).WaitAsync(TimeSpan.FromSeconds(20));
        await AwaitConditionAsync(
            () => Task.FromResult(new[] { A, B, C }.All(s => Akka.Cluster.Cluster.Get(s).State.Members.Count(m => m.Status == MemberStatus.Up) == 3)),
            TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(B.Terminate(), C.Terminate()).WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// Calls <paramref name="send"/> until <paramref name="probe"/> sees one, then drains the extras; returns the
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp of the first receipt (the draining takes 300 ms more).
    /// </summary>
    protected static async Task<long> AwaitVisibleAsync(Func<Task> send, TestProbe probe, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        long seen;
        while (true)
        {
            await send();
            if (await probe.ReceiveOneAsync(TimeSpan.FromMilliseconds(50)) is Switchboard.Actors.Layers.ChannelDelivery)
            {
                seen = System.Diagnostics.Stopwatch.GetTimestamp();
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The membership did not become visible in time.");
            }
        }

        // Pings that were already on their way.
        while (await probe.ReceiveOneAsync(TimeSpan.FromMilliseconds(300)) is not null)
        {
        }

        return seen;
    }
}
