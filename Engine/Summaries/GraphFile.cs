using System.Globalization;
using System.Reflection;

namespace GraphDL.Summaries;

/// <summary>A run's graph.json: every node of a graph with its kind, scope, output, inputs and settings.</summary>
/// <param name="Format">Always <see cref="GraphFormat"/>.</param>
/// <param name="Version">The format's version, 1.</param>
/// <param name="Nodes">Every node, in the order built (a topological order).</param>
public sealed record GraphFile(string Format, int Version, IReadOnlyList<GraphFileNode> Nodes)
{
    /// <summary>The name of the format in every graph.json.</summary>
    public const string GraphFormat = "graphdl-graph";

    /// <summary>The file's record of <paramref name="graph"/>.</summary>
    public static GraphFile Of(Graph graph) => new(GraphFormat, 1, [.. graph.Nodes.Select(GraphFileNode.Of)]);
}

/// <summary>One node of graph.json.</summary>
/// <param name="Name">The full name, scopes included.</param>
/// <param name="Op">The op's type.</param>
/// <param name="Kind">What the node is for.</param>
/// <param name="Scope">The name up to the last '/' ("" at the top level).</param>
/// <param name="Dtype">Output 0's dtype in lower case ("float32"); null for a node with no outputs.</param>
/// <param name="Shape">Output 0's static shape, -1 for a dimension known only at run time; null for a node with no outputs.</param>
/// <param name="Inputs">The inputs' names, ":k" appended for output k &gt; 0.</param>
/// <param name="ControlInputs">The names of the nodes that run first with no data from them.</param>
/// <param name="Attrs">The op's public settings as text.</param>
/// <param name="Outputs">How many outputs the node has; a field GraphDL adds to the format, so 1 in a file without it.</param>
public sealed record GraphFileNode(string Name, string Op, NodeKind Kind, string Scope, string? Dtype, int[]? Shape,
                                   string[] Inputs, string[] ControlInputs, Dictionary<string, string> Attrs, int Outputs = 1)
{
    /// <summary>The record of one node.</summary>
    public static GraphFileNode Of(Node node)
    {
        int slash = node.Name.LastIndexOf('/');
        return new GraphFileNode(node.Name, node.Op.TypeName, NodeKinds.KindOf(node), slash < 0 ? "" : node.Name[..slash],
            node.OutputCount > 0 ? node.OutputDTypes[0].ToString().ToLowerInvariant() : null,
            node.OutputCount > 0 ? node.OutputShapes[0].ToArray() : null,
            [.. node.Inputs.Select(i => i.Name)], [.. node.ControlInputs.Select(c => c.Name)], AttributesOf(node.Op), node.OutputCount);
    }

    /// <summary>
    /// The public properties an op type adds (TransposeA, Axis, Tag, ...), read by reflection because every op declares
    /// its own; the members every op overrides (IsDifferentiable, ...) are left out, and a tensor-valued one (a
    /// constant's value) is described by its dtype and shape.
    /// </summary>
    private static Dictionary<string, string> AttributesOf(Op op)
    {
        var attrs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in op.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var getter = property.GetMethod;
            if (getter is null || property.GetIndexParameters().Length > 0) continue;
            var declaredBy = getter.GetBaseDefinition().DeclaringType;
            if (declaredBy == typeof(Op) || declaredBy == typeof(SourceOp)) continue;
            if (typeof(Delegate).IsAssignableFrom(property.PropertyType)) continue;
            object? value;
            try
            {
                value = property.GetValue(op);
            }
            catch (TargetInvocationException)
            {
                continue;   // a setting that cannot be read in this state is one the file can do without
            }
            attrs[property.Name] = value switch
            {
                null => "null",
                Tensor t => $"{t.DType} {t.Shape}",
                Shape s => s.ToString(),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Select(Text)) + "]",
                _ => value.ToString() ?? "",
            };
        }
        return attrs;
    }

    private static string Text(object? value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "null";
}
