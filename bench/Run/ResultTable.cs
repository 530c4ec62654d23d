using System.Globalization;
using System.Text;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>
/// The run's table in Markdown: each scenario's figures for every server, then the first server's figure divided by
/// each other's (a ratio above 1 is better where more is better, worse where less is), then issue 6's targets.
/// </summary>
internal static class ResultTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(IReadOnlyList<ServerKind> servers, IReadOnlyDictionary<(Scenario, ServerKind), ScenarioResult> results, RunOptions options)
    {
        var subject = servers[0];
        var baselines = servers.Skip(1).ToList();
        var text = new StringBuilder();
        text.Append("| scenario | metric |");
        foreach (var server in servers)
        {
            text.Append(Inv, $" {server.Title} |");
        }

        foreach (var baseline in baselines)
        {
            text.Append(Inv, $" {subject.Title} ÷ {baseline.Title} |");
        }

        text.AppendLine();
        text.Append("| --- | --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", servers.Count + baselines.Count))).AppendLine();

        foreach (var scenario in options.Scenarios)
        {
            var first = true;
            foreach (var metric in Metrics(scenario))
            {
                text.Append(Inv, $"| {(first ? Describe(scenario, options) : "")} | {metric.Label} |");
                first = false;
                foreach (var server in servers)
                {
                    text.Append(Inv, $" {Format(metric, results.GetValueOrDefault((scenario, server)))} |");
                }

                foreach (var baseline in baselines)
                {
                    text.Append(Inv, $" {Ratio(metric, results.GetValueOrDefault((scenario, subject)), results.GetValueOrDefault((scenario, baseline)))} |");
                }

                text.AppendLine();
            }
        }

        text.AppendLine();
        text.Append(Targets(subject, results, options));
        return text.ToString();
    }

    private static string Describe(Scenario scenario, RunOptions options) => scenario switch
    {
        Scenario.Echo => $"echo, {options.EchoClients} rooms of 1",
        Scenario.FanOut => $"fan-out, 1 room of {options.FanOutClients}",
        Scenario.Chat => $"chat, {options.ChatRooms} rooms of {options.ChatRoomSize} at {options.ChatRate.ToString(Inv)} msg/s (offered {options.ChatRooms * options.ChatRoomSize * options.ChatRate * options.ChatRoomSize:F0} deliveries/s)",
        _ => $"idle, {options.IdleConnections} connections in rooms of {options.IdleRoomSize}",
    };

    private static IEnumerable<Metric> Metrics(Scenario scenario)
    {
        if (scenario == Scenario.Idle)
        {
            yield return new("server RSS growth per connection, KiB (less is better)", r => r.BytesPerConnection / 1024, "F1", Compare: true);
            yield return new("connections/s while connecting", r => r.ConnectRate, "F0", Compare: true);
            yield return new("connections answering an echo after the hold", r => r.Answered, "F0");
            yield return new("errors", r => r.Errors, "F0");
            yield break;
        }

        yield return new("deliveries/s (more is better)", r => r.DeliveriesPerSecond, "F0", Compare: true);
        yield return new("latency p50, ms", r => r.Latency.P50, "F2", Compare: true);
        if (scenario == Scenario.Chat)
        {
            yield return new("latency p90, ms", r => r.Latency.P90, "F2", Compare: true);
        }

        yield return new("latency p99, ms", r => r.Latency.P99, "F2", Compare: true);
        yield return new("latency max, ms", r => r.Latency.Max, "F1", Compare: true);
        yield return new("lost / out of order", r => r.Lost, "F0", Extra: r => $" / {r.OutOfOrder}");
        yield return new("errors", r => r.Errors, "F0");
    }

    private static string Format(Metric metric, ScenarioResult? result) =>
        result is null || metric.Value(result) is not { } value ? "–" : value.ToString(metric.Format, Inv) + (metric.Extra?.Invoke(result) ?? "");

    private static string Ratio(Metric metric, ScenarioResult? subject, ScenarioResult? baseline)
    {
        if (!metric.Compare || subject is null || baseline is null || metric.Value(subject) is not { } a || metric.Value(baseline) is not { } b || b <= 0)
        {
            return "";
        }

        return (a / b).ToString("F2", Inv) + "×";
    }

    private static string Targets(ServerKind subject, IReadOnlyDictionary<(Scenario, ServerKind), ScenarioResult> results, RunOptions options)
    {
        var lines = new StringBuilder();
        lines.AppendLine(Inv, $"Issue 6's targets for {subject.Title} in this run:");
        Check(Scenario.Echo, ServerKind.Kestrel, "echo deliveries/s ≥ 0.9× raw Kestrel", r => r.DeliveriesPerSecond, 0.9, atLeast: true);
        Check(Scenario.Echo, ServerKind.SignalR, "echo deliveries/s ≥ 1.3× SignalR", r => r.DeliveriesPerSecond, 1.3, atLeast: true);
        Check(Scenario.FanOut, ServerKind.Kestrel, "fan-out deliveries/s ≥ 0.9× raw Kestrel", r => r.DeliveriesPerSecond, 0.9, atLeast: true);
        Check(Scenario.FanOut, ServerKind.SignalR, "fan-out deliveries/s ≥ 1.3× SignalR", r => r.DeliveriesPerSecond, 1.3, atLeast: true);
        Check(Scenario.Chat, ServerKind.Kestrel, "chat p99 ≤ 1.2× raw Kestrel's", r => r.Latency.P99, 1.2, atLeast: false);
        Check(Scenario.Idle, ServerKind.Kestrel, "idle memory per connection ≤ 1.3× raw Kestrel's", r => r.BytesPerConnection ?? 0, 1.3, atLeast: false);
        foreach (var scenario in options.Scenarios)
        {
            if (results.TryGetValue((scenario, subject), out var own) && (own.Lost > 0 || own.Errors > 0))
            {
                lines.AppendLine(Inv, $"- {scenario}: {own.Lost} lost, {own.Errors} errors (target: nothing lost): not met");
            }
        }

        return lines.ToString();

        void Check(Scenario scenario, ServerKind baseline, string target, Func<ScenarioResult, double> value, double factor, bool atLeast)
        {
            if (!options.Scenarios.Contains(scenario) || !results.TryGetValue((scenario, subject), out var own) || !results.TryGetValue((scenario, baseline), out var other) || value(other) <= 0)
            {
                return;
            }

            var ratio = value(own) / value(other);
            var met = atLeast ? ratio >= factor : ratio <= factor;
            lines.AppendLine(Inv, $"- {target}: {ratio:F2}× — {(met ? "met" : "not met")}");
        }
    }

    private sealed record Metric(string Label, Func<ScenarioResult, double?> Value, string Format, bool Compare = false, Func<ScenarioResult, string>? Extra = null);
}
