namespace GraphDL.Plots;

/// <summary>Several figures in one image, in a grid of equal panels filled row by row.</summary>
public sealed class Multiplot : Figure
{
    private readonly List<Figure> _panels = [];

    public Multiplot(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Rows = rows;
        Columns = columns;
    }

    public int Rows { get; }
    public int Columns { get; }
    public string Title { get; set; } = "";
    public IReadOnlyList<Figure> Panels => _panels;

    /// <summary>Adds a new empty plot in the next free panel and returns it.</summary>
    public Plot AddPlot() => Add(new Plot());

    /// <summary>Puts a figure in the next free panel.</summary>
    public T Add<T>(T figure) where T : Figure
    {
        ArgumentNullException.ThrowIfNull(figure);
        if (_panels.Count >= Rows * Columns)
            throw new ArgumentException($"All {Rows}x{Columns} panels are taken.", nameof(figure));
        _panels.Add(figure);
        return figure;
    }

    /// <summary>The panel at (row, column), or null if it is still empty.</summary>
    public Figure? this[int row, int column] => row * Columns + column < _panels.Count ? _panels[row * Columns + column] : null;

    public override void RenderTo(Canvas canvas, PixelRect area)
    {
        double s = canvas.Scale;
        canvas.FillRect(area, FigureBackground);
        double top = area.Top;
        if (Title.Length > 0)
        {
            double ts = 17 * s;
            StrokeFont.Draw(canvas, Title, area.CenterX, top + 10 * s, ts, Colors.Black, TextAlign.Center, TextAnchorY.Top, weight: 1.3);
            top += 10 * s + StrokeFont.CapHeight(ts) + StrokeFont.Descent(ts);
        }
        double w = area.Width / Columns, h = (area.Bottom - top) / Rows;
        for (int i = 0; i < _panels.Count; i++)
        {
            int r = i / Columns, col = i % Columns;
            var cell = new PixelRect(Math.Round(area.Left + col * w), Math.Round(top + r * h),
                                     Math.Round(area.Left + (col + 1) * w), Math.Round(top + (r + 1) * h));
            _panels[i].RenderTo(canvas, cell);
        }
    }
}
