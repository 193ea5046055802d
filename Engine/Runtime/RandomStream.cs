namespace GraphDL;

/// <summary>
/// One random op's stream of numbers in a session: a seeded <see cref="Random"/> and how many numbers it has given.
/// The pair is the stream's whole state, so a checkpoint can store it and a later process can stand at the same place
/// (<see cref="Resume"/>): a resumed run then draws the dropout masks the uninterrupted run would have drawn.
/// </summary>
/// <remarks>
/// Random's seeded generator keeps its state private, so resuming replays the draws; that costs a few nanoseconds per
/// number already drawn, a second or two after a long training run with large dropout masks.
/// </remarks>
internal sealed class RandomStream
{
    private readonly Random _random;

    public RandomStream(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The seed the stream started from.</summary>
    public int Seed { get; }

    /// <summary>How many numbers the stream has given since its seed.</summary>
    public long Draws { get; private set; }

    /// <summary>The next number uniform on [0, 1).</summary>
    public double NextDouble()
    {
        Draws++;
        return _random.NextDouble();
    }

    /// <summary>A stream from <paramref name="seed"/> that has already given <paramref name="draws"/> numbers.</summary>
    public static RandomStream Resume(int seed, long draws)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(draws);
        var stream = new RandomStream(seed);
        for (long i = 0; i < draws; i++) stream._random.NextDouble();
        stream.Draws = draws;
        return stream;
    }
}
