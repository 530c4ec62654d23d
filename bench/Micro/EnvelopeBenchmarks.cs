using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using BenchmarkDotNet.Attributes;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers.Cluster;

namespace Switchboard.Bench.Micro;

/// <summary>
/// The cluster layer's envelope around a chat message, through Akka's serialization as remoting calls it: what every
/// group message pays per node it crosses to, on each side.
/// </summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    public const string Group = "chat_lobby";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ActorSystem _system = null!;
    private Serialization _serialization = null!;
    private object _envelope = null!;
    private Serializer _serializer = null!;
    private string _manifest = null!;
    private byte[] _bytes = null!;

    /// <summary>The chat message's length in characters.</summary>
    [Params(32, 1024)]
    public int MessageLength { get; set; }

    /// <summary>The chat message the envelope carries.</summary>
    public BenchChatMessage Message { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("micro", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(SwitchboardConfig.ActorsDefaults));
        _serialization = ((ExtendedActorSystem)_system).Serialization;
        Message = new BenchChatMessage(new string('x', MessageLength));
        _envelope = new GroupEnvelope(Group, Message, 42);
        _serializer = _serialization.FindSerializerFor(_envelope);
        _manifest = Serialization.ManifestFor(_serializer, _envelope);
        _bytes = _serializer.ToBinary(_envelope);
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(Timeout);

    /// <summary>The sending node's side: the envelope and its message to bytes.</summary>
    [Benchmark]
    public byte[] Serialize() => _serializer.ToBinary(_envelope);

    /// <summary>The receiving node's side: bytes back to the envelope and its message.</summary>
    [Benchmark]
    public object Deserialize() => _serialization.Deserialize(_bytes, _serializer.Identifier, _manifest);
}
