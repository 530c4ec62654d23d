using System.Globalization;
using System.Text.Json;

namespace Switchboard.Bench.Run;

/// <summary>
/// Which garbage collector a .NET server runs with, so that the table can say it: the collector changes a server's
/// pauses, memory and CPU, and each project chooses its own (docs/cluster.md, "Garbage collection on busy nodes"). Read as the
/// runtime reads it: the environment first (<c>DOTNET_gcServer</c>, which since .NET 9 overrides the project), then the
/// <c>runtimeconfig.json</c> that the build wrote next to the assembly.
/// </summary>
internal static class Collector
{
    /// <summary>
    /// The collector of the app whose <paramref name="runtimeConfig"/> file is given, started with
    /// <paramref name="environment"/> on top of the harness's own: "workstation" or "server", with "without DATAS" or
    /// "non-concurrent" when those defaults are turned off.
    /// </summary>
    public static string Of(string runtimeConfig, IReadOnlyDictionary<string, string> environment)
    {
        var properties = ConfigProperties(runtimeConfig);
        var server = Switch(environment, "gcServer", properties, "System.GC.Server") ?? false;
        var concurrent = Switch(environment, "gcConcurrent", properties, "System.GC.Concurrent") ?? true;
        // DATAS (dynamic adaptation to application sizes) is on by default for the server collector since .NET 9.
        var datas = Switch(environment, "GCDynamicAdaptationMode", properties, "System.GC.DynamicAdaptationMode") ?? true;
        var name = server ? (datas ? "server" : "server without DATAS") : "workstation";
        return concurrent ? name : $"{name}, non-concurrent";
    }

    /// <summary>
    /// One line for the table: each .NET server's collector (Daphne has none of these), or null when no server is built
    /// here to read it from.
    /// </summary>
    public static string? Describe(IEnumerable<ServerKind> servers, string root, string configuration, IReadOnlyDictionary<string, string> environment)
    {
        var each = servers
            .Where(server => server.Runtime == ServerRuntime.Dotnet)
            .Select(server => (server, config: RuntimeConfigOf(server, root, configuration)))
            .Where(pair => File.Exists(pair.config))
            .Select(pair => $"{pair.server.Title} {Of(pair.config, environment)}")
            .ToList();
        return each.Count == 0
            ? null
            : $"Garbage collectors: {string.Join("; ", each)} (each as its project sets it{(environment.Count > 0 ? ", then the environment above" : "")}).";
    }

    /// <summary>The runtimeconfig.json the build writes next to a .NET server's entry assembly.</summary>
    private static string RuntimeConfigOf(ServerKind server, string root, string configuration) =>
        Path.ChangeExtension(server.AssemblyPath(root, configuration), ".runtimeconfig.json");

    private static Dictionary<string, JsonElement> ConfigProperties(string runtimeConfig)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        return document.RootElement.TryGetProperty("runtimeOptions", out var options) && options.TryGetProperty("configProperties", out var properties)
            ? properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : [];
    }

    /// <summary>An on/off setting: the environment's <c>DOTNET_</c> (or older <c>COMPlus_</c>) variable, else the property.</summary>
    private static bool? Switch(IReadOnlyDictionary<string, string> environment, string variable, Dictionary<string, JsonElement> properties, string property)
    {
        foreach (var prefix in (string[])["DOTNET_", "COMPlus_"])
        {
            if (environment.TryGetValue(prefix + variable, out var value))
            {
                // The runtime reads these as hexadecimal numbers: anything but zero is on.
                return !long.TryParse(value.Trim().Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var number) || number != 0;
            }
        }

        if (!properties.TryGetValue(property, out var setting))
        {
            return null;
        }

        return setting.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => setting.GetInt64() != 0,
            JsonValueKind.String => setting.GetString() is "true" or "1",
            _ => null,
        };
    }
}
