using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Micro -- --filter '*'          (every benchmark, the default job)
// dotnet run -c Release --project bench/Micro -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
