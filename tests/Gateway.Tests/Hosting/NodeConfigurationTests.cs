using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Tests.Hosting;

/// <summary>A node's HOCON: command line and environment over ConfigOverrides' files, the user's file over cluster.hocon, reference.conf last.</summary>
public sealed class NodeConfigurationTests : IDisposable
{
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("switchboard-node-config-");

    public void Dispose() => _contentRoot.Delete(recursive: true);

    [Fact]
    public void Overrides_CommandLine_ProduceAkkaSettings()
    {
        var config = NodeConfiguration.Overrides(CommandLine(
            "--akka-hostname", "10.0.0.5",
            "--akka-port", "4053",
            "--akka-seeds", "akka.tcp://switchboard@10.0.0.5:4053, akka.tcp://switchboard@10.0.0.6:4053",
            "--akka-roles", "web,worker"));

        Assert.Equal("10.0.0.5", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://switchboard@10.0.0.5:4053", "akka.tcp://switchboard@10.0.0.6:4053"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["web", "worker"], config.GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void Overrides_EnvironmentNames_ProduceAkkaSettings()
    {
        var config = NodeConfiguration.Overrides(Settings(("AKKA_HOSTNAME", "node-1"), ("AKKA_PORT", "2552"), ("AKKA_SEEDS", "akka.tcp://switchboard@seed:2552"), ("AKKA_ROLES", "worker")));

        Assert.Equal("node-1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(2552, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://switchboard@seed:2552"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["worker"], config.GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void Overrides_CommandLineAndEnvironment_CommandLineWins()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("AKKA_PORT", "2552")])
            .AddCommandLine(["--akka-port", "4053"])
            .Build();

        Assert.Equal(4053, NodeConfiguration.Overrides(configuration).GetInt("akka.remote.dot-netty.tcp.port"));
    }

    [Fact]
    public void Overrides_NothingSet_IsEmpty()
    {
        Assert.True(NodeConfiguration.Overrides(Settings(("AKKA_PORT", "  "))).IsEmpty);
    }

    [Fact]
    public void Overrides_QuotesInAValue_AreEscapedNotInterpreted()
    {
        var config = NodeConfiguration.Overrides(Settings(("AKKA_HOSTNAME", "odd\"host\\name")));
        Assert.Equal("odd\"host\\name", config.GetString("akka.remote.dot-netty.tcp.hostname"));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("70000")]
    [InlineData("-1")]
    [InlineData("4053; akka.loglevel = DEBUG")]
    public void Overrides_InvalidPort_ThrowsConfigurationException(string port)
    {
        var error = Assert.Throws<ConfigurationException>(() => NodeConfiguration.Overrides(Settings(("AKKA_PORT", port))));
        Assert.Contains(port, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingConfigFile_ThrowsConfigurationExceptionNamingIt()
    {
        var missing = Path.Combine(_contentRoot.FullName, "nowhere.hocon");
        var error = Assert.Throws<ConfigurationException>(() =>
            NodeConfiguration.Load(new SwitchboardOptions { ConfigFile = missing }, Settings(), Environment()));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFileNamedBySwitchboardConfig_ThrowsConfigurationException()
    {
        var missing = Path.Combine(_contentRoot.FullName, "also-nowhere.hocon");
        Assert.Throws<ConfigurationException>(() =>
            NodeConfiguration.Load(new SwitchboardOptions(), Settings(("SWITCHBOARD_CONFIG", missing)), Environment()));
    }

    [Fact]
    public void Load_OverridesAndClusterFile_OverridesWinAndTheRestFallsThrough()
    {
        WriteClusterFile("""
            akka.remote.dot-netty.tcp { hostname = "10.1.1.1", port = 2551 }
            akka.cluster.roles = [file-role]
            switchboard.websocket.max-message-size = 2MiB
            """);

        var config = NodeConfiguration.Load(new SwitchboardOptions(), Settings(("AKKA_PORT", "4000"), ("AKKA_ROLES", "web")), Environment());

        Assert.Equal(4000, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["web"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal("10.1.1.1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(2 * 1024 * 1024, config.GetByteSize("switchboard.websocket.max-message-size"));
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("switchboard.websocket.handshake-timeout"));
        Assert.Equal(100, config.GetInt("switchboard.channel-layer.capacity"));
    }

    [Fact]
    public void Load_ConfigOverrides_WinOverEnvironmentAndFiles()
    {
        WriteClusterFile("akka.remote.dot-netty.tcp.port = 2551");
        var options = new SwitchboardOptions { ConfigOverrides = "akka.remote.dot-netty.tcp.port = 5000" };

        var config = NodeConfiguration.Load(options, Settings(("AKKA_PORT", "4000")), Environment());

        Assert.Equal(5000, config.GetInt("akka.remote.dot-netty.tcp.port"));
    }

    [Fact]
    public void Load_UserFile_WinsOverClusterFile()
    {
        WriteClusterFile("akka.remote.dot-netty.tcp { port = 2551, hostname = cluster-file }");
        var userFile = Path.Combine(_contentRoot.FullName, "mine.hocon");
        File.WriteAllText(userFile, "akka.remote.dot-netty.tcp.port = 3000");

        var config = NodeConfiguration.Load(new SwitchboardOptions { ConfigFile = userFile }, Settings(), Environment());

        Assert.Equal(3000, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("cluster-file", config.GetString("akka.remote.dot-netty.tcp.hostname"));
    }

    [Fact]
    public void Load_ReferenceDefaults_MatchGatewaySettingsDefaults()
    {
        var config = NodeConfiguration.Load(new SwitchboardOptions(), Settings(), Environment());
        Assert.Equal(new GatewaySettings(), GatewaySettings.FromConfig(config.GetConfig("switchboard.websocket")));
    }

    private static IConfiguration CommandLine(params string[] args) => new ConfigurationBuilder().AddCommandLine(args).Build();

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private void WriteClusterFile(string hocon) => File.WriteAllText(Path.Combine(_contentRoot.FullName, NodeConfiguration.ClusterFileName), hocon);

    private TestEnvironment Environment() => new() { ContentRootPath = _contentRoot.FullName };

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "Switchboard.Gateway.Tests";

        public string ContentRootPath { get; set; } = "";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
