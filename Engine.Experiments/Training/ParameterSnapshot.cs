using Engine.Core;

namespace Engine.Experiments.Training;

/// <summary>A host copy of a list of parameters, to restore the best-so-far model after early stopping.</summary>
public sealed class ParameterSnapshot
{
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly float[][] _values;

    public ParameterSnapshot(IEnumerable<Tensor> parameters)
    {
        _parameters = parameters.ToArray();
        _values = _parameters.Select(p => new float[p.Numel]).ToArray();
    }

    /// <summary>Copies the parameters' current values into the snapshot.</summary>
    public void Capture()
    {
        for (var i = 0; i < _parameters.Count; i++)
        {
            _parameters[i].Backend.Download<float>(_parameters[i].View, _values[i]);
        }
    }

    /// <summary>Writes the captured values back into the parameters.</summary>
    public void Restore()
    {
        for (var i = 0; i < _parameters.Count; i++)
        {
            _parameters[i].CopyFrom<float>(_values[i]);
        }
    }
}
