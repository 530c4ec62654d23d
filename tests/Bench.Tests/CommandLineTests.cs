using System.Net;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_EveryOption_LandsInTheOptions()
    {
        var options = CommandLine.Parse(
            ["--scenario", "fan-out", "--targets", "ws://127.0.0.1:1,ws://127.0.0.1:2", "--protocol", "signalr", "--clients", "9", "--room-size", "3", "--rate", "0.5", "--duration", "1.5", "--bind", "127.0.0.2", "--json"],
            out var json);

        Assert.True(json);
        Assert.Equal(Scenario.FanOut, options.Scenario);
        Assert.Equal([new Uri("ws://127.0.0.1:1/"), new Uri("ws://127.0.0.1:2/")], options.Targets);
        Assert.Equal(WireProtocolKind.SignalR, options.Protocol);
        Assert.Equal(3, options.EffectiveRoomSize);
        Assert.Equal(0.5, options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.Duration);
        Assert.Equal([IPAddress.Parse("127.0.0.2")], options.SourceAddresses);
    }

    [Fact]
    public void Parse_CpuPids_NameTheProcessesWhoseTimeIsRead_ElseTheServerPid()
    {
        Assert.Equal([7, 8, 9], CommandLine.Parse(["--cpu-pids", "7, 8,9", "--server-pid", "5"], out _).EffectiveCpuPids);
        Assert.Equal([5], CommandLine.Parse(["--server-pid", "5"], out _).EffectiveCpuPids);
        Assert.Empty(CommandLine.Parse([], out _).EffectiveCpuPids);
    }

    [Fact]
    public void Parse_Settle_IsHowLongTheWarmUpMayWaitForTheJit()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), CommandLine.Parse(["--settle", "45", "--cpu-pids", "7,8"], out _).SettleLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), CommandLine.Parse(["--server-pid", "7", "--settle", "5"], out _).SettleLimit);
        Assert.Equal(TimeSpan.Zero, CommandLine.Parse([], out _).SettleLimit);
    }

    [Fact]
    public void Parse_SettleWithNoProcessToWatch_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--settle", "45"], out _));

        Assert.Contains("--cpu-pids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Wave_IsChatsOnly()
    {
        Assert.Equal(500, CommandLine.Parse(["--scenario", "chat", "--wave", "500"], out _).Wave);
        Assert.Equal(0, CommandLine.Parse(["--scenario", "chat"], out _).Wave);
        Assert.Contains("no meaning for echo", Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--wave", "5"], out _)).Message, StringComparison.Ordinal);
        Assert.Contains("--wave takes 0 to 100000", Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--scenario", "chat", "--wave", "-2"], out _)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAddresses_Range_CountsUpAcrossOctets()
    {
        var addresses = CommandLine.ParseAddresses("127.0.0.254-127.0.1.1");

        Assert.Equal(["127.0.0.254", "127.0.0.255", "127.0.1.0", "127.0.1.1"], addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Payload_WrittenThenParsed_RoundTrips()
    {
        var buffer = new byte[Payload.MaxLength + 10];
        var payload = new Payload(int.MaxValue, long.MaxValue, 123456789);

        var length = payload.Write(buffer, padding: 4);

        Assert.True(Payload.TryParse(buffer.AsSpan(0, length), out var parsed));
        Assert.Equal(payload, parsed);
    }
}
