namespace GraphDL.Data;

/// <summary>
/// Small data sets that ship inside the engine (see <c>Engine/Data/Datasets/README.md</c> for their origins and
/// licences), read by the same <see cref="Csv"/> reader a user would use for a file of their own.
/// </summary>
public static partial class Datasets
{
    /// <summary>
    /// sklearn's <c>sklearn.datasets.load_iris()</c> as a table: Fisher's 150 Iris flowers with the columns
    /// <c>sepal_length</c>, <c>sepal_width</c>, <c>petal_length</c>, <c>petal_width</c> (cm) and <c>species</c>
    /// (setosa, versicolor, virginica: 50 each, in that order).
    /// </summary>
    public static CsvTable Iris() => Embedded("iris.csv");

    /// <summary>
    /// sklearn's <c>sklearn.datasets.load_breast_cancer()</c>: the 569 Wisconsin Diagnostic Breast Cancer cases,
    /// 30 features each (the mean, standard error and worst of ten measurements of a cell nucleus image), with the
    /// target 0 = malignant (212 cases), 1 = benign (357), in the file's order.
    /// </summary>
    public static BreastCancerData BreastCancer()
    {
        const string file = "breast_cancer.csv";
        string source = $"{file} (GraphDL's Datasets)";
        string text = EmbeddedText(file);
        // sklearn's own format: the first line is "rows,features,class names...", not a header, so it is checked
        // and cut off before the rows (all numbers) go through the CSV reader.
        int firstLineEnd = text.IndexOf('\n');
        string[] counts = text[..firstLineEnd].TrimEnd('\r').Split(',');
        if (counts.Length != 4 || counts[0] != "569" || counts[1] != "30")
            throw new CsvException(source, 1, null, null, $"the first line should be '569,30,malignant,benign' (sklearn's format), not '{text[..firstLineEnd]}'.");
        var rows = Csv.Parse(text[(firstLineEnd + 1)..], source, hasHeader: false);
        var features = rows.ToTensor(Enumerable.Range(0, 30).ToArray());
        var targets = rows.Numbers(30).Select(t => (int)t).ToArray();
        return new BreastCancerData(features, targets, [.. BreastCancerFeatureNames], [counts[2], counts[3]]);
    }

    // sklearn 1.2.1's load_breast_cancer() names the columns in code, not in the file; these are its names, in order.
    private static readonly string[] BreastCancerFeatureNames =
    [
        "mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness",
        "mean compactness", "mean concavity", "mean concave points", "mean symmetry", "mean fractal dimension",
        "radius error", "texture error", "perimeter error", "area error", "smoothness error",
        "compactness error", "concavity error", "concave points error", "symmetry error", "fractal dimension error",
        "worst radius", "worst texture", "worst perimeter", "worst area", "worst smoothness",
        "worst compactness", "worst concavity", "worst concave points", "worst symmetry", "worst fractal dimension",
    ];

    private static CsvTable Embedded(string file) => Csv.Parse(EmbeddedText(file), $"{file} (GraphDL's Datasets)");

    private static string EmbeddedText(string file)
    {
        string name = $"GraphDL.Data.Datasets.{file}";
        using var stream = typeof(Datasets).Assembly.GetManifestResourceStream(name)
            ?? throw new DataUnavailableException($"The data set '{file}' is not inside the GraphDL assembly (resource '{name}'); the build embeds Engine/Data/Datasets/{file}.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// What <see cref="Datasets.BreastCancer"/> returns, as sklearn's <c>load_breast_cancer()</c> Bunch does:
/// <c>data</c>, <c>target</c>, <c>feature_names</c> and <c>target_names</c>.
/// </summary>
/// <param name="Features">The features, float32 of shape (569, 30).</param>
/// <param name="Targets">The class of each row: 0 malignant, 1 benign.</param>
/// <param name="FeatureNames">The 30 column names, as sklearn spells them ("mean radius", ...).</param>
/// <param name="TargetNames">The class names by target value: "malignant", "benign".</param>
public sealed record BreastCancerData(Tensor Features, int[] Targets, string[] FeatureNames, string[] TargetNames);
