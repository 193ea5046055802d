using GraphDL.Summaries;

namespace GraphDL.Lessons;

/// <summary>
/// One training step's profile for the board: where each node ran and how long it took (profile.json). It measures a
/// step the lesson runs anyway, never an extra run, so the lesson's numbers and random streams stay as they are.
/// </summary>
public static class StepProfile
{
    /// <summary>
    /// Called at the end of every training step <paramref name="step"/>: after the step before
    /// <paramref name="profiledStep"/> it starts a profile on <paramref name="session"/>, and after
    /// <paramref name="profiledStep"/> it writes that profile to <paramref name="board"/> and stops profiling.
    /// The default, step 1, leaves the first step's one-off work (planning the run, compiling) out of the times.
    /// </summary>
    public static void ProfileStep(this FileWriter board, Session session, long step, long profiledStep = 1)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(profiledStep, 1);
        if (step == profiledStep - 1)
            session.Profile = new RunProfile();
        else if (step == profiledStep && session.Profile is { } profile)
        {
            session.Profile = null;
            board.AddRunProfile(profile, step);
        }
    }
}
