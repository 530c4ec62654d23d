using System.Globalization;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>One row group of the table: a scenario on a number of nodes per server (chat at one rate).</summary>
/// <param name="Scenario">What the clients do.</param>
/// <param name="Nodes">Server processes per server kind; clients are spread over them (client i on node i mod N).</param>
/// <param name="Rate">Chat: messages a second per client; 0 for the other scenarios.</param>
internal sealed record RunCase(Scenario Scenario, int Nodes, double Rate = 0)
{
    /// <summary>
    /// Scenarios that also run across nodes: issue 6's cross-node fan-out and echo, and chat, the load a cluster serves
    /// most (rooms of ten, members on every node: each message crosses to every other node); idle runs on one.
    /// </summary>
    public static bool CrossNode(Scenario scenario) => scenario is Scenario.Echo or Scenario.FanOut or Scenario.Chat;

    /// <summary>Short and fit for a file name: <c>FanOut@2</c>, <c>Chat-10@3</c> (chat at 10 messages a second on 3 nodes).</summary>
    public override string ToString() =>
        $"{Scenario}{(Rate > 0 ? "-" + Rate.ToString(CultureInfo.InvariantCulture) : "")}{(Nodes == 1 ? "" : $"@{Nodes}")}";
}
