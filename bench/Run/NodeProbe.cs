using System.Diagnostics;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>
/// Waits until a multi-node deployment carries messages between all of its nodes: a tiny fan-out, one room with
/// clients on every node, repeated until one round loses nothing. Switchboard's nodes accept sockets before they
/// have joined the cluster, and a new member's rooms reach the other nodes by gossip; measuring before that would
/// count the cluster's formation as loss.
/// </summary>
internal static class NodeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Returns the probe rounds it took; throws when the nodes still lose messages after <see cref="Timeout"/>.</summary>
    public static async Task<int> WaitUntilConnectedAsync(Deployment deployment, CancellationToken cancellationToken = default)
    {
        var targets = deployment.Targets;
        if (targets.Count < 2)
        {
            return 0;
        }

        var probe = new LoadOptions
        {
            Scenario = Scenario.FanOut,
            Targets = targets,
            Protocol = deployment.Kind.Protocol,
            Clients = 2 * targets.Count,
            Warmup = TimeSpan.FromMilliseconds(500),
            Duration = TimeSpan.FromMilliseconds(500),
            ReplyTimeout = TimeSpan.FromSeconds(1),
        };
        var waited = Stopwatch.StartNew();
        for (var round = 1; ; round++)
        {
            var result = await LoadRunner.RunAsync(probe, cancellationToken: cancellationToken);
            if (result.Connected == result.Clients && result.Delivered > 0 && result.Lost == 0 && result.Errors == 0)
            {
                return round;
            }

            if (waited.Elapsed > Timeout)
            {
                throw new InvalidOperationException(
                    $"{deployment.Kind.Title}'s {targets.Count} nodes still lose messages between them after {Timeout.TotalSeconds:F0} s:{Environment.NewLine}{result.Describe()}");
            }
        }
    }
}
