namespace GraphDL.Data;

/// <summary>
/// Small data sets that ship inside the engine (see <c>Engine/Data/Datasets/README.md</c> for their origins and
/// licences), read by the same <see cref="Csv"/> reader a user would use for a file of their own.
/// </summary>
public static class Datasets
{
    /// <summary>
    /// sklearn's <c>sklearn.datasets.load_iris()</c> as a table: Fisher's 150 Iris flowers with the columns
    /// <c>sepal_length</c>, <c>sepal_width</c>, <c>petal_length</c>, <c>petal_width</c> (cm) and <c>species</c>
    /// (setosa, versicolor, virginica: 50 each, in that order).
    /// </summary>
    public static CsvTable Iris() => Embedded("iris.csv");

    private static CsvTable Embedded(string file)
    {
        string name = $"GraphDL.Data.Datasets.{file}";
        using var stream = typeof(Datasets).Assembly.GetManifestResourceStream(name)
            ?? throw new DataUnavailableException($"The data set '{file}' is not inside the GraphDL assembly (resource '{name}'); the build embeds Engine/Data/Datasets/{file}.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return Csv.Parse(reader.ReadToEnd(), $"{file} (GraphDL's Datasets)");
    }
}
