using GraphDL.Data;
using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>TrainingCheckpoint in one process: what it restores, and the clear errors when it cannot.</summary>
public class TrainingCheckpointTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-training-checkpoint-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>A regression with dropout and Adam on batches of a shuffled data set; each step returns its loss.</summary>
    private sealed class Run
    {
        public readonly Graph Graph = new() { Seed = 3 };
        public readonly Session Session;
        public readonly DataSet Data;
        public readonly TrainingCheckpoint Checkpoint;
        private readonly Output _x, _y, _loss;
        private readonly Node _train;

        public Run()
        {
            var g = Graph;
            _x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
            _y = g.Placeholder(DType.Float32, new Shape(-1, 1), "y");
            var w = g.Variable(Init.RandomNormal([3, 8]), "w");
            var v = g.Variable(Init.RandomNormal([8, 1]), "v");
            var hidden = g.Dropout(g.Tanh(g.MatMul(_x, w)), g.Constant(Tensor.Scalar(0.5f)));
            _loss = g.ReduceMean(g.SquaredDifference(g.MatMul(hidden, v), _y));
            _train = new AdamOptimizer(0.05).Minimize(_loss);
            Session = new Session(g);
            Session.Run(g.GlobalVariablesInitializer());
            var random = new Random(2);
            var features = Tensor.FromFlat(Enumerable.Range(0, 30).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(10, 3));
            var labels = Tensor.FromFlat(Enumerable.Range(0, 10).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(10, 1));
            Data = new DataSet(features, labels, seed: 4);
            Checkpoint = new TrainingCheckpoint(Session, new Saver(g));
            Checkpoint.Track(Data, "train");
        }

        public float[] Steps(int count)
        {
            var losses = new float[count];
            for (int i = 0; i < count; i++)
            {
                var (x, y) = Data.NextBatch(4);
                losses[i] = Session.Run([_loss, _train], new FeedDict { [_x] = x, [_y] = y })[0].ToArray<float>()[0];
            }
            return losses;
        }
    }

    [Test]
    public void RestoringGoesBackToTheSameVariablesMasksAndBatches()
    {
        var run = new Run();
        run.Steps(7);   // across an epoch's end: 10 rows in batches of 4
        string file = run.Checkpoint.Save(Path.Combine(_dir, "model"), 7);
        var expected = run.Steps(6);

        var fresh = new Run();
        Assert.That(fresh.Checkpoint.RestoreLatest(_dir), Is.EqualTo(7));
        Assert.That(fresh.Steps(6), Is.EqualTo(expected), "another session of the same graph goes on as the first did");
        Assert.That(run.Checkpoint.Restore(file), Is.EqualTo(7));
        Assert.That(run.Steps(6), Is.EqualTo(expected), "the same session goes back to the checkpoint");
    }

    [Test]
    public void RestoreLatestWithoutACheckpointIsNullAndChangesNothing()
    {
        var run = new Run();
        Assert.That(run.Checkpoint.RestoreLatest(Path.Combine(_dir, "none")), Is.Null);
        Assert.That(run.Checkpoint.RestoreLatest(_dir), Is.Null);
        Assert.That(run.Data.Position, Is.EqualTo((0, 0, false)));
    }

    [Test]
    public void APlainSaverCheckpointHasNoTrainingStateAndNothingIsRestored()
    {
        var run = new Run();
        string file = run.Checkpoint.Saver.Save(run.Session, Path.Combine(_dir, "plain"));
        run.Steps(3);
        var position = run.Data.Position;
        var error = Assert.Throws<InvalidDataException>(() => run.Checkpoint.Restore(file))!;
        Assert.That(error.Message, Does.Contain(file).And.Contain("training_state/step"));
        Assert.That(run.Data.Position, Is.EqualTo(position));
    }

    [Test]
    public void AnUntrackedDataSetOrAMissingRandomOpIsNamed()
    {
        var run = new Run();
        run.Steps(2);
        string file = run.Checkpoint.Save(Path.Combine(_dir, "model"), 2);

        var other = new Run();
        other.Checkpoint.Track(other.Data, "validation");
        Assert.That(Assert.Throws<InvalidDataException>(() => other.Checkpoint.Restore(file))!.Message,
            Does.Contain(file).And.Contain("training_state/data/validation"));

        var smaller = new Graph { Seed = 3 };
        var w = smaller.Variable(Init.Zeros(3, 8), "w");
        var v = smaller.Variable(Init.Zeros(8, 1), "v");
        using var session = new Session(smaller);
        session.Run(smaller.GlobalVariablesInitializer());
        var checkpoint = new TrainingCheckpoint(session, new Saver([w, v]));
        Assert.That(Assert.Throws<InvalidDataException>(() => checkpoint.Restore(file))!.Message,
            Does.Contain("training_state/random/").And.Contain("does not have as a random op"));
        Assert.That(session.GetValue(w).ToArray<float>(), Is.All.Zero, "no variable was set");
    }

    [Test]
    public void AVariableNamedLikeTheTrainingStateIsRefused()
    {
        var g = new Graph();
        var v = g.Variable(Init.Zeros(2), "training_state/step");
        using var session = new Session(g);
        Assert.That(Assert.Throws<ArgumentException>(() => new TrainingCheckpoint(session, new Saver([v])))!.Message, Does.Contain("training_state/step"));
    }

    [Test]
    public void ADataSetMovedToAPositionHandsOutTheBatchesThatFollowIt()
    {
        var features = Tensor.FromFlat(Enumerable.Range(0, 7).Select(i => (float)i).ToArray(), new Shape(7, 1));
        var data = new DataSet(features, features, seed: 9);
        for (int i = 0; i < 5; i++) data.NextBatch(3);   // two epochs completed, and some
        var position = data.Position;
        var next = Enumerable.Range(0, 6).SelectMany(_ => data.NextBatch(3).Features.ToArray<float>()).ToArray();

        var again = new DataSet(features, features, seed: 9);
        again.MoveTo(position);
        Assert.That(Enumerable.Range(0, 6).SelectMany(_ => again.NextBatch(3).Features.ToArray<float>()), Is.EqualTo(next));
        Assert.Throws<ArgumentException>(() => again.MoveTo((1, 8, true)));
    }

    [Test]
    public void ModelCheckpointLatestFindsTheHighestEpochAndNeedsTheEpochInTheName()
    {
        Assert.That(ModelCheckpoint.Latest(Path.Combine(_dir, "m-{epoch}.keras")), Is.Null);
        foreach (string name in new[] { "m-2.keras", "m-10.keras", "m-9.keras", ".m-11.keras.1234.tmp", "m-x.keras", "other-12.keras" })
            File.WriteAllText(Path.Combine(_dir, name), "");
        Assert.That(ModelCheckpoint.Latest(Path.Combine(_dir, "m-{epoch}.keras")), Is.EqualTo((10, Path.Combine(_dir, "m-10.keras"))));
        Assert.Throws<ArgumentException>(() => ModelCheckpoint.Latest(Path.Combine(_dir, "m.keras")));
    }
}
