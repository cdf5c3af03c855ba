namespace Engine.Experiments.Data.Formats;

/// <summary>The variables of one MAT-file, by name, plus those that were present but not readable (struct, sparse, complex…).</summary>
public sealed class MatFile(string path, string headerText, IReadOnlyList<MatArray> variables, IReadOnlyDictionary<string, string> unsupported)
{
    public string Path { get; } = path;

    /// <summary>The 116-byte descriptive text of the header, trailing blanks removed.</summary>
    public string HeaderText { get; } = headerText;

    public IReadOnlyList<MatArray> Variables { get; } = variables;

    /// <summary>Variable name → why it was skipped; asking for one of these gives that reason.</summary>
    public IReadOnlyDictionary<string, string> Unsupported { get; } = unsupported;

    /// <summary>The variable called <paramref name="name"/>; throws naming the file and the variables it does hold.</summary>
    public MatArray Get(string name)
    {
        if (Variables.FirstOrDefault(v => v.Name == name) is { } found)
        {
            return found;
        }

        if (Unsupported.TryGetValue(name, out var why))
        {
            throw new InvalidDataException($"{Path}: variable '{name}' cannot be read: {why}.");
        }

        var names = string.Join(", ", Variables.Select(v => v.Name).Concat(Unsupported.Keys));
        throw new InvalidDataException($"{Path}: no variable '{name}' (the file holds: {(names.Length == 0 ? "nothing" : names)}).");
    }

    /// <summary>A numeric variable that must have exactly the given dimensions.</summary>
    public MatArray GetNumeric(string name, params int[] dims)
    {
        var v = Get(name);
        if (!v.IsNumeric || !v.Dims.SequenceEqual(dims))
        {
            throw new InvalidDataException($"{Path}: variable '{name}' should be a numeric {string.Join("×", dims)} array, found {v.DescribeShape()}.");
        }

        return v;
    }
}
