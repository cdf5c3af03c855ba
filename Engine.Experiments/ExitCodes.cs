namespace Engine.Experiments;

/// <summary>Process exit codes of the console, so scripts can tell failures apart.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An experiment threw or its data was malformed.</summary>
    public const int Failure = 1;

    /// <summary>Bad flags, an unknown experiment id or preset.</summary>
    public const int Usage = 2;

    /// <summary>A dataset an experiment needs was not found in any searched place.</summary>
    public const int MissingData = 3;

    /// <summary>A loss or gradient became NaN or ±∞; the last good checkpoint was kept.</summary>
    public const int Diverged = 4;

    /// <summary>Another live run holds the output folder's lock.</summary>
    public const int Locked = 5;

    /// <summary>Stopped by Ctrl-C (SIGINT) or SIGTERM after writing a checkpoint; rerun with --resume (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
