using System.Globalization;
using System.Text;

namespace Switchboard.Bench.Run;

/// <summary>The capacity run's table in Markdown, one column per server, and the memory extrapolated to a million connections.</summary>
internal static class CapacityTable
{
    private const double Million = 1_000_000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(IReadOnlyList<CapacityResult> results, CapacityOptions options)
    {
        var text = new StringBuilder();
        text.Append("| capacity, ").Append(Inv, $"{options.Connections} connections in rooms of {options.RoomSize}, {options.ProcessCount} load generators |");
        foreach (var result in results)
        {
            text.Append(Inv, $" {result.Server.Title} |");
        }

        text.AppendLine().Append("| --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", results.Count))).AppendLine();
        Row("connections held", r => r.Connected.ToString(Inv));
        Row("connections answering an echo afterwards", r => r.Answered.ToString(Inv));
        Row("errors", r => r.Errors.ToString(Inv));
        Row("connections/s while connecting (all load generators)", r => r.ConnectRate.ToString("F0", Inv));
        Row("server RSS before → held, MiB", r => $"{Mib(r.RssBefore)} → {Mib(r.RssHeld)}");
        Row("server RSS growth per connection, KiB", r => r.BytesPerConnection is { } b ? (b / 1024).ToString("F1", Inv) : "–");
        Row("… extrapolated to 1,000,000 connections, GiB", r => r.BytesPerConnection is { } b ? (b * Million / (1L << 30)).ToString("F1", Inv) : "–");
        Row("server peak RSS, MiB", r => Mib(r.PeakRss));
        Row("server's open files while held (its limit)", r => $"{r.ServerFiles?.ToString(Inv) ?? "?"} ({r.ServerFileLimit ?? "?"})");
        Row("server's memory mappings while held (vm.max_map_count)", r => $"{r.ServerMappings?.ToString(Inv) ?? "?"} ({MaxMapCount()})");
        Row("echo of every connection: all back in, s (slowest, ms)", r => $"{r.EchoSeconds:F1} ({r.EchoMaxMs:F0})".ToString(Inv));
        foreach (var result in results)
        {
            foreach (var sample in result.ErrorSamples)
            {
                text.AppendLine(Inv, $"- {result.Server.Title} error: {sample}");
            }
        }

        return text.ToString();

        void Row(string label, Func<CapacityResult, string> value)
        {
            text.Append(Inv, $"| {label} |");
            foreach (var result in results)
            {
                text.Append(Inv, $" {value(result)} |");
            }

            text.AppendLine();
        }
    }

    private static string MaxMapCount()
    {
        try
        {
            return File.ReadAllText("/proc/sys/vm/max_map_count").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string Mib(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F0", Inv) : "?";
}
