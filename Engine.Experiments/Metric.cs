namespace Engine.Experiments;

/// <summary>One reported number: a snake_case name for results.json, its value and unit, and a label for results.md.</summary>
public sealed record Metric(string Name, double Value, string Unit, string Label);
