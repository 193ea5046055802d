using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

/// <summary>Datasets.BreastCancer() against what sklearn 1.2.1's load_breast_cancer() returns for the same file.</summary>
public class BreastCancerTests
{
    [Test]
    public void HasSklearnsShapeAndNames()
    {
        var cancer = Datasets.BreastCancer();
        Assert.That(cancer.Features.Shape, Is.EqualTo(new Shape(569, 30)));
        Assert.That(cancer.Targets, Has.Length.EqualTo(569));
        Assert.That(cancer.FeatureNames, Has.Length.EqualTo(30));
        Assert.That(cancer.FeatureNames[0], Is.EqualTo("mean radius"));
        Assert.That(cancer.FeatureNames[10], Is.EqualTo("radius error"));
        Assert.That(cancer.FeatureNames[29], Is.EqualTo("worst fractal dimension"));
        Assert.That(cancer.FeatureNames, Is.Unique);
        Assert.That(cancer.TargetNames, Is.EqualTo(new[] { "malignant", "benign" }));
    }

    [Test]
    public void FirstRowIsTheFilesFirstCase()
    {
        // The first data line of breast_cancer.csv, as sklearn's X[0] (rounded to float32) and y[0].
        double[] expected =
        [
            17.99, 10.38, 122.8, 1001, 0.1184, 0.2776, 0.3001, 0.1471, 0.2419, 0.07871,
            1.095, 0.9053, 8.589, 153.4, 0.006399, 0.04904, 0.05373, 0.01587, 0.03003, 0.006193,
            25.38, 17.33, 184.6, 2019, 0.1622, 0.6656, 0.7119, 0.2654, 0.4601, 0.1189,
        ];
        var cancer = Datasets.BreastCancer();
        float[] features = cancer.Features.ToArray<float>();
        for (int c = 0; c < 30; c++)
            Assert.That(features[c], Is.EqualTo((float)expected[c]), cancer.FeatureNames[c]);
        Assert.That(cancer.Targets[0], Is.EqualTo(0));
    }

    [Test]
    public void Has212MalignantAnd357Benign()
    {
        var cancer = Datasets.BreastCancer();
        Assert.That(cancer.Targets.Count(t => t == 0), Is.EqualTo(212));
        Assert.That(cancer.Targets.Count(t => t == 1), Is.EqualTo(357));
    }
}
