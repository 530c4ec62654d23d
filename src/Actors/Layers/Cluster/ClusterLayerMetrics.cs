using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// The cluster layer's flow-control instruments on the <c>Switchboard.ChannelLayer</c> meter (read them with
/// dotnet-counters or OpenTelemetry): what was dropped or refused, and each node's backlog for other nodes.
/// </summary>
internal static class ClusterLayerMetrics
{
    public const string MeterName = "Switchboard.ChannelLayer";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConditionalWeakTable<ClusterChannelLayer, object?> Layers = [];

    public static Counter<long> RemoteGroupSendsDropped { get; } = Meter.CreateCounter<long>(
        "switchboard.channel_layer.remote_group_sends_dropped", "{message}",
        "Group sends that reached only the sending node's members because another node stayed too far behind.");

    public static Counter<long> RemoteSendsRefused { get; } = Meter.CreateCounter<long>(
        "switchboard.channel_layer.remote_sends_refused", "{message}",
        "Direct and worker sends to other nodes refused with ChannelFullException for the same reason.");

    /// <summary>Reports <paramref name="layer"/>'s backlog until it is collected.</summary>
    public static void Track(ClusterChannelLayer layer) => Layers.AddOrUpdate(layer, null);

    /// <summary>Observed by listeners; kept in a field so that the instrument lives as long as the meter.</summary>
    internal static ObservableGauge<long> RemoteBacklog { get; } = Meter.CreateObservableGauge(
        "switchboard.channel_layer.remote_backlog",
        () => Layers.Select(pair => new Measurement<long>(pair.Key.RemoteBacklog, new KeyValuePair<string, object?>("node", pair.Key.NodeAddress))),
        "{message}",
        "Messages handed to remoting for other nodes that a reachable node may not have received yet (at most max-unacknowledged).");
}
