using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Bench.LoadGen;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

LoadOptions options;
bool json;
try
{
    options = CommandLine.Parse(args, out json);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var result = await LoadRunner.RunAsync(options, Console.Error, cancel.Token);
Console.Write(result.Describe());
if (json)
{
    Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } }));
}

return 0;
