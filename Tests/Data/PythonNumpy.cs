using System.Diagnostics;

namespace GraphDL.Tests.Data;

/// <summary>numpy as the outside reader of GraphDL's .npy and .npz files.</summary>
internal static class PythonNumpy
{
    /// <summary>Whether python3 can import numpy here (CI installs Debian's python3-numpy; a machine without it skips).</summary>
    public static bool Available()
    {
        try { return Run("import numpy", null) is not null; }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { return false; }
    }

    /// <summary>Runs a python3 one-liner with an optional argument; its standard output, or an exception with its standard error.</summary>
    public static string Run(string script, string? argument)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        if (argument is not null) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException(error);
        return output;
    }
}
