using System.Text;

namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// The graph as Graphviz DOT text: one box per node labelled with its name, op type, attributes and static
    /// output shape; gradient nodes are filled orange, variables green, placeholders blue; control
    /// dependencies are dashed. <c>dot -Tpng graph.dot -o graph.png</c> draws it.
    /// </summary>
    public string ToDot()
    {
        var sb = new StringBuilder();
        sb.AppendLine("digraph GraphDL {");
        sb.AppendLine("  rankdir=TB;");
        sb.AppendLine("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=10];");
        foreach (var node in _nodes)
        {
            string shapes = string.Join(" ", node.OutputShapes.Select((s, i) => $"{node.OutputDTypes[i]} {s}"));
            string attributes = node.Op.Attributes.Length > 0 ? $"\\n{Escape(node.Op.Attributes)}" : "";
            string fill = node.IsGradient ? "#f9c784" : node.Op switch
            {
                GraphDL.VariableOp => "#b5e48c",
                GraphDL.Placeholder => "#a9d6e5",
                _ => "white",
            };
            sb.AppendLine($"  n{node.Id} [label=\"{Escape(node.Name)}\\n{node.Op.TypeName}{attributes}\\n{Escape(shapes)}\", fillcolor=\"{fill}\"];");
        }
        foreach (var node in _nodes)
        {
            foreach (var input in node.Inputs)
                sb.AppendLine($"  n{input.Node.Id} -> n{node.Id}{(input.Index > 0 ? $" [label=\"{input.Index}\"]" : "")};");
            foreach (var control in node.ControlInputs)
                sb.AppendLine($"  n{control.Id} -> n{node.Id} [style=dashed];");
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
