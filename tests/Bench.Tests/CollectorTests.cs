using Switchboard.Bench.Run;

namespace Switchboard.Bench.Tests;

/// <summary>
/// The harness names each .NET server's garbage collector under the table (bench/Run/Collector.cs): read as the runtime
/// reads it, the environment over the runtimeconfig.json the build wrote.
/// </summary>
public sealed class CollectorTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("switchboard-collector-test-");

    [Theory]
    [InlineData("""{"runtimeOptions": {"configProperties": {"System.GC.Server": true}}}""", "server")]
    [InlineData("""{"runtimeOptions": {"configProperties": {"System.GC.Server": false}}}""", "workstation")]
    [InlineData("""{"runtimeOptions": {"tfm": "net10.0"}}""", "workstation")]
    [InlineData("""{"runtimeOptions": {"configProperties": {"System.GC.Server": true, "System.GC.DynamicAdaptationMode": 0}}}""", "server without DATAS")]
    [InlineData("""{"runtimeOptions": {"configProperties": {"System.GC.Server": false, "System.GC.Concurrent": false}}}""", "workstation, non-concurrent")]
    public void Of_ReadsTheProjectsSettings(string json, string expected) =>
        Assert.Equal(expected, Collector.Of(Write(json), NoEnvironment));

    [Fact]
    public void Of_TheEnvironmentOverridesTheProject()
    {
        var server = Write("""{"runtimeOptions": {"configProperties": {"System.GC.Server": true}}}""");
        var workstation = Write("""{"runtimeOptions": {"configProperties": {"System.GC.Server": false}}}""");

        Assert.Equal("workstation", Collector.Of(server, new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" }));
        Assert.Equal("server", Collector.Of(workstation, new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" }));
        Assert.Equal("server", Collector.Of(workstation, new Dictionary<string, string> { ["COMPlus_gcServer"] = "0x1" }));
        Assert.Equal("server without DATAS", Collector.Of(server, new Dictionary<string, string> { ["DOTNET_GCDynamicAdaptationMode"] = "0" }));
    }

    [Fact]
    public void Describe_NamesEachBuiltDotnetServer()
    {
        // The three .NET servers built in this test's configuration: ASP.NET Core projects, which the Web SDK puts on
        // the server collector (docs/cluster.md, "Garbage collection on busy nodes": the chat sample keeps it).
        var (root, configuration) = DeploymentSmokeTests.BuiltServers();

        Assert.Equal(
            "Garbage collectors: Switchboard server; raw Kestrel server; SignalR server (each as its project sets it).",
            Collector.Describe(ServerKind.All, root, configuration, NoEnvironment));
        Assert.Equal(
            "Garbage collectors: Switchboard workstation; SignalR workstation (each as its project sets it, then the environment above).",
            Collector.Describe([ServerKind.Switchboard, ServerKind.SignalR, ServerKind.Channels], root, configuration, Harness.GcEnvironment("workstation")));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_folder.FullName, $"{Guid.NewGuid():N}.runtimeconfig.json");
        File.WriteAllText(path, json);
        return path;
    }
}
