using System.Diagnostics;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Tests;

public sealed class ProcessCpuTests
{
    [Fact]
    public void Total_OfABusyChild_GrowsWithItsWorkAndSumsWithOthers()
    {
        // A child that burns CPU for a bounded time: its processor time, read from outside, grows while it runs.
        using var child = Process.Start(new ProcessStartInfo("sh", ["-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 30"]) { UseShellExecute = false })!;
        try
        {
            var deadline = Stopwatch.StartNew();
            TimeSpan? busy = null;
            while (deadline.Elapsed < TimeSpan.FromSeconds(30) && (busy = ProcessCpu.Total([child.Id])) < TimeSpan.FromMilliseconds(50))
            {
                Thread.Sleep(20);
            }

            Assert.True(busy >= TimeSpan.FromMilliseconds(50), $"the child's CPU time read {busy}");
            // Times only grow, so the sum read between two pairs of single readings lies between their sums.
            var before = ProcessCpu.Total([child.Id]) + ProcessCpu.Total([Environment.ProcessId]);
            var both = ProcessCpu.Total([child.Id, Environment.ProcessId]);
            var after = ProcessCpu.Total([child.Id]) + ProcessCpu.Total([Environment.ProcessId]);
            Assert.True(before <= both && both <= after, $"{both} is not the sum ({before} .. {after})");
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    [Fact]
    public void Total_NoProcessesOrOneGone_IsNoFigure()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();

        Assert.Null(ProcessCpu.Total([]));
        Assert.Null(ProcessCpu.Total([Environment.ProcessId, gone.Id]));
    }

    [Fact]
    public void Between_TwoReadings_IsWhatWasSpentAndNoFigureWhenEitherHasNone()
    {
        var start = new WindowCpu(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        var end = new WindowCpu(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1.5));

        Assert.Equal(new WindowCpu(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(0.5)), WindowCpu.Between(start, end));
        Assert.Null(WindowCpu.Between(start with { Servers = null }, end).Servers);
    }

    [Fact]
    public void Result_PerDeliveryAndCores_DivideTheWindowsCpu()
    {
        var result = new ScenarioResult { WindowSeconds = 2, Delivered = 400_000, ServerCpuSeconds = 3, LoadGenCpuSeconds = 1 };

        Assert.Equal(7.5, result.ServerCpuPerDelivery);
        Assert.Equal(2.5, result.LoadGenCpuPerDelivery);
        Assert.Equal(1.5, result.ServerCores);
        Assert.Equal(0.5, result.LoadGenCores);
        Assert.Null((result with { ServerCpuSeconds = null }).ServerCpuPerDelivery);
        Assert.Null((result with { Delivered = 0 }).ServerCpuPerDelivery);
        Assert.Contains("servers 7.50 µs/delivery (1.50 cores), load generator 2.50 µs/delivery (0.50 cores)", result.Describe(), StringComparison.Ordinal);
    }
}
