using BigGustave;

namespace GraphDL.Summaries;

/// <summary>One image of an image summary: 8-bit levels, row by row, channels interleaved (1 grey, 3 RGB, 4 RGBA).</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Channels">1, 3 or 4.</param>
/// <param name="Levels">Width × Height × Channels levels, 0..255.</param>
public sealed record SummaryImage(int Width, int Height, int Channels, byte[] Levels)
{
    /// <summary>
    /// The image as a PNG file. BigGustave writes it: a small managed encoder, so the engine draws no graphics library
    /// in (Plots depends on SkiaSharp and the engine must not depend on Plots). Grey images are stored as RGB.
    /// </summary>
    public byte[] EncodePng()
    {
        if (Channels is not (1 or 3 or 4) || Levels.Length != Width * Height * Channels)
            throw new InvalidOperationException($"An image of {Width}x{Height}x{Channels} needs {Width * Height * Channels} levels, not {Levels.Length}.");
        var png = PngBuilder.Create(Width, Height, hasAlphaChannel: Channels == 4);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                int at = (y * Width + x) * Channels;
                var pixel = Channels switch
                {
                    1 => new Pixel(Levels[at], Levels[at], Levels[at]),
                    3 => new Pixel(Levels[at], Levels[at + 1], Levels[at + 2]),
                    _ => new Pixel(Levels[at], Levels[at + 1], Levels[at + 2], Levels[at + 3], false),
                };
                png.SetPixel(pixel, x, y);
            }
        using var file = new MemoryStream();
        png.Save(file);
        return file.ToArray();
    }
}
