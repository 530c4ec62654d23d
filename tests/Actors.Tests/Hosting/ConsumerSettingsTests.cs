using Akka.Configuration;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Tests.Hosting;

public sealed class ConsumerSettingsTests
{
    [Fact]
    public void FromConfig_ReferenceConf_GivesTheDefaults()
    {
        var settings = ConsumerSettings.FromConfig(SwitchboardConfig.Section(Config.Empty, "switchboard.consumer"));

        Assert.Equal(ConsumerSettings.Default, settings);
        Assert.Equal(100, settings.MaxGroups);
    }

    [Fact]
    public void FromConfig_MaxGroups_IsRead()
    {
        Assert.Equal(7, ConsumerSettings.FromConfig(ConfigurationFactory.ParseString("max-groups = 7")).MaxGroups);
    }

    [Fact]
    public void FromConfig_NegativeMaxGroups_Throws()
    {
        Assert.Throws<ConfigurationException>(() => ConsumerSettings.FromConfig(ConfigurationFactory.ParseString("max-groups = -1")));
    }
}
