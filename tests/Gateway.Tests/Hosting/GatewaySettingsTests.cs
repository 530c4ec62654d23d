using Akka.Configuration;
using Switchboard.Actors.Hosting;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Tests.Hosting;

public sealed class GatewaySettingsTests
{
    [Fact]
    public void FromConfig_Values_AreReadWithHoconUnits()
    {
        var settings = GatewaySettings.FromConfig(ConfigurationFactory.ParseString("""
            max-message-size = 1KiB
            keep-alive-interval = 2s
            keep-alive-timeout = 3s
            handshake-timeout = 1500ms
            outbound-queue-size = 8
            max-frames-in-flight = 4
            close-timeout = 1s
            max-connections = 2
            rate-limit { messages-per-second = 2.5, burst = 7 }
            """));

        Assert.Equal(new GatewaySettings
        {
            MaxMessageSize = 1024,
            KeepAliveInterval = TimeSpan.FromSeconds(2),
            KeepAliveTimeout = TimeSpan.FromSeconds(3),
            HandshakeTimeout = TimeSpan.FromMilliseconds(1500),
            OutboundQueueSize = 8,
            MaxFramesInFlight = 4,
            CloseTimeout = TimeSpan.FromSeconds(1),
            MaxConnections = 2,
            RateLimitMessagesPerSecond = 2.5,
            RateLimitBurst = 7,
        }, settings);
    }

    [Fact]
    public void FromConfig_EmptySection_GivesDefaults()
    {
        Assert.Equal(new GatewaySettings(), GatewaySettings.FromConfig(Config.Empty));
    }

    [Fact]
    public void FromConfig_ReferenceConf_MatchesTheRecordsDefaults()
    {
        var reference = SwitchboardConfig.Embedded(typeof(GatewaySettings).Assembly, "Switchboard.Gateway.reference.conf");

        Assert.Equal(new GatewaySettings(), GatewaySettings.FromConfig(reference.GetConfig("switchboard.websocket")));
    }

    [Fact]
    public void FromConfig_RateLimitZero_TurnsTheLimitOff()
    {
        Assert.Equal(0, GatewaySettings.FromConfig(ConfigurationFactory.ParseString("rate-limit.messages-per-second = 0")).RateLimitMessagesPerSecond);
    }

    [Theory]
    [InlineData("max-message-size = 0")]
    [InlineData("outbound-queue-size = 0")]
    [InlineData("max-frames-in-flight = 0")]
    [InlineData("max-connections = -1")]
    [InlineData("rate-limit.messages-per-second = -1")]
    [InlineData("rate-limit.burst = 0")]
    public void FromConfig_OutOfRange_ThrowsConfigurationException(string hocon)
    {
        Assert.Throws<ConfigurationException>(() => GatewaySettings.FromConfig(ConfigurationFactory.ParseString(hocon)));
    }
}
