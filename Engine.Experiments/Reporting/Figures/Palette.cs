namespace Engine.Experiments.Reporting.Figures;

/// <summary>Series colours (the Tableau 10 palette), readable on white and distinct in print.</summary>
public static class Palette
{
    private static readonly string[] Colors =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Color(int index) => Colors[index % Colors.Length];
}
