namespace GraphDL.Lessons;

/// <summary>
/// Where a lesson sits in the lecture. A lesson does not write it by hand: Lessons/Directory.Build.targets
/// makes it from the LessonPart, LessonPosition and LessonUsesData properties of the lesson's .csproj, so
/// that a lesson's folder holds everything about it and its Program.cs starts with the slide's code.
/// </summary>
/// <param name="part">The part of the lecture: 1, the basics; 2, CNNs, RNNs and the Keras-style layer API.</param>
/// <param name="position">Its order within the part (lower first).</param>
/// <param name="usesData">Whether it reads a downloadable data set and so accepts <c>--data</c>.</param>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class LessonAttribute(int part, int position, bool usesData) : Attribute
{
    public int Part { get; } = part;

    public int Position { get; } = position;

    public bool UsesData { get; } = usesData;
}
