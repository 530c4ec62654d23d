// The csharp block of docs/security.md, verbatim (DocsExamplesTests checks it). Change the guide and this file together.
using Microsoft.AspNetCore.Builder;
using Switchboard.Actors;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Tests.Docs.Security;

public static class TlsBetweenNodes
{
    public static void Configure(WebApplicationBuilder builder, IApplication application)
    {
        builder.Services.AddSwitchboard(application, o => o.ConfigOverrides =
            $"akka.remote.dot-netty.tcp.ssl.certificate.password = \"{builder.Configuration["CertificatePassword"]}\"");
    }
}
