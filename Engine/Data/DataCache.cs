namespace GraphDL.Data;

/// <summary>Where downloaded data sets are kept: one folder per data set under one root shared by every program.</summary>
public static class DataCache
{
    /// <summary>The environment variable that moves the root: <c>GRAPHDL_DATA</c>.</summary>
    public const string RootVariable = "GRAPHDL_DATA";

    /// <summary><c>$GRAPHDL_DATA</c> when that variable is set, else <c>~/.graphdl/data</c>.</summary>
    public static string Root
    {
        get
        {
            string? root = Environment.GetEnvironmentVariable(RootVariable);
            return string.IsNullOrWhiteSpace(root)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".graphdl", "data")
                : root;
        }
    }

    /// <summary>The folder of one data set under <see cref="Root"/>: <c>~/.graphdl/data/mnist</c>.</summary>
    public static string Folder(string dataSet) => Path.Combine(Root, dataSet);
}
