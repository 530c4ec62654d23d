using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers;
using Switchboard.Actors.Layers.Cluster;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>The channel layer contract, run against the cluster layer on a single-node cluster.</summary>
public sealed class ClusterChannelLayerContractTests : ChannelLayerContractTests
{
    public ClusterChannelLayerContractTests() : base(ClusterConfig.Node("akka.coordinated-shutdown.run-by-actor-system-terminate = off"))
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
    }

    protected override IChannelLayer CreateLayer(ChannelLayerSettings settings) => new ClusterChannelLayer(Sys, settings);
}
