using System.CommandLine;

namespace GraphDL.Lessons;

/// <summary>
/// The options a lesson and Tour both take, made in one place so that they parse, check and describe them alike
/// (Tour hands <c>--data</c> and <c>--device</c> on to the lessons it runs).
/// </summary>
public static class SharedOptions
{
    /// <summary><c>--out DIR</c>: the directory under which each lesson writes <c>&lt;Lesson&gt;/</c>.</summary>
    public static Option<string> Out() => new("--out")
    {
        Description = "where <Lesson>/ (result.json and the pictures) is written",
        HelpName = "DIR",
        DefaultValueFactory = _ => "out",
    };

    /// <summary><c>--data DIR</c>: the data set's directory, for the lessons that read a downloadable data set.</summary>
    public static Option<string?> Data() => new("--data")
    {
        Description = "the data set's directory (default: the shared cache, $GRAPHDL_DATA/mnist or ~/.graphdl/data/mnist)",
        HelpName = "DIR",
    };

    /// <summary>
    /// <c>--device NAME</c>: where the graphs run. The name is checked by asking for the device, so that a missing
    /// GPU or an emulator that was never built is a mistake on the command line, told before anything runs.
    /// </summary>
    public static Option<string?> Device()
    {
        var option = new Option<string?>("--device")
        {
            Description = "where the graphs run: cpu (default), gpu (CUDA), emulated (the GPU kernels on the CPU, slow)",
            HelpName = string.Join('|', Devices.Names),
        };
        option.Validators.Add(result =>
        {
            string? name = result.GetValueOrDefault<string?>();
            if (name is null) return;
            try
            {
                Devices.Get(name);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                result.AddError($"--device {name}: {e.Message}");
            }
        });
        return option;
    }
}
