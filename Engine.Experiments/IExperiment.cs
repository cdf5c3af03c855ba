namespace Engine.Experiments;

/// <summary>One runnable experiment: trains and evaluates according to the context's preset and returns what it measured.</summary>
public interface IExperiment
{
    ExperimentResult Run(RunContext context);
}
