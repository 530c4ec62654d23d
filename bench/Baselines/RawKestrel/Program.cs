using Switchboard.Bench.RawKestrel;

await RawKestrelHost.Build(args).RunAsync();
