using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>One row group of the table: a scenario on a number of nodes per server.</summary>
/// <param name="Scenario">What the clients do.</param>
/// <param name="Nodes">Server processes per server kind; clients are spread over them (client i on node i mod N).</param>
internal sealed record RunCase(Scenario Scenario, int Nodes)
{
    /// <summary>
    /// Scenarios that also run across nodes: issue 6's cross-node fan-out and echo, and chat, the load a cluster serves
    /// most (rooms of ten, members on every node: each message crosses to every other node); idle runs on one.
    /// </summary>
    public static bool CrossNode(Scenario scenario) => scenario is Scenario.Echo or Scenario.FanOut or Scenario.Chat;

    public override string ToString() => Nodes == 1 ? $"{Scenario}" : $"{Scenario}@{Nodes}";
}
