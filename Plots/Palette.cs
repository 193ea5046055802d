using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// The series colours: the eight of ScottPlot's colour-blind-friendly palette (Okabe and Ito's), which stay
/// distinguishable under the common forms of colour blindness, reordered so that the first two (train
/// against validation) differ most and black comes last.
/// </summary>
public static class Palette
{
    /// <summary>The palette as ScottPlot takes it (<c>plot.Add.Palette</c>).</summary>
    public static IPalette OkabeIto { get; } = new ScottPlot.Palettes.Custom(
        [
            "#0072B2", // blue
            "#E69F00", // orange
            "#009E73", // bluish green
            "#D55E00", // vermillion
            "#CC79A7", // reddish purple
            "#56B4E9", // sky blue
            "#F0E442", // yellow
            "#000000", // black
        ],
        "Okabe-Ito", "ScottPlot's ColorblindFriendly colours, blue and orange first");

    /// <summary>The i-th series colour, cycling when there are more series than colours.</summary>
    public static Color Get(int index) => OkabeIto.GetColor(((index % OkabeIto.Colors.Length) + OkabeIto.Colors.Length) % OkabeIto.Colors.Length);
}
