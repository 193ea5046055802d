namespace GraphDL.Lessons;

/// <summary>
/// Where a lesson sits in the lecture and what the slide calls it. A lesson does not write it by hand:
/// Lessons/Directory.Build.targets makes it from the LessonPart, LessonPosition, LessonTitle and LessonUsesData
/// properties of the lesson's .csproj, so that a lesson's folder holds everything about it, its Program.cs
/// starts with the slide's code, and Tour can list the lessons without running them.
/// </summary>
/// <param name="part">The part of the lecture: 1, the basics; 2, CNNs, RNNs and the Keras-style layer API.</param>
/// <param name="position">Its order within the part (lower first).</param>
/// <param name="usesData">Whether it reads a downloadable data set and so accepts <c>--data</c>.</param>
/// <param name="title">The slide's title, printed as the lesson's heading and listed by <c>Tour --list</c>.</param>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class LessonAttribute(int part, int position, bool usesData, string title) : Attribute
{
    public int Part { get; } = part;

    public int Position { get; } = position;

    public bool UsesData { get; } = usesData;

    public string Title { get; } = title;
}
