namespace Engine.Experiments;

/// <summary>How big a run is; every experiment maps each preset to its own settings.</summary>
public enum Preset
{
    /// <summary>Minutes on a laptop: a subset and a few epochs, to see the pipeline work end to end.</summary>
    Quick,

    /// <summary>The scale we report.</summary>
    Default,

    /// <summary>The paper's own settings, however long they take.</summary>
    Paper,

    /// <summary>Hidden: seconds, for in-process tests of the whole pipeline; its numbers mean nothing.</summary>
    Smoke,
}

/// <summary>Preset names on the command line.</summary>
public static class Presets
{
    /// <summary>The names shown in help; <c>smoke</c> is accepted too but not advertised.</summary>
    public static IReadOnlyList<string> Public { get; } = ["quick", "default", "paper"];

    public static string Name(Preset preset) => preset.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out Preset preset)
    {
        preset = Preset.Default;
        return text is not null
            && !int.TryParse(text, out _) // Enum.TryParse would accept "1"
            && Enum.TryParse(text, ignoreCase: true, out preset);
    }

    public static Preset Parse(string text) =>
        TryParse(text, out var preset)
            ? preset
            : throw new ExperimentException($"unknown preset '{text}'; use one of {string.Join(", ", Public)}.", ExitCodes.Usage);
}
