using System.Globalization;
using System.Text;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>
/// The run's table in Markdown: each case's figures for every server, then the first server's figure divided by
/// each other's (a ratio above 1 is better where more is better, worse where less is), then issue 6's targets.
/// A server with no form on a case's node count (raw Kestrel across nodes) shows a dash. With several rounds, a server's
/// figures are those of its median round by the case's key figure (throughput; chat: p99; idle: memory per connection),
/// losses and errors are totals over every round, and a row lists the key figure of each round with the range of the
/// ratios round by round.
/// </summary>
internal static class ResultTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="servers">The servers, the subject first.</param>
    /// <param name="rounds">Every case's measurements, round by round.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="collectors">The line naming each .NET server's garbage collector (<see cref="Collector.Describe"/>), if known.</param>
    public static string Render(IReadOnlyList<ServerKind> servers, IReadOnlyDictionary<(RunCase, ServerKind), IReadOnlyList<Measurement>> rounds, RunOptions options, string? collectors = null)
    {
        var results = rounds.Where(pair => pair.Value.Count > 0).ToDictionary(pair => pair.Key, pair => MedianRound(pair.Key.Item1.Scenario, pair.Value, options));
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

        foreach (var run in options.Cases)
        {
            var first = true;
            foreach (var metric in Metrics(run.Scenario, options))
            {
                text.Append(Inv, $"| {(first ? Describe(run, options) : "")} | {metric.Label} |");
                first = false;
                foreach (var server in servers)
                {
                    text.Append(Inv, $" {Format(metric, results.GetValueOrDefault((run, server)), rounds.GetValueOrDefault((run, server)))} |");
                }

                foreach (var baseline in baselines)
                {
                    text.Append(Inv, $" {Ratio(metric, results.GetValueOrDefault((run, subject)), results.GetValueOrDefault((run, baseline)))} |");
                }

                text.AppendLine();
                if (metric.Key && options.Rounds > 1)
                {
                    text.Append(Inv, $"|  | {metric.Label.Split(" (")[0]}, each round |");
                    foreach (var server in servers)
                    {
                        var each = rounds.GetValueOrDefault((run, server)) ?? [];
                        text.Append(Inv, $" {(each.Count == 0 ? "–" : string.Join(", ", each.Select(m => (metric.Value(m) ?? 0).ToString(metric.Format, Inv))))} |");
                    }

                    foreach (var baseline in baselines)
                    {
                        var ratios = RoundRatios(metric.Value, rounds.GetValueOrDefault((run, subject)), rounds.GetValueOrDefault((run, baseline)));
                        text.Append(Inv, $" {(ratios.Count == 0 ? "" : $"{ratios.Min():F2}-{ratios.Max():F2}×")} |");
                    }

                    text.AppendLine();
                }
            }
        }

        text.AppendLine();
        if (options.Cases.Any(c => c.Nodes > 1))
        {
            text.AppendLine(string.Join("; ", servers.Select(s => s.MultiNode is { } how ? $"{s.Title} on N nodes: {how}" : $"{s.Title}: one node only")) + ".");
        }

        if (options.ServerEnvironment.Count > 0)
        {
            text.AppendLine(Inv, $"Every server process ran with {string.Join(", ", options.ServerEnvironment.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"))}.");
        }

        if (collectors is not null)
        {
            text.AppendLine(collectors);
        }

        if (options.SettleLimit > TimeSpan.Zero)
        {
            var unsettled = options.Cases.SelectMany(run => servers.SelectMany(server => (rounds.GetValueOrDefault((run, server)) ?? []).Where(m => m.Result.JitSettled == false).Select(_ => $"{server.Title} in {Describe(run, options).Replace("**", "", StringComparison.Ordinal)}"))).Distinct().ToList();
            text.AppendLine(Inv, $"Every case warmed up for {options.Warmup.TotalSeconds:0.#} s (across nodes {options.CrossNodeWarmup.TotalSeconds:0.#} s), then until the servers' tiered JIT had been quiet for 2 s (at most {options.SettleLimit.TotalSeconds:0.#} s more): {(unsettled.Count == 0 ? "it went quiet in every case." : "it was still compiling at the limit for " + string.Join("; ", unsettled) + ".")}");
        }

        if (options.Rounds > 1)
        {
            text.AppendLine(Inv, $"Each server's figures are its median round of {options.Rounds} by the key figure (throughput; chat: p99 latency; idle: memory per connection; of an even number, the worse of the middle two); losses, out-of-order deliveries and errors are totals over all rounds, and answering connections the fewest of any round. The rounds' ratio range divides round by round: the servers of a round ran one after another, in turn.");
        }

        if (servers.Contains(ServerKind.Channels))
        {
            text.AppendLine("Channels runs on Daphne with its Redis channel layer on one node too; its memory figures include that redis-server.");
        }

        text.Append(ChatAgainstLoad(servers, results, rounds, options));
        text.AppendLine();
        text.Append(Targets(subject, results, rounds, options));
        return text.ToString();
    }

    /// <summary>
    /// With several chat rates: each server's chat at each offered load side by side (median rounds), where a server's
    /// latency climbs as it nears what it can serve, and where it falls behind (delivers less than offered, or loses).
    /// </summary>
    private static string ChatAgainstLoad(IReadOnlyList<ServerKind> servers, IReadOnlyDictionary<(RunCase, ServerKind), Measurement> results, IReadOnlyDictionary<(RunCase, ServerKind), IReadOnlyList<Measurement>> rounds, RunOptions options)
    {
        var chats = options.Cases.Where(run => run.Scenario == Scenario.Chat).ToList();
        if (options.ChatRates.Count < 2 || chats.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.AppendLine().AppendLine("Chat against the offered load (each server's median round: deliveries/s, p99 latency, lost over all rounds):").AppendLine();
        text.Append("| offered deliveries/s | nodes |").Append(string.Concat(servers.Select(server => $" {server.Title} |"))).AppendLine();
        text.Append("| ---: | ---: |").Append(string.Concat(servers.Select(_ => " --- |"))).AppendLine();
        foreach (var run in chats.OrderBy(run => run.Nodes).ThenBy(run => run.Rate))
        {
            text.Append(Inv, $"| {options.ChatOffered(run.Rate):N0} | {run.Nodes} |");
            foreach (var server in servers)
            {
                var cell = results.TryGetValue((run, server), out var median)
                    ? $"{median.Result.DeliveriesPerSecond:N0}/s, p99 {median.Result.Latency.P99:F2} ms, {rounds[(run, server)].Sum(m => m.Result.Lost):N0} lost"
                    : "–";
                text.Append(Inv, $" {cell} |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Describe(RunCase run, RunOptions options)
    {
        var what = run.Scenario switch
        {
            Scenario.Echo => $"echo, {options.EchoClients} rooms of 1",
            Scenario.FanOut => $"fan-out, 1 room of {options.FanOutClients}",
            Scenario.Chat => $"chat, {options.ChatRooms} rooms of {options.ChatRoomSize} at {run.Rate.ToString(Inv)} msg/s (offered {options.ChatOffered(run.Rate):F0} deliveries/s)",
            _ => $"idle, {options.IdleConnections} connections in rooms of {options.IdleRoomSize}",
        };
        what = options.Padding > 0 ? $"{what}, texts padded by {options.Padding} characters" : what;
        what = run.Scenario == Scenario.Chat && options.Wave > 0 ? $"{what}, **a wave of {options.Wave} clients** connecting a quarter of the way in" : what;
        return run.Nodes == 1 ? what : $"{what}, **{run.Nodes} nodes** (clients spread over them)";
    }

    private static IEnumerable<Metric> Metrics(Scenario scenario, RunOptions options)
    {
        var timeout = options.ReplyTimeout.TotalSeconds.ToString(Inv);
        if (scenario == Scenario.Idle)
        {
            yield return new("server RSS growth per connection, KiB (less is better)", m => m.Result.BytesPerConnection / 1024, "F1", Compare: true, Key: true, LessIsBetter: true);
            yield return new("connections/s while connecting", m => m.Result.ConnectRate, "F0", Compare: true);
            yield return new($"connections answering an echo after the hold (within {timeout} s)", m => m.Result.Answered, "F0", Over: Rounds.Fewest);
            yield return new("servers' RSS after, MiB (all processes)", m => m.ResidentBytes / 1048576.0, "F0", Compare: true);
            yield return new("errors", m => m.Result.Errors, "F0", Over: Rounds.Total);
            yield break;
        }

        yield return new("deliveries/s (more is better)", m => m.Result.DeliveriesPerSecond, "F0", Compare: true, Key: scenario != Scenario.Chat);
        yield return new("latency p50, ms", m => m.Result.Latency.P50, "F2", Compare: true);
        if (scenario == Scenario.Chat)
        {
            yield return new("latency p90, ms", m => m.Result.Latency.P90, "F2", Compare: true);
        }

        yield return new("latency p99, ms", m => m.Result.Latency.P99, "F2", Compare: true, Key: scenario == Scenario.Chat, LessIsBetter: true);
        yield return new("latency max, ms", m => m.Result.Latency.Max, "F1", Compare: true);
        if (scenario == Scenario.Chat && options.Wave > 0)
        {
            yield return new($"the wave: connections/s / clients connected (of {options.Wave})", m => m.Result.WaveRate, "F0", Compare: true, Extra: m => m.Result.WaveConnected ?? 0);
        }

        yield return new("longest GC pause in the window, ms (.NET servers)", m => m.GcPauses?.Longest.TotalMilliseconds, "F1", Compare: true);
        yield return new("GC pauses in the window, ms in all (.NET servers)", m => m.GcPauses?.Total.TotalMilliseconds, "F1", Compare: true);
        yield return new($"lost (not in {timeout} s after the window) / out of order", m => m.Result.Lost, "F0", Over: Rounds.Total, Extra: m => m.Result.OutOfOrder);
        yield return new("errors", m => m.Result.Errors, "F0", Over: Rounds.Total);
        yield return new("server CPU per delivery, µs (all processes; less is better)", m => m.Result.ServerCpuPerDelivery, "F2", Compare: true);
        yield return new("cores busy in the window: servers / load generator", m => m.Result.ServerCores, "F2", Extra: m => m.Result.LoadGenCores ?? 0);
        yield return new("servers' RSS after, MiB (all processes)", m => m.ResidentBytes / 1048576.0, "F0", Compare: true);
        yield return new("warm-up before the window, s", m => m.Result.WarmupSeconds, "F1");
    }

    /// <summary>
    /// The round whose key figure is the median (of an even number, the worse of the middle two): the figures of one
    /// round stay together, so a row never mixes the throughput of one round with the latency of another.
    /// </summary>
    internal static Measurement MedianRound(Scenario scenario, IReadOnlyList<Measurement> rounds, RunOptions options)
    {
        // Worst first by the scenario's key row: the lowest throughput, or the highest latency or memory.
        var key = Metrics(scenario, options).Single(metric => metric.Key);
        var worstFirst = key.LessIsBetter
            ? rounds.OrderByDescending(m => key.Value(m) ?? double.MaxValue)
            : rounds.OrderBy(m => key.Value(m) ?? double.MinValue);
        return worstFirst.ElementAt((rounds.Count - 1) / 2);
    }

    /// <summary>Round <c>i</c>'s subject figure ÷ round <c>i</c>'s baseline figure, for the rounds both have.</summary>
    internal static IReadOnlyList<double> RoundRatios(Func<Measurement, double?> value, IReadOnlyList<Measurement>? subject, IReadOnlyList<Measurement>? baseline) =>
        subject is null || baseline is null
            ? []
            : [.. subject.Zip(baseline).Select(pair => (value(pair.First), value(pair.Second))).Where(pair => pair.Item1 is not null && pair.Item2 > 0).Select(pair => pair.Item1!.Value / pair.Item2!.Value)];

    private static string Format(Metric metric, Measurement? median, IReadOnlyList<Measurement>? rounds)
    {
        if (median is null || metric.Value(median) is not { } value)
        {
            return "–";
        }

        var all = rounds is { Count: > 0 } ? rounds : [median];
        value = metric.Over switch
        {
            Rounds.Total => all.Sum(m => metric.Value(m) ?? 0),
            Rounds.Fewest => all.Min(m => metric.Value(m) ?? 0),
            _ => value,
        };
        var extra = metric.Extra is { } more ? $" / {(metric.Over == Rounds.Total ? all.Sum(more) : more(median)).ToString(metric.Format, Inv)}" : "";
        return value.ToString(metric.Format, Inv) + extra;
    }

    private static string Ratio(Metric metric, Measurement? subject, Measurement? baseline)
    {
        if (!metric.Compare || subject is null || baseline is null || metric.Value(subject) is not { } a || metric.Value(baseline) is not { } b || b <= 0)
        {
            return "";
        }

        return (a / b).ToString("F2", Inv) + "×";
    }

    private static string Targets(ServerKind subject, IReadOnlyDictionary<(RunCase, ServerKind), Measurement> results, IReadOnlyDictionary<(RunCase, ServerKind), IReadOnlyList<Measurement>> rounds, RunOptions options)
    {
        var lines = new StringBuilder();
        lines.AppendLine(Inv, $"Issue 6's targets for {subject.Title} in this run:");
        Func<Measurement, double> throughput = m => m.Result.DeliveriesPerSecond;
        Check(new RunCase(Scenario.Echo, 1), ServerKind.Kestrel, "echo deliveries/s ≥ 0.9× raw Kestrel", throughput, 0.9, atLeast: true);
        Check(new RunCase(Scenario.Echo, 1), ServerKind.SignalR, "echo deliveries/s ≥ 1.3× SignalR", throughput, 1.3, atLeast: true);
        Check(new RunCase(Scenario.Echo, 1), ServerKind.Channels, "echo deliveries/s ≥ 6× Channels", throughput, 6, atLeast: true);
        Check(new RunCase(Scenario.FanOut, 1), ServerKind.Kestrel, "fan-out deliveries/s ≥ 0.9× raw Kestrel", throughput, 0.9, atLeast: true);
        Check(new RunCase(Scenario.FanOut, 1), ServerKind.SignalR, "fan-out deliveries/s ≥ 1.3× SignalR", throughput, 1.3, atLeast: true);
        Check(new RunCase(Scenario.FanOut, 1), ServerKind.Channels, "fan-out deliveries/s ≥ 12× Channels", throughput, 12, atLeast: true);
        foreach (var rate in options.ChatRates)
        {
            // The target holds at whatever load both serve: "at the same offered load".
            var at = options.ChatRates.Count > 1 ? $" at {options.ChatOffered(rate):N0} deliveries/s offered" : "";
            Check(new RunCase(Scenario.Chat, 1, rate), ServerKind.Kestrel, $"chat p99{at} ≤ 1.2× raw Kestrel's", m => m.Result.Latency.P99, 1.2, atLeast: false);
        }

        Check(new RunCase(Scenario.Idle, 1), ServerKind.Kestrel, "idle memory per connection ≤ 1.3× raw Kestrel's", m => m.Result.BytesPerConnection ?? 0, 1.3, atLeast: false);
        foreach (var nodes in options.Nodes.Where(n => n > 1).Order())
        {
            Check(new RunCase(Scenario.FanOut, nodes), ServerKind.SignalR, $"fan-out on {nodes} nodes ≥ 1.2× SignalR+Redis", throughput, 1.2, atLeast: true);
            Check(new RunCase(Scenario.FanOut, nodes), ServerKind.Channels, $"fan-out on {nodes} nodes ≥ 4× Channels+Redis", throughput, 4, atLeast: true);
            Check(new RunCase(Scenario.Echo, nodes), ServerKind.SignalR, $"echo on {nodes} nodes ≥ 3× SignalR+Redis", throughput, 3, atLeast: true);
        }

        foreach (var run in options.Cases)
        {
            if (rounds.TryGetValue((run, subject), out var own) && own.Sum(m => m.Result.Lost) is var lost && own.Sum(m => m.Result.Errors) is var errors && (lost > 0 || errors > 0))
            {
                lines.AppendLine(Inv, $"- {run}: {lost} lost, {errors} errors (target: nothing lost): not met");
            }
        }

        return lines.ToString();

        void Check(RunCase run, ServerKind baseline, string target, Func<Measurement, double> value, double factor, bool atLeast)
        {
            if (baseline == subject || !results.TryGetValue((run, subject), out var own) || !results.TryGetValue((run, baseline), out var other) || value(other) <= 0)
            {
                return;
            }

            var ratio = value(own) / value(other);
            var met = atLeast ? ratio >= factor : ratio <= factor;
            var each = RoundRatios(m => value(m), rounds.GetValueOrDefault((run, subject)), rounds.GetValueOrDefault((run, baseline)));
            var inRounds = each.Count > 1 ? $" (met in {each.Count(r => atLeast ? r >= factor : r <= factor)} of {each.Count} rounds: {string.Join(", ", each.Select(r => r.ToString("F2", Inv) + "×"))})" : "";
            lines.AppendLine(Inv, $"- {target}: {ratio:F2}× — {(met ? "met" : "not met")}{inRounds}");
        }
    }

    /// <summary>How a metric is read over several rounds: from the median round, or over all of them.</summary>
    private enum Rounds
    {
        Median,
        Total,
        Fewest,
    }

    /// <summary>One row of a case.</summary>
    /// <param name="Label">The row's name.</param>
    /// <param name="Value">The figure of one round; null when that round has none.</param>
    /// <param name="Format">The figure's number format.</param>
    /// <param name="Compare">Whether the ratio columns divide it.</param>
    /// <param name="Key">The figure that picks the median round, listed round by round (one per scenario).</param>
    /// <param name="LessIsBetter">For the key figure: the worse round is the higher one.</param>
    /// <param name="Over">How several rounds make one figure.</param>
    /// <param name="Extra">A second count shown after a slash (out-of-order deliveries after the lost ones).</param>
    private sealed record Metric(string Label, Func<Measurement, double?> Value, string Format, bool Compare = false, bool Key = false, bool LessIsBetter = false, Rounds Over = Rounds.Median, Func<Measurement, double>? Extra = null);
}
