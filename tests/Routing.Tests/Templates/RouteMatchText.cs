using System.Globalization;
using Switchboard.Routing.Templates;

namespace Switchboard.Routing.Tests.Templates;

/// <summary>Writes a match as one line for theory tables: <c>name=text, id=42:Int32</c> (non-strings carry their type).</summary>
internal static class RouteMatchText
{
    public const string NoMatch = "(no match)";

    public static string Values(RouteMatch? match) =>
        match is null ? NoMatch : string.Join(", ", match.Values.Select(kv => $"{kv.Key}={Describe(kv.Value)}"));

    public static string Args(RouteMatch? match) =>
        match is null ? NoMatch : string.Join(", ", match.Args.Select(Describe));

    private static string Describe(object value) => value is string text
        ? text
        : $"{Convert.ToString(value, CultureInfo.InvariantCulture)}:{value.GetType().Name}";
}
