namespace GraphDL;

/// <summary>What <see cref="Graph.GetVariable(string, Initializer?, bool)"/> may do inside a variable scope (TF1's <c>reuse</c> argument).</summary>
public enum VariableReuse
{
    /// <summary>As the enclosing scope does; at the top level that is to create only (TF1's <c>reuse=None</c>).</summary>
    Inherit,
    /// <summary>Only share variables that exist (TF1's <c>reuse=True</c>); nested scopes share too and cannot turn it off.</summary>
    Reuse,
    /// <summary>Create a variable the first time, share it after (TF1's <c>reuse=tf.AUTO_REUSE</c>).</summary>
    AutoReuse,
}

/// <summary>
/// An open variable scope (TF1's <c>tf.variable_scope</c>), closed by <see cref="Dispose"/> at the end of its using
/// block. It prefixes the names <see cref="Graph.GetVariable(string, Initializer?, bool)"/> looks up and creates,
/// and opens a name scope of the same name for the other nodes built inside.
/// </summary>
public sealed class VariableScope : IDisposable
{
    private readonly IDisposable _nameScope;
    private readonly Action<VariableScope> _close;
    private bool _closed;

    internal VariableScope(string name, VariableReuse reuse, IDisposable nameScope, Action<VariableScope> close)
    {
        Name = name;
        Reuse = reuse;
        _nameScope = nameScope;
        _close = close;
    }

    /// <summary>The full name, outer scopes included ("model/layer1"): the prefix of the variables made inside.</summary>
    public string Name { get; }

    /// <summary>What GetVariable does here: never <see cref="VariableReuse.Inherit"/>, which is resolved on entry.</summary>
    public VariableReuse Reuse { get; private set; }

    /// <summary>
    /// From here on, GetVariable in this scope shares instead of creating (TF1's <c>scope.reuse_variables()</c>):
    /// build a tower once, call this, and build it again on other inputs with the same weights.
    /// </summary>
    public void ReuseVariables() => Reuse = VariableReuse.Reuse;

    /// <summary>Closes the scope and its name scope; the scopes opened inside it must be closed first.</summary>
    public void Dispose()
    {
        if (_closed) return;
        _close(this);
        _closed = true;
        _nameScope.Dispose();
    }
}

public sealed partial class Graph
{
    private readonly List<VariableScope> _variableScopes = [];
    private readonly Dictionary<string, Output> _sharedVariables = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens a variable scope (TF1's <c>tf.variable_scope(name, reuse=...)</c>): GetVariable inside it names its
    /// variables "<paramref name="name"/>/...", and shares or creates them as <paramref name="reuse"/> says.
    /// Opening the same scope again shares its variables, while the other nodes get a fresh name scope ("model_1/").
    /// <code>
    /// using (g.VariableScope("model")) y1 = Net(g, x1);                            // creates model/w
    /// using (g.VariableScope("model", VariableReuse.Reuse)) y2 = Net(g, x2);      // shares model/w
    /// </code>
    /// </summary>
    /// <param name="name">The scope's name, without '/'.</param>
    /// <param name="reuse">Whether GetVariable creates, shares, or both; inherited from the enclosing scope by default.</param>
    public VariableScope VariableScope(string name, VariableReuse reuse = VariableReuse.Inherit)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/') || name.Contains(':'))
            throw new ArgumentException($"A variable scope needs a non-empty name without '/' or ':', got '{name}'.", nameof(name));
        if (!Enum.IsDefined(reuse))
            throw new ArgumentOutOfRangeException(nameof(reuse), reuse, "Not a VariableReuse value.");
        var outer = _variableScopes.Count == 0 ? null : _variableScopes[^1];
        // TF1's rule: reuse=True is inherited and cannot be switched off inside; anything else may be asked for.
        var effective = (reuse, outer?.Reuse) switch
        {
            (_, VariableReuse.Reuse) => VariableReuse.Reuse,
            (VariableReuse.Inherit, { } inherited) => inherited,
            (VariableReuse.Inherit, null) => VariableReuse.Inherit,
            _ => reuse,
        };
        string fullName = outer is null ? name : $"{outer.Name}/{name}";
        var scope = new VariableScope(fullName, effective, PushScope(name), CloseVariableScope);
        _variableScopes.Add(scope);
        return scope;
    }

