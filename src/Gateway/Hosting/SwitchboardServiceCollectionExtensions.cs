using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Actors;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Sessions;
using Switchboard.Gateway.WebSockets;
using Switchboard.Routing.Middleware;

namespace Switchboard.Gateway.Hosting;

/// <summary>Registers Switchboard with an ASP.NET Core host.</summary>
public static class SwitchboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds a Switchboard node serving <paramref name="application"/>: the actor system, the routing actor and the
    /// channel layer (<see cref="IChannelLayer"/> is then available to endpoints and hosted services). Map it onto the
    /// pipeline with <c>app.MapSwitchboard()</c>.
    /// </summary>
    public static IServiceCollection AddSwitchboard(this IServiceCollection services, IApplication application, Action<SwitchboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        return services.AddSwitchboard(options =>
        {
            options.Application = application;
            configure?.Invoke(options);
        });
    }

    /// <summary>Adds a Switchboard node configured by <paramref name="configure"/>, which must set the application.</summary>
    public static IServiceCollection AddSwitchboard(this IServiceCollection services, Action<SwitchboardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure(configure);
        services.TryAddSingleton(sp => new NodeConfig(NodeConfiguration.Load(
            sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value,
            sp.GetRequiredService<IConfiguration>(),
            sp.GetService<IHostEnvironment>())));
        services.TryAddSingleton(sp => sp.GetRequiredService<SwitchboardNode>().ChannelLayer);
        services.TryAddSingleton<ConnectionRegistry>();
        services.TryAddSingleton<SwitchboardNode>();
        services.AddHostedService(sp => sp.GetRequiredService<SwitchboardNode>());

        // Middleware: sessions shared with ASP.NET Core's (used once the app calls AddSession), and ?access_token= for bearer handlers.
        services.TryAddSingleton<IConnectionSessionStore, AspNetCoreSessionStore>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, QueryStringAccessToken.StartupFilter>());
        return services;
    }
}
