namespace Switchboard.Bench.LoadGen;

/// <summary>A process's resident set from <c>/proc/&lt;pid&gt;/status</c> (Linux).</summary>
public static class ServerMemory
{
    /// <summary>VmRSS in bytes, or null when it cannot be read.</summary>
    public static long? ResidentBytes(int? pid) => Read(pid, "VmRSS:");

    /// <summary>VmHWM (the peak resident set) in bytes, or null when it cannot be read.</summary>
    public static long? PeakResidentBytes(int? pid) => Read(pid, "VmHWM:");

    private static long? Read(int? pid, string key)
    {
        if (pid is not { } id)
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{id}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