    /// <summary>Opens a variable scope that shares (<c>reuse: true</c>, TF1's <c>reuse=True</c>) or inherits (<c>false</c>).</summary>
    /// <param name="name">The scope's name, without '/'.</param>
    /// <param name="reuse">True to share existing variables only.</param>
    public VariableScope VariableScope(string name, bool reuse) =>
        VariableScope(name, reuse ? VariableReuse.Reuse : VariableReuse.Inherit);

    /// <summary>
    /// The variable "scope/<paramref name="name"/>" of the open variable scopes (TF1's <c>tf.get_variable</c>):
    /// created from <paramref name="initializer"/> where the scope creates, the existing one where it shares.
    /// TF1's errors: creating a variable that exists, sharing one that does not, or sharing with another shape or
    /// dtype than it was made with. A failed call adds nothing to the graph.
    /// </summary>
    /// <param name="name">The variable's name inside the scope.</param>
    /// <param name="initializer">Its shape, dtype and initial value (Init.Zeros(3, 4), ...); may be left out when sharing.</param>
    /// <param name="trainable">Whether optimizers update it by default; used only when it is created.</param>
    public Output GetVariable(string name, Initializer? initializer = null, bool trainable = true)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains(':'))
            throw new ArgumentException($"GetVariable needs a non-empty name without ':', got '{name}'.", nameof(name));
        var scope = _variableScopes.Count == 0 ? null : _variableScopes[^1];
        string fullName = scope is null ? name : $"{scope.Name}/{name}";
        var reuse = scope?.Reuse ?? VariableReuse.Inherit;
        string where = scope is null ? "at the top level" : $"in variable scope '{scope.Name}'";

        if (_sharedVariables.TryGetValue(fullName, out var existing))
        {
            if (reuse == VariableReuse.Inherit)
                throw new InvalidOperationException(
                    $"Variable '{fullName}' already exists, and {where} GetVariable only creates. To share it, open the " +
                    "scope with VariableReuse.Reuse (or call ReuseVariables()); to create it once and share it after, use VariableReuse.AutoReuse.");
            if (initializer is not null && initializer.Shape != existing.Shape)
                throw new ShapeException($"Trying to share variable '{fullName}', but asked for shape {initializer.Shape} and found shape {existing.Shape}.");
            if (initializer is not null && initializer.DType != existing.DType)
                throw new ArgumentException($"Trying to share variable '{fullName}', but asked for dtype {initializer.DType} and found dtype {existing.DType}.");
            return existing;
        }

        if (reuse == VariableReuse.Reuse)
            throw new InvalidOperationException(
                $"Variable '{fullName}' does not exist, or was not made with GetVariable, and {where} GetVariable only shares. " +
                "Create it first in a scope without reuse, or use VariableReuse.AutoReuse.");
        if (initializer is null)
            throw new ArgumentException($"GetVariable creates a new variable '{fullName}' and needs an initializer for its shape and values.", nameof(initializer));

        // The variable's node takes the variable scope's name, not the name scope's: the second "model" scope
        // builds its nodes under "model_1/", and its variables must still be "model/w".
        Output variable;
        using (AtExactScope(scope is null ? "" : scope.Name + "/"))
            variable = Variable(initializer, name, trainable);
        _sharedVariables[fullName] = variable;
        return variable;
    }

    /// <summary>
    /// GetVariable with the shape only, initialised as TF1's tf.get_variable does when given no initializer:
    /// Glorot uniform (<see cref="Init.GlorotUniform"/>) drawn with the graph seed.
    /// </summary>
    /// <param name="name">The variable's name inside the scope.</param>
    /// <param name="shape">Its shape; checked against the existing variable when sharing.</param>
    /// <param name="trainable">Whether optimizers update it by default; used only when it is created.</param>
    public Output GetVariable(string name, int[] shape, bool trainable = true) =>
        GetVariable(name, Init.GlorotUniform(shape), trainable);

    private void CloseVariableScope(VariableScope scope)
    {
        if (_variableScopes.Count == 0 || _variableScopes[^1] != scope)
            throw new InvalidOperationException($"Variable scope '{scope.Name}' closed while a scope opened inside it is still open.");
        _variableScopes.RemoveAt(_variableScopes.Count - 1);
    }

    private void ForgetSharedVariablesFrom(int nodeCount)
    {
        foreach (var (name, variable) in _sharedVariables.ToList())
            if (variable.Node.Id >= nodeCount) _sharedVariables.Remove(name);
    }
}
