// Every test class runs its own Kestrel server and actor system on a 2-core machine: one class at a time keeps
// timing-sensitive tests (handshake timeout, slow client, shutdown) from starving each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
