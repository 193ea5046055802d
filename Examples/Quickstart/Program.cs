// The README's example: a 2-4-1 sigmoid network learns XOR, TF1 style.
using GraphDL;

var g = new Graph { Seed = 1 };
var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");              // -1 = None: any batch size
var y = g.Placeholder(DType.Float32, new Shape(-1, 1), "y");
var W1 = g.Variable(Init.RandomNormal([2, 4], stddev: 1.0), "W1");
var b1 = g.Variable(Init.Zeros(4), "b1");
var W2 = g.Variable(Init.RandomNormal([4, 1], stddev: 1.0), "W2");
var b2 = g.Variable(Init.Zeros(1), "b2");
var h = g.Sigmoid(g.MatMul(x, W1) + b1);
var yHat = g.Sigmoid(g.MatMul(h, W2) + b2);
var loss = g.ReduceMean(g.SquaredDifference(yHat, y));
var train = new GradientDescentOptimizer(2.0).Minimize(loss);

using var sess = new Session(g);
sess.Run(g.GlobalVariablesInitializer());
var feeds = new FeedDict { [x] = new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }, [y] = new float[,] { { 0 }, { 1 }, { 1 }, { 0 } } };
for (int step = 0; step <= 5000; step++)
{
    var r = sess.Run([train, loss], feeds);
    if (step % 1000 == 0) Console.WriteLine($"step {step,5}  loss {(float)r[1]:F6}");
}
Console.WriteLine($"XOR prediction: {sess.Run(yHat, feeds)}");
