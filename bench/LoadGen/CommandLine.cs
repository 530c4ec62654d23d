using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Switchboard.Bench.LoadGen;

/// <summary>Reads <c>--name value</c> pairs into <see cref="LoadOptions"/>.</summary>
public static class CommandLine
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Switchboard.Bench.LoadGen: chat-protocol load against one or more servers.

          --scenario echo|fanout|chat|idle   what the clients do (default echo)
          --targets ws://127.0.0.1:8000/,... servers; client i goes to target i mod count
          --protocol chat|signalr            wire protocol (default chat: /ws/chat/{room}/)
          --clients N                        connections (default 64)
          --room-size N                      clients per room (default: echo 1, fanout all, chat and idle 10)
          --rate R                           chat: messages a second per client (default 5)
          --duration S                       measured seconds (idle: seconds held) (default 10)
          --warmup S                         unmeasured seconds first (default 2)
          --settle S                         then up to S more while the servers' JIT still compiles
                                             (their tiering threads, read from /proc; needs --cpu-pids
                                             or --server-pid) (default 0: no wait)
          --reply-timeout S                  a message later than this is lost (default 5)
          --connect-concurrency N            handshakes in flight (default 32)
          --bind 127.0.0.2,127.0.0.3|A-B     source addresses, round robin (a range counts up the last octets)
          --server-pid PID                   read the server's resident set from /proc (and its CPU time)
          --cpu-pids PID,PID,...             read the CPU time of these processes (all nodes, Redis) instead
          --padding N                        extra characters per message (default 0)
          --wave N                           chat: N more clients connect a quarter of the way into the
                                             window, in rooms of their own, and hold without sending
                                             (a reconnect storm); the chat latency shows its cost
          --json                             print the result as JSON as well
          --coordinate                       idle: print "connected N ERRORS" once connected, then hold the
                                             connections until a line "echo" (or the end) on standard input
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with the reason when they are wrong.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args, out bool json)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new LoadOptions();
        json = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--json")
            {
                json = true;
                continue;
            }

            if (name == "--coordinate")
            {
                options = options with { WhileHeld = CapacityBarrier.AwaitEchoAsync };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--scenario" => options with { Scenario = ParseScenario(value) },
                "--targets" => options with { Targets = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => new Uri(t.EndsWith('/') ? t : t + "/"))] },
                "--protocol" => options with { Protocol = Enum.Parse<WireProtocolKind>(value, ignoreCase: true) },
                "--clients" => options with { Clients = Int(value) },
                "--room-size" => options with { RoomSize = Int(value) },
                "--rate" => options with { Rate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = Seconds(value) },
                "--warmup" => options with { Warmup = Seconds(value) },
                "--settle" => options with { SettleLimit = Seconds(value) },
                "--reply-timeout" => options with { ReplyTimeout = Seconds(value) },
                "--connect-concurrency" => options with { ConnectConcurrency = Int(value) },
                "--bind" => options with { SourceAddresses = ParseAddresses(value) },
                "--server-pid" => options with { ServerPid = Int(value) },
                "--cpu-pids" => options with { CpuPids = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Int)] },
                "--padding" => options with { PayloadPadding = Int(value) },
                "--wave" => options with { Wave = Int(value) is >= 0 and <= 100_000 ? Int(value) : throw new ArgumentException($"--wave takes 0 to 100000 clients, not {value}.") },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (options.Wave > 0 && options.Scenario != Scenario.Chat)
        {
            throw new ArgumentException($"--wave connects clients during chat's measured window; it has no meaning for {options.Scenario.ToString().ToLowerInvariant()}.");
        }

        if (options.SettleLimit > TimeSpan.Zero && options.EffectiveCpuPids.Count == 0)
        {
            // With no process to watch, the JIT would always read as quiet and the wait would mean nothing.
            throw new ArgumentException("--settle needs the servers' processes: give --cpu-pids (every node) or --server-pid.");
        }

        return options;
    }

    /// <summary>Reads <c>echo</c>, <c>fanout</c> (or <c>fan-out</c>), <c>chat</c> or <c>idle</c>.</summary>
    public static Scenario ParseScenario(string value) =>
        Enum.Parse<Scenario>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);

    /// <summary>Reads a comma-separated list of addresses, each either one address or an inclusive IPv4 range <c>A-B</c>.</summary>
    public static IReadOnlyList<IPAddress> ParseAddresses(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var addresses = new List<IPAddress>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            if (range.Length == 1)
            {
                addresses.Add(IPAddress.Parse(part));
                continue;
            }

            var first = BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(range[0]).GetAddressBytes());
            var last = BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(range[1]).GetAddressBytes());
            for (var address = first; address <= last && address >= first; address++)
            {
                var bytes = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
                addresses.Add(new IPAddress(bytes));
            }
        }

        return addresses;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
