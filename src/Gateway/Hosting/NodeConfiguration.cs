using System.Globalization;
using System.Text;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Switchboard.Actors.Hosting;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Builds a node's HOCON: command-line and environment overrides, then the user's file, then <c>cluster.hocon</c>,
/// then the embedded <c>reference.conf</c> defaults of Switchboard's assemblies (and Akka's own behind them).
/// </summary>
public static class NodeConfiguration
{
    /// <summary>The file name of the deployment defaults.</summary>
    public const string ClusterFileName = "cluster.hocon";

    /// <summary>Builds the configuration of this node.</summary>
    public static Config Load(SwitchboardOptions options, IConfiguration configuration, IHostEnvironment? environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var config = Overrides(configuration);
        if (options.ConfigOverrides is { } overrides)
        {
            config = ConfigurationFactory.ParseString(overrides).WithFallback(config);
        }

        var userFile = options.ConfigFile ?? configuration["SWITCHBOARD_CONFIG"];
        if (userFile is not null)
        {
            config = config.WithFallback(ParseFile(userFile));
        }

        if (FindClusterFile(environment) is { } clusterFile && !string.Equals(Path.GetFullPath(clusterFile), userFile is null ? null : Path.GetFullPath(userFile), StringComparison.Ordinal))
        {
            config = config.WithFallback(ParseFile(clusterFile));
        }

        return config
            .WithFallback(SwitchboardConfig.Embedded(typeof(NodeConfiguration).Assembly, "Switchboard.Gateway.reference.conf"))
            .WithFallback(SwitchboardConfig.ActorsDefaults);
    }

    /// <summary>
    /// The node overrides from the command line (<c>--akka-hostname</c>, <c>--akka-port</c>, <c>--akka-seeds</c>,
    /// <c>--akka-roles</c>) or the environment (<c>AKKA_HOSTNAME</c>, <c>AKKA_PORT</c>, <c>AKKA_SEEDS</c>, <c>AKKA_ROLES</c>).
    /// </summary>
    public static Config Overrides(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var hocon = new StringBuilder();
        if (Read(configuration, "hostname") is { } hostname)
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"akka.remote.dot-netty.tcp.hostname = {Quote(hostname)}");
        }

        if (Read(configuration, "port") is { } port)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
            {
                throw new ConfigurationException($"The Akka port must be a number from 0 to 65535 (got '{port}').");
            }

            hocon.AppendLine(CultureInfo.InvariantCulture, $"akka.remote.dot-netty.tcp.port = {number}");
        }

        if (Read(configuration, "seeds") is { } seeds)
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"akka.cluster.seed-nodes = [{string.Join(", ", Split(seeds).Select(Quote))}]");
        }

        if (Read(configuration, "roles") is { } roles)
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"akka.cluster.roles = [{string.Join(", ", Split(roles).Select(Quote))}]");
        }

        return hocon.Length == 0 ? Config.Empty : ConfigurationFactory.ParseString(hocon.ToString());
    }

    private static string? Read(IConfiguration configuration, string name)
    {
        var value = configuration[$"akka-{name}"] ?? configuration[$"AKKA_{name.ToUpperInvariant()}"];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static IEnumerable<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static Config ParseFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"The Switchboard configuration file '{Path.GetFullPath(path)}' does not exist.");
        }

        return ConfigurationFactory.ParseString(File.ReadAllText(path));
    }

    private static string? FindClusterFile(IHostEnvironment? environment)
    {
        string?[] candidates = [environment?.ContentRootPath, AppContext.BaseDirectory];
        return candidates
            .Where(dir => dir is not null)
            .Select(dir => Path.Combine(dir!, ClusterFileName))
            .FirstOrDefault(File.Exists);
    }
}
