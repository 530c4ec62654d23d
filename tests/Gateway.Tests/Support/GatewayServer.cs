using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Hosting;
using Switchboard.Testing;

namespace Switchboard.Gateway.Tests.Support;

/// <summary>
/// The real gateway on a loopback port, with a <see cref="ConnectionProbe"/> for its consumers and the
/// HOCON overrides of <see cref="ConfigOverrides"/> (the limits a test class needs). Everything it logs is kept in
/// <see cref="Logs"/> (Switchboard's and Kestrel's own lines from Debug up, the rest from Information up); when the
/// fixture is disposed, any exception that reached the host unhandled fails the test class.
/// </summary>
public abstract class GatewayServer : LiveServerFixture, IAsyncLifetime
{
    /// <summary>HOCON that overrides the defaults, e.g. <c>switchboard.websocket.max-message-size = 1KiB</c>.</summary>
    protected virtual string? ConfigOverrides => null;

    public ConnectionProbe Probe => Services.GetRequiredService<ConnectionProbe>();

    public LogCollector Logs { get; } = new();

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    /// <summary>Stops the server, then fails the test class if any exception reached the host unhandled while it ran.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Logs.AssertNoUnhandledExceptions();
    }

    protected override void ConfigureServices(WebApplicationBuilder builder)
    {
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_LOGS") != "1")
        {
            builder.Logging.ClearProviders();
        }
        else
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }

        builder.Logging.AddProvider(Logs);
        builder.Logging.AddFilter<LogCollector>(null, LogLevel.Information);
        builder.Logging.AddFilter<LogCollector>("Switchboard", LogLevel.Debug);
        builder.Logging.AddFilter<LogCollector>("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Debug);
        builder.Services.AddSingleton<ConnectionProbe>();
        builder.Services.Configure<SwitchboardOptions>(o => o.ConfigOverrides = ConfigOverrides);
    }
}
