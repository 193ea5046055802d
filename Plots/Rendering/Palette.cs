namespace GraphDL.Plots;

/// <summary>
/// The series colours. Okabe and Ito's eight colours stay distinguishable under the common forms of
/// colour blindness; they are ordered so that the first two (train vs validation) differ most.
/// </summary>
public static class Palette
{
    public static IReadOnlyList<Color> OkabeIto { get; } =
    [
        Color.FromHex("#0072B2"), // blue
        Color.FromHex("#E69F00"), // orange
        Color.FromHex("#009E73"), // bluish green
        Color.FromHex("#D55E00"), // vermillion
        Color.FromHex("#CC79A7"), // reddish purple
        Color.FromHex("#56B4E9"), // sky blue
        Color.FromHex("#F0E442"), // yellow
        Color.FromHex("#000000"), // black
    ];

    /// <summary>The i-th series colour, cycling when there are more series than colours.</summary>
    public static Color Get(int index) => OkabeIto[((index % OkabeIto.Count) + OkabeIto.Count) % OkabeIto.Count];
}
