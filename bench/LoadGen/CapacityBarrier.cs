using System.Globalization;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// The load generator's side of the capacity harness's barrier (<c>--coordinate</c>): one process cannot open more
/// than about 20,000 sockets here, so several load generators hold one server's connections together. Each says on
/// standard output how many it holds and waits for the word to send its echo on standard input.
/// </summary>
public static class CapacityBarrier
{
    /// <summary>The line the harness sends when every load generator is connected and the server's memory was read.</summary>
    public const string Echo = "echo";

    /// <summary>The longest a load generator waits for <see cref="Echo"/> before it goes on by itself.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromMinutes(15);

    /// <summary>The line announcing the held connections: <c>connected N ERRORS</c>.</summary>
    public static string Connected(int connected, long errors) => string.Create(CultureInfo.InvariantCulture, $"connected {connected} {errors}");

    /// <summary>Reads a <see cref="Connected"/> line; false for any other line.</summary>
    public static bool TryParseConnected(string? line, out int connected, out long errors)
    {
        connected = 0;
        errors = 0;
        var parts = line?.Split(' ') ?? [];
        return parts.Length == 3 && parts[0] == "connected"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out connected)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out errors);
    }

    /// <summary>Announces the held connections on standard output and waits for <see cref="Echo"/> (or the end of input) on standard input.</summary>
    public static async Task AwaitEchoAsync(int connected, long errors, CancellationToken cancellationToken)
    {
        Console.Out.WriteLine(Connected(connected, errors));
        Console.Out.Flush();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HoldLimit);
        try
        {
            // Console.In reads synchronously whatever token it is given, so the read runs aside and the wait is bounded.
            while (await Task.Run(Console.In.ReadLine, CancellationToken.None).WaitAsync(timeout.Token) is { } line && line.Trim() != Echo)
            {
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"No '{Echo}' within {HoldLimit.TotalMinutes} minutes; echoing anyway.");
        }
    }
}
