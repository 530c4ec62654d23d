using System.Diagnostics;

namespace Switchboard.Bench.Run;

/// <summary>Runs bench/install.sh (Daphne, Django Channels, channels_redis, redis-server from Debian) when a chosen server needs them.</summary>
internal static class Prerequisites
{
    public static async Task EnsureAsync(string root, RunOptions options, CancellationToken cancellationToken = default)
    {
        if (!options.Cases.Any(c => options.ServersOn(c.Nodes).Any(kind => kind.NeedsInstall(c.Nodes))))
        {
            return;
        }

        // The script does nothing when everything is there; otherwise apt-get update and install.
        using var install = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(root, "bench", "install.sh") }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start bench/install.sh.");
        await install.WaitForExitAsync(cancellationToken);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench/install.sh failed ({install.ExitCode}); Channels and Redis-backed servers need its packages.");
        }
    }
}
