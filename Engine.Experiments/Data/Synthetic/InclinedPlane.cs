namespace Engine.Experiments.Data.Synthetic;

/// <summary>
/// The MetaVAE "inclined plane" simulator (spec metavae §9.2): a block slides down a plane of length
/// L (m) at angle A (degrees) with friction μ; a = g·sin A − g·μ·cos A; if a ≤ 0 the time is 1e5,
/// else Euler steps of dt = 0.005 (position += v·dt, then v += a·dt, T += dt) until position ≥ L;
/// the observation is T + N(0, 0.02²).
/// </summary>
public static class InclinedPlane
{
    public const double Gravity = 9.8;
    public const double Dt = 0.005;
    public const double NoiseStd = 0.02;
    public const double StuckTime = 1e5;

    /// <summary>The noiseless sliding time.</summary>
    public static double SlideTime(double length, double angleDegrees, double friction)
    {
        var angle = angleDegrees * Math.PI / 180;
        var a = Gravity * Math.Sin(angle) - Gravity * friction * Math.Cos(angle);
        if (a <= 0)
        {
            return StuckTime;
        }

        double position = 0, velocity = 0, time = 0;
        while (position < length)
        {
            position += velocity * Dt;
            velocity += a * Dt;
            time += Dt;
        }

        return time;
    }

    /// <summary>n draws (x = observed time, μ ~ U(0.0001, 1)) from the simulator (L, A).</summary>
    public static (double[] Times, double[] Frictions) Draw(Engine.Core.Rng rng, double length, double angleDegrees, int n)
    {
        var times = new double[n];
        var frictions = new double[n];
        for (var i = 0; i < n; i++)
        {
            frictions[i] = 0.0001 + (1.0 - 0.0001) * rng.NextDouble();
            times[i] = SlideTime(length, angleDegrees, frictions[i]) + NoiseStd * rng.NextNormal();
        }

        return (times, frictions);
    }
}
