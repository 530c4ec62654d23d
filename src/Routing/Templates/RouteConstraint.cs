namespace Switchboard.Routing.Templates;

/// <summary>
/// One constraint of a template parameter (<c>int</c>, <c>min(1)</c>, ...). A type constraint converts the text
/// it accepts into the parameter's value; every other constraint only accepts or rejects the text.
/// </summary>
internal sealed class RouteConstraint
{
    private readonly Func<string, object?> _accept;

    public RouteConstraint(string text, bool convertsType, Func<string, object?> accept)
    {
        Text = text;
        ConvertsType = convertsType;
        _accept = accept;
    }

    /// <summary>The constraint as written in the template, for messages.</summary>
    public string Text { get; }

    /// <summary>Whether this constraint gives the parameter's value its type.</summary>
    public bool ConvertsType { get; }

    /// <summary>The value for <paramref name="raw"/>, or <see langword="null"/> when the constraint rejects it.</summary>
    public object? Accept(string raw) => _accept(raw);
}
