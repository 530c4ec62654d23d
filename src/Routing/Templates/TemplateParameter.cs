namespace Switchboard.Routing.Templates;

/// <summary>A parameter of a route template: <c>{name}</c>, <c>{id:int:min(1)}</c>, <c>{page?}</c>, <c>{lang=en}</c>, <c>{*rest}</c>.</summary>
internal sealed class TemplateParameter
{
    public TemplateParameter(string name, bool isCatchAll, bool isOptional, IReadOnlyList<RouteConstraint> constraints, object? defaultValue)
    {
        Name = name;
        IsCatchAll = isCatchAll;
        IsOptional = isOptional;
        Constraints = constraints;
        Default = defaultValue;
    }

    public string Name { get; }

    public bool IsCatchAll { get; }

    public bool IsOptional { get; }

    public IReadOnlyList<RouteConstraint> Constraints { get; }

    /// <summary>The value used when the parameter is absent from the path, already converted; <see langword="null"/> when there is none.</summary>
    public object? Default { get; }

    /// <summary>Whether the parameter's segment may be left out of the path.</summary>
    public bool MayBeAbsent => IsOptional || IsCatchAll || Default is not null;

    /// <summary>Runs every constraint on <paramref name="raw"/>; the value is typed by the type constraint, if any.</summary>
    public bool TryConvert(string raw, out object value) => TryConvert(Constraints, raw, out value);

    /// <summary>Runs every constraint of <paramref name="constraints"/> on <paramref name="raw"/>.</summary>
    public static bool TryConvert(IReadOnlyList<RouteConstraint> constraints, string raw, out object value)
    {
        value = raw;
        foreach (var constraint in constraints)
        {
            var accepted = constraint.Accept(raw);
            if (accepted is null)
                return false;
            if (constraint.ConvertsType)
                value = accepted;
        }

        return true;
    }
}

/// <summary>A piece of a template segment: literal text or a parameter.</summary>
internal sealed record TemplatePart(string Literal, TemplateParameter? Parameter)
{
    public static TemplatePart Text(string literal) => new(literal, null);

    public static TemplatePart Of(TemplateParameter parameter) => new("", parameter);
}

/// <summary>A parsed template: its non-empty segments and whether it ends with a '/'.</summary>
internal sealed record ParsedTemplate(IReadOnlyList<IReadOnlyList<TemplatePart>> Segments, bool TrailingSlash)
{
    public IEnumerable<TemplateParameter> Parameters =>
        Segments.SelectMany(s => s).Select(p => p.Parameter).OfType<TemplateParameter>();
}
