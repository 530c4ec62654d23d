using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Routing.Templates;

/// <summary>
/// The constraints a template parameter may carry, named as in ASP.NET Core (names are case-insensitive).
/// Numbers are read with the invariant culture and no white space or thousands separators: stricter than
/// ASP.NET Core, because a path segment that reads <c>" 5"</c> or <c>"1,000"</c> is not a number a user typed.
/// </summary>
internal static class RouteConstraints
{
    private const NumberStyles Integer = NumberStyles.AllowLeadingSign;
    private const NumberStyles Real = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>The constraint names, for the message about an unknown one.</summary>
    public const string Known = "int, long, guid, bool, alpha, double, decimal, minlength(n), maxlength(n), length(n), length(min,max), min(n), max(n), range(min,max), regex(expression)";

    /// <summary>Creates the constraint <paramref name="name"/>(<paramref name="args"/>) of parameter <paramref name="parameter"/>.</summary>
    /// <exception cref="ArgumentException">The constraint is unknown or its arguments are wrong.</exception>
    public static RouteConstraint Create(string template, string parameter, string name, string? args)
    {
        var text = args is null ? name : $"{name}({args})";
        switch (name.ToLowerInvariant())
        {
            case "int":
                NoArguments();
                return Type(raw => int.TryParse(raw, Integer, CultureInfo.InvariantCulture, out var v) ? v : null);
            case "long":
                NoArguments();
                return Type(raw => long.TryParse(raw, Integer, CultureInfo.InvariantCulture, out var v) ? v : null);
            case "double":
                NoArguments();
                return Type(raw => double.TryParse(raw, Real, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null);
            case "decimal":
                NoArguments();
                return Type(raw => decimal.TryParse(raw, Real, CultureInfo.InvariantCulture, out var v) ? v : null);
            case "guid":
                NoArguments();
                return Type(raw => Guid.TryParse(raw, out var v) ? v : null);
            case "bool":
                NoArguments();
                return Type(raw =>
                    raw.Equals(bool.TrueString, StringComparison.OrdinalIgnoreCase) ? true
                    : raw.Equals(bool.FalseString, StringComparison.OrdinalIgnoreCase) ? false
                    : null);
            case "alpha":
                NoArguments();
                return Check(raw => raw.Length > 0 && raw.All(char.IsAsciiLetter));
            case "minlength":
            {
                var min = Lengths(1)[0];
                return Check(raw => raw.Length >= min);
            }
            case "maxlength":
            {
                var max = Lengths(1)[0];
                return Check(raw => raw.Length <= max);
            }
            case "length":
            {
                var bounds = Lengths(1, 2);
                var (min, max) = bounds.Length == 1 ? (bounds[0], bounds[0]) : (bounds[0], bounds[1]);
                Ordered(min, max);
                return Check(raw => raw.Length >= min && raw.Length <= max);
            }
            case "min":
            {
                var min = Longs(1)[0];
                return Check(raw => AsLong(raw) is { } v && v >= min);
            }
            case "max":
            {
                var max = Longs(1)[0];
                return Check(raw => AsLong(raw) is { } v && v <= max);
            }
            case "range":
            {
                var bounds = Longs(2);
                Ordered(bounds[0], bounds[1]);
                return Check(raw => AsLong(raw) is { } v && v >= bounds[0] && v <= bounds[1]);
            }
            case "regex":
            {
                var regex = UserRegex();
                return Check(raw => RouteRegex.IsMatch(regex, raw));
            }
            default:
                throw Fail($"parameter '{parameter}' has an unknown constraint '{name}'. Known constraints: {Known}.");
        }

        RouteConstraint Type(Func<string, object?> convert) => new(text, convertsType: true, convert);

        RouteConstraint Check(Func<string, bool> check) => new(text, convertsType: false, raw => check(raw) ? raw : null);

        void NoArguments()
        {
            if (args is not null)
                throw Fail($"the constraint '{name}' of parameter '{parameter}' takes no arguments, but was given '({args})'.");
        }

        string[] Arguments(int least, int most)
        {
            var parts = string.IsNullOrEmpty(args) ? [] : args.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length < least || parts.Length > most)
            {
                var expected = least == most ? $"{least}" : $"{least} or {most}";
                throw Fail($"the constraint '{name}' of parameter '{parameter}' needs {expected} argument(s), but was given '{text}'.");
            }

            return parts;
        }

        int[] Lengths(int least, int most = 0) => [.. Arguments(least, Math.Max(least, most)).Select(a =>
            int.TryParse(a, Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw Fail($"the constraint '{text}' of parameter '{parameter}' needs non-negative integer arguments; '{a}' is not one."))];

        long[] Longs(int count) => [.. Arguments(count, count).Select(a =>
            long.TryParse(a, Integer, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw Fail($"the constraint '{text}' of parameter '{parameter}' needs integer arguments; '{a}' is not one."))];

        void Ordered(long min, long max)
        {
            if (min > max)
                throw Fail($"the constraint '{text}' of parameter '{parameter}' has its minimum {min} above its maximum {max}.");
        }

        Regex UserRegex()
        {
            if (string.IsNullOrEmpty(args))
                throw Fail($"the constraint 'regex' of parameter '{parameter}' needs a regular expression, as in 'regex(^[a-z]+$)'.");
            try
            {
                // As ASP.NET Core: case-insensitive and not anchored, so write ^ and $ to constrain the whole value.
                return new Regex(args, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RouteRegex.MatchTimeout);
            }
            catch (ArgumentException e)
            {
                throw Fail($"the constraint '{text}' of parameter '{parameter}' is not a valid regular expression: {e.Message}");
            }
        }

        ArgumentException Fail(string detail) => TemplateErrors.Invalid(template, detail);
    }

    private static long? AsLong(string raw) =>
        long.TryParse(raw, Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
