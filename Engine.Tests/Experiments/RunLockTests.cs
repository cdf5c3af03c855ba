using Engine.Experiments;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class RunLockTests
{
    [Test]
    public void Acquire_WhileHeld_IsRefusedNamingTheOwner_AndFreeAgainAfterDispose()
    {
        using var temp = new TempDirectory();
        var log = new ProgressLog(TextWriter.Null);
        using (RunLock.Acquire(temp.Path, log))
        {
            var e = Assert.Throws<ExperimentException>(() => RunLock.Acquire(temp.Path, log));
            Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.Locked));
            Assert.That(e.Message, Does.Contain($"PID {Environment.ProcessId}").And.Contain(RunLock.FileName));
        }

        Assert.That(File.Exists(Path.Combine(temp.Path, RunLock.FileName)), Is.False, "released");
        using var again = RunLock.Acquire(temp.Path, log);
        Assert.That(File.Exists(again.Path));
    }

    [Test]
    public void Acquire_StaleLockOfADeadProcess_IsTakenOverWithAWarning()
    {
        using var temp = new TempDirectory();
        // What a SIGKILLed run leaves behind: a lock whose PID is not running (or was recycled, so its start time differs).
        File.WriteAllText(Path.Combine(temp.Path, RunLock.FileName), RunLock.Describe(Environment.ProcessId, Environment.MachineName, startTicks: 12345));
        var lines = new StringWriter();

        using var taken = RunLock.Acquire(temp.Path, new ProgressLog(lines));

        Assert.That(lines.ToString(), Does.StartWith("warning: taking over the stale lock").And.Contain("is not running"));
        Assert.That(File.ReadAllText(taken.Path), Does.Contain($"pid {Environment.ProcessId}"));
    }

    [Test]
    public void Acquire_LockFromAnotherHost_IsNotStolen()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, RunLock.FileName), RunLock.Describe(4242, "some-other-host", 1));

        var e = Assert.Throws<ExperimentException>(() => RunLock.Acquire(temp.Path, new ProgressLog(TextWriter.Null)));

        Assert.That(e!.Message, Does.Contain("PID 4242 on some-other-host"));
    }
}
