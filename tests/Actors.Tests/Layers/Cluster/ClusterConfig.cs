using Akka.Configuration;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>HOCON for in-process cluster nodes on 127.0.0.1 with ephemeral ports and strict serialization.</summary>
internal static class ClusterConfig
{
    public static Config Node(string extra = "") => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = ERROR
          stdout-loglevel = ERROR
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          remote.log-remote-lifecycle-events = off
          actor {
            provider = cluster
            serialization-settings.allow-unregistered-types = off
          }
          remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
          cluster {
            min-nr-of-members = 1
            pub-sub.gossip-interval = 100ms
            pub-sub.send-to-dead-letters-when-no-subscribers = off
            split-brain-resolver.stable-after = 3s
          }
        }
        {{extra}}
        """).WithFallback(SwitchboardConfig.ActorsDefaults);
}
