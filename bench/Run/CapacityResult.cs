namespace Switchboard.Bench.Run;

/// <summary>What the capacity scenario measured on one server, its load generators' results added up.</summary>
internal sealed record CapacityResult
{
    public required ServerKind Server { get; init; }

    public int Target { get; init; }

    public int Processes { get; init; }

    /// <summary>Connections held when every load generator had reported.</summary>
    public int Connected { get; init; }

    /// <summary>Connections whose echo came back after the hold.</summary>
    public int Answered { get; init; }

    /// <summary>Failed connects, sends and unexpected closes, and load generators that failed.</summary>
    public long Errors { get; init; }

    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    /// <summary>From starting the load generators to the last one reporting its connections.</summary>
    public double ConnectSeconds { get; init; }

    /// <summary>From telling them to echo to the last result.</summary>
    public double EchoSeconds { get; init; }

    /// <summary>The slowest echo, milliseconds.</summary>
    public double EchoMaxMs { get; init; }

    public long? RssBefore { get; init; }

    public long? RssHeld { get; init; }

    public long? RssAfter { get; init; }

    public long? PeakRss { get; init; }

    /// <summary>Files the server had open while the connections were held.</summary>
    public int? ServerFiles { get; init; }

    /// <summary>Memory mappings of the server while the connections were held (the kernel allows vm.max_map_count).</summary>
    public int? ServerMappings { get; init; }

    /// <summary>The server's open-file limit.</summary>
    public string? ServerFileLimit { get; init; }

    public double ConnectRate => ConnectSeconds > 0 ? Connected / ConnectSeconds : 0;

    /// <summary>Growth of the server's resident set per held connection.</summary>
    public double? BytesPerConnection => RssHeld is { } held && RssBefore is { } before && Connected > 0 ? (double)(held - before) / Connected : null;
}
