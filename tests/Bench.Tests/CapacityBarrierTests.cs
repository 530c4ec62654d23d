using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Bench.LoadGen;
using Switchboard.Bench.RawKestrel;

namespace Switchboard.Bench.Tests;

/// <summary>
/// The capacity harness's barrier between load-generator processes: the load generator holds its idle connections
/// until told to echo, says how many it holds, and every one still answers afterwards. Against raw Kestrel in this
/// process (the barrier is the load generator's, whatever the server).
/// </summary>
public sealed class CapacityBarrierTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(0, 0L)]
    [InlineData(6340, 12L)]
    public void Connected_Line_ParsesBack(int connected, long errors)
    {
        Assert.True(CapacityBarrier.TryParseConnected(CapacityBarrier.Connected(connected, errors), out var parsedConnected, out var parsedErrors));
        Assert.Equal((connected, errors), (parsedConnected, parsedErrors));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("connected")]
    [InlineData("connected 12")]
    [InlineData("connected -1 0")]
    [InlineData("Idle: connecting 12 clients in 2 rooms of 6")]
    public void TryParseConnected_OtherLines_AreNotReports(string? line) =>
        Assert.False(CapacityBarrier.TryParseConnected(line, out _, out _));

    [Fact]
    public async Task IdleRun_WhileHeldHookPending_HoldsThenEveryConnectionAnswers()
    {
        await using var host = RawKestrelHost.Build(["--urls", "http://127.0.0.1:0"]);
        await host.StartAsync();
        try
        {
            var held = new TaskCompletionSource<(int Connected, long Errors)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var options = new LoadOptions
            {
                Scenario = Scenario.Idle,
                Targets = [Target(host)],
                Clients = 6,
                RoomSize = 3,
                WhileHeld = async (connected, errors, cancellationToken) =>
                {
                    held.TrySetResult((connected, errors));
                    await release.Task.WaitAsync(Limit, cancellationToken);
                },
            };

            var run = LoadRunner.RunAsync(options);
            var report = await held.Task.WaitAsync(Limit);
            Assert.Equal((6, 0L), report);
            Assert.False(run.IsCompleted);

            release.SetResult();
            var result = await run.WaitAsync(Limit);
            Assert.True(result.Answered == 6 && result.Errors == 0, result.Describe());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task LoadGenProcess_Coordinate_ReportsConnectedWaitsForEchoThenPrintsItsResult()
    {
        // The harness's own protocol, through a real load-generator process bound to another loopback source address.
        await using var host = RawKestrelHost.Build(["--urls", "http://127.0.0.1:0"]);
        await host.StartAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Switchboard.Bench.LoadGen.dll"),
                "--scenario", "idle", "--coordinate", "--json", "--clients", "4", "--room-size", "2",
                "--targets", Target(host).ToString(), "--bind", "127.0.0.2",
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            var report = await ReadUntilAsync(process, line => CapacityBarrier.TryParseConnected(line, out _, out _));
            Assert.True(CapacityBarrier.TryParseConnected(report, out var connected, out var failed));
            Assert.Equal((4, 0L), (connected, failed));

            await process.StandardInput.WriteLineAsync(CapacityBarrier.Echo);
            await process.StandardInput.FlushAsync();
            var json = await ReadUntilAsync(process, line => line.StartsWith('{'));
            var result = JsonSerializer.Deserialize<ScenarioResult>(json, new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } })!;
            Assert.True(result.Connected == 4 && result.Answered == 4 && result.Errors == 0, result.Describe());
            await process.WaitForExitAsync().WaitAsync(Limit);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            await errors;
            await host.StopAsync();
        }
    }

    private static Uri Target(WebApplication host)
    {
        var bound = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(bound.Replace("http://", "ws://", StringComparison.Ordinal) + "/");
    }

    private static async Task<string> ReadUntilAsync(Process process, Func<string, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (wanted(line))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"The load generator ended (exit code {(process.HasExited ? process.ExitCode : -1)}) before the line expected.");
    }
}
