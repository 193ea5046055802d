namespace GraphDL.Plots;

/// <summary>
/// Maps a value in [0, 1] to a colour by linear interpolation between evenly spaced anchors.
/// Viridis is perceptually uniform and colour-blind safe, so heatmaps default to it.
/// </summary>
public sealed class Colormap
{
    private readonly Color[] _anchors;

    public Colormap(string name, IReadOnlyList<Color> anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        if (anchors.Count < 2) throw new ArgumentException("A colormap needs at least two anchor colours.", nameof(anchors));
        Name = name;
        _anchors = [.. anchors];
    }

    public string Name { get; }

    /// <summary>The colour at t (clamped to [0, 1]); NaN gives the lowest colour.</summary>
    public Color At(double t)
    {
        if (!(t > 0)) return _anchors[0];
        if (t >= 1) return _anchors[^1];
        double f = t * (_anchors.Length - 1);
        int i = (int)f;
        return _anchors[i].Lerp(_anchors[i + 1], f - i);
    }

    public static Colormap Viridis { get; } = new("Viridis",
    [
        Color.FromHex("#440154"), Color.FromHex("#482878"), Color.FromHex("#3E4989"), Color.FromHex("#31688E"),
        Color.FromHex("#26828E"), Color.FromHex("#1F9E89"), Color.FromHex("#35B779"), Color.FromHex("#6ECE58"),
        Color.FromHex("#B5DE2B"), Color.FromHex("#FDE725"),
    ]);

    /// <summary>Black to white: digits and feature maps.</summary>
    public static Colormap Grayscale { get; } = new("Grayscale", [Colors.Black, Colors.White]);

    /// <summary>White to dark blue: counts such as a confusion matrix.</summary>
    public static Colormap Blues { get; } = new("Blues",
        [Color.FromHex("#F7FBFF"), Color.FromHex("#C6DBEF"), Color.FromHex("#6BAED6"), Color.FromHex("#2171B5"), Color.FromHex("#08306B")]);

    /// <summary>Blue, white, red: signed weights, where white should sit at zero (use a symmetric range).</summary>
    public static Colormap BlueWhiteRed { get; } = new("BlueWhiteRed",
        [Color.FromHex("#2166AC"), Color.FromHex("#92C5DE"), Color.FromHex("#F7F7F7"), Color.FromHex("#F4A582"), Color.FromHex("#B2182B")]);
}
