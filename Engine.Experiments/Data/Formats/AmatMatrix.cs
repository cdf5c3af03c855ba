namespace Engine.Experiments.Data.Formats;

/// <summary>A dense text matrix read from an .amat file: <see cref="Rows"/> × <see cref="Columns"/> values, row-major.</summary>
public sealed record AmatMatrix(int Rows, int Columns, float[] Values);
