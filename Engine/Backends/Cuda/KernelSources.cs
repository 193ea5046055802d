using System.Reflection;
using System.Text;

namespace GraphDL.Backends.Cuda;

/// <summary>
/// The kernels' source, embedded from <c>Kernels/</c>: common.cuh first, then every .cu file in name order,
/// as one translation unit. The host emulation compiles the same files in the same order (Kernels/emu/).
/// </summary>
internal static class KernelSources
{
    private const string Prefix = "GraphDL.Kernels.";

    /// <summary>The file names (common.cuh, elementwise.cu, ...) in compilation order.</summary>
    public static IReadOnlyList<string> Files { get; } = FindFiles();

    /// <summary>One source text, each file introduced by a #line so compiler messages name the file.</summary>
    public static string Unity()
    {
        var text = new StringBuilder();
        foreach (var file in Files)
        {
            text.Append("#line 1 \"").Append(file).Append("\"\n");
            text.Append(Read(file)).Append('\n');
        }
        return text.ToString();
    }

    public static string Read(string file)
    {
        using var stream = typeof(KernelSources).Assembly.GetManifestResourceStream(Prefix + file)
            ?? throw new InvalidOperationException($"The kernel file '{file}' is not embedded in {typeof(KernelSources).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static List<string> FindFiles()
    {
        var names = typeof(KernelSources).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .ToList();
        var cu = names.Where(n => n.EndsWith(".cu", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        return [.. names.Where(n => n == "common.cuh"), .. cu];
    }
}
