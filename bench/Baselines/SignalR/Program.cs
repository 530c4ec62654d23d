using Switchboard.Bench.SignalR;

await SignalRHost.Build(args).RunAsync();
