using System.Diagnostics;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Tests;

/// <summary>
/// The harness's warm-up waits for the servers' tiered JIT to go quiet, read from their tiering threads' CPU time in
/// <c>/proc</c>. These tests build that layout in a temporary directory, so that each sample's figure is known.
/// </summary>
public sealed class JitActivityTests : IDisposable
{
    private readonly string _proc = Directory.CreateTempSubdirectory("jit-activity-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    [Fact]
    public void Sample_CountsOnlyTheTieringThreadsGrowthSinceTheLastSample()
    {
        Thread(100, 1, JitActivity.TieringThreadName, user: 50, system: 10);
        Thread(100, 2, ".NET TP Worker", user: 500, system: 500);
        Thread(200, 3, JitActivity.TieringThreadName, user: 7, system: 0);
        var jit = new JitActivity([100, 200], _proc);

        Assert.Equal(TimeSpan.Zero, jit.Sample());

        Thread(100, 1, JitActivity.TieringThreadName, user: 60, system: 15); // +15 ticks
        Thread(100, 2, ".NET TP Worker", user: 900, system: 900);            // not the JIT
        Thread(200, 3, JitActivity.TieringThreadName, user: 12, system: 0);  // +5 ticks
        Assert.Equal(Ticks(20), jit.Sample());
        Assert.Equal(TimeSpan.Zero, jit.Sample());
    }

    [Fact]
    public void Sample_ANewTieringThreadCountsInFullAndAGoneOneOrProcessIsIgnored()
    {
        Thread(100, 1, JitActivity.TieringThreadName, user: 40, system: 0);
        var jit = new JitActivity([100, 300], _proc); // 300 does not exist

        // The runtime lets an idle tiering thread exit and starts a new one when there is work again.
        Directory.Delete(Path.Combine(_proc, "100", "task", "1"), recursive: true);
        Thread(100, 9, JitActivity.TieringThreadName, user: 3, system: 2);

        Assert.Equal(Ticks(5), jit.Sample());
    }

    [Fact]
    public void ParseStatTicks_ANameWithSpacesAndParentheses_CountsFieldsFromTheLastParenthesis()
    {
        Assert.Equal(30 + 12, JitActivity.ParseStatTicks("42 (.NET (x) Tiered) S 1 2 3 4 5 6 7 8 9 10 30 12 0 0 20 0 1 0"));
        Assert.Null(JitActivity.ParseStatTicks("42 no parenthesis"));
        Assert.Null(JitActivity.ParseStatTicks("42 (short) S 1 2"));
    }

    [Fact]
    public void ParseStatTicks_ThisProcessesRealStat_IsItsProcessorTime()
    {
        // The field positions against the real /proc: this process's utime + stime is its total processor time.
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var ticks = JitActivity.ParseStatTicks(File.ReadAllText($"/proc/{Environment.ProcessId}/stat"));
        var after = Process.GetCurrentProcess().TotalProcessorTime;

        Assert.NotNull(ticks);
        var read = TimeSpan.FromSeconds((double)ticks!.Value / JitActivity.TicksPerSecond);
        var tick = TimeSpan.FromSeconds(1.0 / JitActivity.TicksPerSecond);
        Assert.InRange(read, before - tick - tick, after + tick);
    }

    private static TimeSpan Ticks(int ticks) => TimeSpan.FromSeconds((double)ticks / JitActivity.TicksPerSecond);

    private void Thread(int pid, int tid, string name, long user, long system)
    {
        var task = Directory.CreateDirectory(Path.Combine(_proc, pid.ToString(), "task", tid.ToString())).FullName;
        File.WriteAllText(Path.Combine(task, "comm"), name + "\n");
        File.WriteAllText(Path.Combine(task, "stat"), $"{tid} ({name}) S 1 1 1 0 -1 4194624 10 0 0 0 {user} {system} 0 0 20 0 30 0 100 0 0");
    }
}
