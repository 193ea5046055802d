using System.Text.Json;
using GraphDL.Summaries;
using GraphDL.Tests.Engine;
using NUnit.Framework;

namespace GraphDL.Tests.Summaries;

/// <summary>graph.json over every op the engine has: each graph of the op catalogue, with its gradients, becomes a file.</summary>
public class GraphFileTests
{
    private static IEnumerable<GradCase> Cases() => OpCatalogue.Cases();

    [TestCaseSource(nameof(Cases))]
    public void EachCatalogueGraphWithItsGradientsIsRecordedNodeForNode(GradCase c)
    {
        var g = new Graph();
        var xs = c.Shapes.Select((s, i) => g.Placeholder(DType.Float64, s, $"x{i}")).ToArray();
        var y = c.Build(g, xs);
        var sum = g.ReduceSum(y);
        int beforeGradients = g.Nodes.Count;
        g.Gradients([sum], xs);

        var file = GraphFile.Of(g);
        var back = JsonSerializer.Deserialize<GraphFile>(JsonSerializer.Serialize(file, LogJson.Options), LogJson.Options)!;
        Assert.That(back.Nodes.Select(n => n.Name), Is.EqualTo(g.Nodes.Select(n => n.Name)));
        Assert.That(back.Nodes.Count(n => n.Kind == NodeKind.Gradient), Is.EqualTo(g.Nodes.Count - beforeGradients),
            "every node the gradient builder made, and nothing else");
        Assert.That(back.Nodes.Count(n => n.Kind == NodeKind.Placeholder), Is.EqualTo(xs.Length));
        foreach (var node in back.Nodes)
            Assert.That(node.Inputs.All(i => back.Nodes.Any(n => n.Name == i.Split(':')[0])), $"{node.Name}'s inputs are nodes of the file");
    }
}
