using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Bench.LoadGen;

/// <summary>Runs one scenario: connect every client, run the traffic, drain, measure, close.</summary>
public static class LoadRunner
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Runs <paramref name="options"/>; progress lines go to <paramref name="log"/> when given.</summary>
    public static async Task<ScenarioResult> RunAsync(LoadOptions options, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var protocol = WireProtocol.For(options.Protocol);
        var recorder = new Recorder();
        var driver = ScenarioDriver.For(options, recorder);
        var rooms = CreateRooms(options);
        using var factory = new ConnectionFactory(options.SourceAddresses);

        var rssBefore = ServerMemory.ResidentBytes(options.ServerPid);
        log?.WriteLine($"{options.Scenario}: connecting {options.Clients} clients in {rooms.Count} rooms of {options.EffectiveRoomSize}");
        var connecting = Stopwatch.StartNew();
        var connections = await ConnectAllAsync(options, protocol, recorder, driver, rooms, factory, 0, cancellationToken);
        connecting.Stop();
        foreach (var connection in connections.OfType<Connection>())
        {
            connection.Room.Members.Add(connection);
        }

        var connected = connections.OfType<Connection>().ToList();

        if (options.Scenario == Scenario.Idle && options.WhileHeld is { } whileHeld)
        {
            log?.WriteLine($"{options.Scenario}: {connected.Count} connected in {connecting.Elapsed.TotalSeconds:F1} s; holding them until told to echo");
            await whileHeld(connected.Count, recorder.Errors, cancellationToken);
        }
        else if (options.Scenario == Scenario.Idle)
        {
            log?.WriteLine($"{options.Scenario}: {connected.Count} connected in {connecting.Elapsed.TotalSeconds:F1} s; holding them {options.Duration.TotalSeconds:F0} s");
            await Task.Delay(options.Duration, cancellationToken);
        }

        var rssHeld = ServerMemory.ResidentBytes(options.ServerPid);
        log?.WriteLine($"{options.Scenario}: {connected.Count} connected in {connecting.Elapsed.TotalSeconds:F1} s; running");
        var wave = options.Wave > 0 ? new Wave(CreateRooms(options with { Clients = options.Wave }, "wave")) : null;
        await driver.RunAsync(rooms, cancellationToken, wave is not null
            ? async token =>
            {
                log?.WriteLine($"{options.Scenario}: a wave of {options.Wave} clients connecting");
                var clock = Stopwatch.StartNew();
                var arrived = await ConnectAllAsync(options with { Clients = options.Wave }, protocol, recorder, driver, wave.Rooms, factory, options.Clients, token);
                wave.Arrived(arrived.OfType<Connection>(), clock.Elapsed);
            }
            : null);
        await DrainAsync(recorder, options.ReplyTimeout, cancellationToken);
        var rssAfter = ServerMemory.ResidentBytes(options.ServerPid);
        var peak = ServerMemory.PeakResidentBytes(options.ServerPid);

        await Parallel.ForEachAsync(connected.Concat(wave?.Connections ?? []), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (connection, _) => await connection.CloseAsync(CloseTimeout));

        var latency = recorder.Latency.Summarize();
        return new ScenarioResult
        {
            Scenario = options.Scenario,
            Protocol = options.Protocol,
            Targets = string.Join(' ', options.Targets),
            Clients = options.Clients,
            Connected = connected.Count,
            RoomSize = options.EffectiveRoomSize,
            Rate = options.Scenario == Scenario.Chat ? options.Rate : null,
            ConnectSeconds = connecting.Elapsed.TotalSeconds,
            WindowSeconds = recorder.Window.TotalSeconds,
            WindowStartUtc = recorder.WindowStartUtc,
            Sent = recorder.Sent,
            Expected = recorder.Expected,
            Delivered = recorder.Delivered,
            OutOfOrder = recorder.OutOfOrder,
            Errors = recorder.Errors,
            ErrorSamples = recorder.ErrorSamplesSeen,
            Latency = latency,
            RssBefore = rssBefore,
            RssHeld = rssHeld,
            RssAfter = rssAfter,
            PeakRss = peak,
            Answered = driver.Answered,
            ServerCpuSeconds = driver.Cpu?.Servers?.TotalSeconds,
            LoadGenCpuSeconds = driver.Cpu?.LoadGenerator.TotalSeconds,
            WarmupSeconds = driver.Cpu is null ? null : driver.Warmup.Taken.TotalSeconds,
            JitSettled = driver.Warmup.JitSettled,
            Wave = wave is null ? null : options.Wave,
            WaveConnected = wave?.Connections.Count,
            WaveSeconds = wave?.Seconds,
        };
    }

    private static List<Room> CreateRooms(LoadOptions options, string? prefix = null)
    {
        if (options.Clients <= 0 || options.Targets.Count == 0)
        {
            throw new ArgumentException("At least one client and one target are needed.", nameof(options));
        }

        var size = options.EffectiveRoomSize;
        var run = Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture);
        var scenario = prefix ?? options.Scenario.ToString().ToLowerInvariant();
        return [.. Enumerable.Range(0, (options.Clients + size - 1) / size)
            .Select(i => new Room(i, $"{scenario}-{run}-{i}", i * size, Math.Min(size, options.Clients - (i * size))))];
    }

    /// <summary>
    /// Connects <paramref name="options"/>' clients into <paramref name="rooms"/>, numbering them from
    /// <paramref name="first"/> (which picks each one's target and source address); null where one failed (recorded).
    /// </summary>
    private static async Task<Connection?[]> ConnectAllAsync(
        LoadOptions options, WireProtocol protocol, Recorder recorder, ScenarioDriver driver, List<Room> rooms, ConnectionFactory factory, int first, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, options.ConnectConcurrency));
        var size = options.EffectiveRoomSize;
        return await Task.WhenAll(Enumerable.Range(first, options.Clients).Select(async index =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                var room = rooms[(index - first) / size];
                var address = protocol.Address(options.Targets[index % options.Targets.Count], room.Name);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ConnectTimeout);
                var socket = await factory.ConnectAsync(index, address, timeout.Token);
                try
                {
                    await protocol.JoinAsync(socket, room.Name, timeout.Token);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                // Read from the start: a socket that is not read does not answer the server's keep-alive pings, and
                // Switchboard drops a connection that leaves a ping unanswered for 30 s, sooner than 19,000 take to connect.
                var connection = new Connection(index, room, socket, protocol, recorder, options.PayloadPadding, driver.OnPayload);
                connection.StartReceiving();
                return connection;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                recorder.RecordError($"client {index} could not connect: {e.GetBaseException().Message}");
                return null;
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    /// <summary>Waits until every message sent in the window arrived everywhere, or the reply timeout passed.</summary>
    private static async Task DrainAsync(Recorder recorder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (recorder.Delivered < recorder.Expected && waited.Elapsed < timeout)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The clients of <see cref="LoadOptions.Wave"/>: their rooms, who connected and how long it took.</summary>
    private sealed class Wave(List<Room> rooms)
    {
        public List<Room> Rooms { get; } = rooms;

        public IReadOnlyList<Connection> Connections { get; private set; } = [];

        public double? Seconds { get; private set; }

        public void Arrived(IEnumerable<Connection> connections, TimeSpan taken)
        {
            // Not added to their rooms' members: they never send, so nothing is owed to them.
            Connections = [.. connections];
            Seconds = taken.TotalSeconds;
        }
    }
}
