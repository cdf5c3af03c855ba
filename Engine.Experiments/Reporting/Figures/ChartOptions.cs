namespace Engine.Experiments.Reporting.Figures;

/// <summary>Title, axis labels and pixel size of a chart (for a log scale, plot log values and say so in the label).</summary>
public sealed record ChartOptions(string Title = "", string XLabel = "", string YLabel = "", int Width = 640, int Height = 400);
