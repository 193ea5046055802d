using System.Diagnostics;
using System.Globalization;
using GraphDL;
using GraphDL.Data;
using GraphDL.Keras;
using GraphDL.Lessons;
using GraphDL.Plots;
using static GraphDL.Keras.Merge;

// Seed 004's Keras chapter, slide by slide, and seed 000's one network built four ways. The slides only build
// and compile most of their models; here each one is also fitted (on the slide's data where there is some, on
// seeded random data where the slide has none) so that a reader sees it learn. --steps sets the quickstart's epochs.
var lesson = Lesson.Start("KerasBasics", args, slideSteps: 5);
var random = new Random(lesson.Seed);
var losses = new Dictionary<string, IReadOnlyList<double>>();   // each small model's loss per epoch, for the picture

// ---- Seed 004: "현재 TensorFlow 공식 사이트에서는 Keras를 이용해 설명하고 있다" (the TensorFlow quickstart) ----
Console.WriteLine("""

    mnist = tf.keras.datasets.mnist
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train, x_test = x_train / 255.0, x_test / 255.0
    """);
var mnist = Mnist.Load(lesson.DataDir, Console.WriteLine, seed: lesson.Seed);
// The loader already scales the pixels to [0, 1]; load_data's shapes are (60000, 28, 28) images and one class id per image.
var (x_train, y_train) = (mnist.Train.Features.Reshaped(new Shape(mnist.Train.Count, 28, 28)), ClassIds(mnist.Train));
var (x_test, y_test) = (mnist.Test.Features.Reshaped(new Shape(mnist.Test.Count, 28, 28)), ClassIds(mnist.Test));

Console.WriteLine("""
    model = tf.keras.models.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(128, activation='relu'),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10, activation='softmax')
    ])
    model.compile(optimizer='adam',
                  loss='sparse_categorical_crossentropy',
                  metrics=['accuracy'])
    model.fit(x_train, y_train, epochs=5)
    model.evaluate(x_test, y_test)
    """);
var quickstart = new Sequential([
    new Layers.Flatten(inputShape: [28, 28]),
    new Layers.Dense(128, activation: "relu"),
    new Layers.Dropout(0.2),
    new Layers.Dense(10, activation: "softmax"),
]) { Seed = lesson.Seed };
quickstart.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
quickstart.Summary();
var clock = Stopwatch.StartNew();
var quickstartHistory = quickstart.Fit(x_train, y_train, epochs: lesson.Steps, callbacks: [lesson.TensorBoard("quickstart")]);
double quickstartSeconds = clock.Elapsed.TotalSeconds;
var quickstartTest = quickstart.Evaluate(x_test, y_test);

// ---- The quickstart's next page, "Save and load models": the whole model in one file ----
Console.WriteLine("""

    model.save('quickstart.keras')
    loaded_model = tf.keras.models.load_model('quickstart.keras')
    """);
string quickstartFile = lesson.OutFile("quickstart.keras");
quickstart.Save(quickstartFile);
var loadedQuickstart = Models.LoadModel(quickstartFile);
// The loaded model must compute what the saved one does, to the bit: the same weights through the same graph.
var (savedPredictions, loadedPredictions) = (quickstart.Predict(x_test).ToArray<float>(), loadedQuickstart.Predict(x_test).ToArray<float>());
int predictionMismatches = savedPredictions.Zip(loadedPredictions).Count(p => BitConverter.SingleToInt32Bits(p.First) != BitConverter.SingleToInt32Bits(p.Second));
var loadedQuickstartTest = loadedQuickstart.Evaluate(x_test, y_test);

// ---- Seed 004, "Sequential을 이용한 Keras Model" ----
Console.WriteLine("""

    model = Sequential()
    model.add(Dense(units=64, activation='relu', input_dim=100))
    model.add(Dense(units=10, activation='softmax'))
    model.compile(loss=keras.losses.categorical_crossentropy,
                  optimizer=keras.optimizers.SGD(lr=0.01, momentum=0.9, nesterov=True))
    model.fit(x_train, y_train, epochs=5, batch_size=32)
    loss_and_metrics = model.evaluate(x_test, y_test, batch_size=128)
    classes = model.predict(x_test, batch_size=128)
    """);
// The slide's first compile, optimizer='sgd', is plain SGD at 0.01 in Keras, not the momentum and Nesterov of the
// "same" code after it; we train with the latter. Keras's SGD(momentum, nesterov) is TF1's MomentumOptimizer with
// useNesterov: the two write the velocity with opposite signs and a factor lr, and take the same steps.
// "x_train and y_train are Numpy arrays": the slide has none, so here they are Keras's documentation's random ones,
// np.random.random((1000, 100)) and to_categorical(np.random.randint(10, size=(1000, 1)), num_classes=10).
var (xRandomTrain, yRandomTrain) = (RandomUniform(1000, 100), OneHotEncoding.Encode(RandomInts(1000, 10), 10));
var (xRandomTest, yRandomTestIds) = (RandomUniform(100, 100), RandomInts(100, 10));
var yRandomTest = OneHotEncoding.Encode(yRandomTestIds, 10);

var model = new Sequential { Seed = lesson.Seed };
model.Add(new Layers.Dense(units: 64, activation: "relu", inputDim: 100));
model.Add(new Layers.Dense(units: 10, activation: "softmax"));
model.Compile(loss: "categorical_crossentropy", optimizer: new MomentumOptimizer(0.01, 0.9, useNesterov: true), metrics: ["accuracy"]);
model.Summary();
var sequentialHistory = model.Fit(xRandomTrain, yRandomTrain, epochs: 5, batchSize: 32, callbacks: [lesson.TensorBoard("sequential")]);
losses["Dense(64) + Dense(10), SGD Nesterov"] = sequentialHistory["loss"];
var loss_and_metrics = model.Evaluate(xRandomTest, yRandomTest, batchSize: 128);
var classes = model.Predict(xRandomTest, batchSize: 128);
Console.WriteLine($"loss_and_metrics = [{Num(loss_and_metrics["loss"])}, {Num(loss_and_metrics["accuracy"])}]; classes.shape = {Layer.Format(classes.Shape)}");

// ---- Seed 004, "Sequential API로 만든 Model": the Iris flowers of the Iris lesson through one softmax layer ----
Console.WriteLine("""

    model = Sequential()
    model.add(Dense(3, input_dim=4, activation='softmax'))
    """);
var iris = Datasets.Iris();
var irisX = iris.ToTensor("sepal_length", "sepal_width", "petal_length", "petal_width");
var species = iris.Classes("species", "setosa", "versicolor", "virginica");
var irisY = species.OneHot();
var irisModel = new Sequential { Seed = lesson.Seed };
irisModel.Add(new Layers.Dense(3, inputDim: 4, activation: "softmax"));
// The slide stops at the model. It is the Iris lesson's softmax regression; Adam at 0.05 trains it in 100 short epochs
// where that lesson's plain gradient descent at 0.001 takes 100,001 steps.
irisModel.Compile(optimizer: new AdamOptimizer(0.05), loss: "categorical_crossentropy", metrics: ["accuracy"]);
irisModel.Summary();
var irisHistory = irisModel.Fit(irisX, irisY, epochs: 100, batchSize: 16, verbose: 0, callbacks: [lesson.TensorBoard("iris")]);
losses["Iris Dense(3, softmax)"] = irisHistory["loss"];
var irisScores = irisModel.Evaluate(irisX, irisY, batchSize: 150, verbose: 0);
Console.WriteLine($"after 100 epochs: loss {Num(irisScores["loss"])}, accuracy {Num(irisScores["accuracy"])}");

// ---- Seed 004, "Fully-Connected FFNN": the functional API ----
Console.WriteLine("""

    inputs = Input(shape=(10, ))
    hidden1 = Dense(64, activation='relu')(inputs)
    hidden2 = Dense(64, activation='relu')(hidden1)
    output = Dense(1, activation='sigmoid')(hidden2)
    model = Model(inputs = inputs, outputs= output)
    model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
    model.fit(data, labels)
    """);
var inputs = Layers.Input([10]);
var hidden1 = new Layers.Dense(64, activation: "relu").Apply(inputs);
var hidden2 = new Layers.Dense(64, activation: "relu").Apply(hidden1);
var output = new Layers.Dense(1, activation: "sigmoid").Apply(hidden2);
var ffnn = new Model(inputs: inputs, outputs: output) { Seed = lesson.Seed };
ffnn.Compile(optimizer: "rmsprop", loss: "categorical_crossentropy", metrics: ["accuracy"]);
ffnn.Summary();
// data and labels: 1,000 rows of 10 uniform numbers, labelled 1 when their sum passes its mean, 5.
var data = RandomUniform(1000, 10);
var labels = Tensor.FromFlat(RowSums(data).Select(s => s > 5 ? 1f : 0f).ToArray(), new Shape(1000, 1));
var ffnnBefore = ffnn.GetWeights();
var slideCompileHistory = ffnn.Fit(data, labels, callbacks: [lesson.TensorBoard("ffnn_categorical")]);
double ffnnWeightChange = MaxChange(ffnnBefore, ffnn.GetWeights());
Console.WriteLine($"""
    categorical_crossentropy on one sigmoid output: Keras first rescales the outputs to sum to 1, and one output
    divided by itself is 1, so the loss is -y log(1 - 1e-7), {Num(slideCompileHistory.Last("loss"))}, whatever the
    weights; its gradient is zero, and after a whole epoch the largest change of any weight is {Num(ffnnWeightChange)}.
    One sigmoid output wants binary_crossentropy:
    """);
ffnn.Compile(optimizer: "rmsprop", loss: "binary_crossentropy", metrics: ["accuracy"]);
var ffnnHistory = ffnn.Fit(data, labels, epochs: 5, callbacks: [lesson.TensorBoard("ffnn_binary")]);
losses["10-64-64-1 sigmoid, RMSprop"] = ffnnHistory["loss"];

Console.WriteLine("""

    inputs = Input(shape=(10,))
    x = Dense(8, activation='relu')(inputs)
    x = Dense(4, activation='relu')(x)
    x = Dense(1, activation='linear')(x)
    model = Model(inputs, x)
    """);
{
    var inputs10 = Layers.Input([10]);
    var x = new Layers.Dense(8, activation: "relu").Apply(inputs10);
    x = new Layers.Dense(4, activation: "relu").Apply(x);
    x = new Layers.Dense(1, activation: "linear").Apply(x);
    var small = new Model(inputs10, x) { Seed = lesson.Seed };
    small.Compile(optimizer: "sgd", loss: "mse");
    small.Summary();
    // Its target, for a linear output: the sum of the ten numbers itself.
    var sums = Tensor.FromFlat(RowSums(data).Select(s => (float)s).ToArray(), new Shape(1000, 1));
    var smallHistory = small.Fit(data, sums, epochs: 5, verbose: 0, callbacks: [lesson.TensorBoard("small")]);
    losses["10-8-4-1 linear, SGD"] = smallHistory["loss"];
    Console.WriteLine($"fitted on y = sum of the 10 inputs: mse {Num(smallHistory["loss"][0])} (epoch 1) -> {Num(smallHistory.Last("loss"))} (epoch 5)");
    CheckCounts("functional 10-8-4-1", small, [0, 88, 36, 5], 129);
    CheckLossFalls("10-8-4-1", smallHistory);
}

// ---- Seed 004, "Linear Regression" and "Logistic Regression" on three features ----
Console.WriteLine("""

    inputs = Input(shape=(3,))
    output = Dense(1, activation='linear')(inputs)
    linear_model = Model(inputs, output)
    linear_model.compile(optimizer='sgd', loss='mse')
    linear_model.fit(x=dat_test, y=y_cts_test, epochs=50, verbose=0)
    linear_model.fit(x=dat_test, y=y_cts_test, epochs=1, verbose=1)
    """);
// The slide's dat_train/dat_test come from a table it does not show: here 1,000 rows of three standard normal
// features, y_cts = 1.5 x1 - 2 x2 + 0.5 x3 + 1 + noise (sd 0.1) and y_classifier = (y_cts > 1), split 800 / 200.
var dat = RandomNormal(1000, 3);
var y_cts = RowDot(dat, [1.5, -2, 0.5]).Select(v => v + 1 + 0.1 * Gaussian()).ToArray();
var (dat_train, dat_test) = (Rows(dat, 0, 800), Rows(dat, 800, 200));
var (y_cts_train, y_cts_test) = (Column(y_cts[..800]), Column(y_cts[800..]));
var (y_classifier_train, y_classifier_test) = (Column(y_cts[..800].Select(v => v > 1 ? 1.0 : 0).ToArray()), Column(y_cts[800..].Select(v => v > 1 ? 1.0 : 0).ToArray()));

var linearInputs = Layers.Input([3]);
var linearOutput = new Layers.Dense(1, activation: "linear").Apply(linearInputs);
var linear_model = new Model(linearInputs, linearOutput) { Seed = lesson.Seed };
// The slide fits the regression on its test split (and the classifier on the training split); so do we.
linear_model.Compile(optimizer: "sgd", loss: "mse");
var linearHistory = linear_model.Fit(x: dat_test, y: y_cts_test, epochs: 50, verbose: 0, callbacks: [lesson.TensorBoard("linear")]);
var linearMore = linear_model.Fit(x: dat_test, y: y_cts_test, epochs: 1, verbose: 1, callbacks: [lesson.TensorBoard("linear_verbose")]);
losses["linear regression, SGD"] = [.. linearHistory["loss"], .. linearMore["loss"]];
var linearKernel = linear_model.GetWeights()[0].ToDoubles();
Console.WriteLine($"W = {Show.Array(linearKernel, 3)} (generated with [1.5 -2 0.5]), b = {Num(linear_model.GetWeights()[1].ToDoubles()[0])} (1)");

Console.WriteLine("""

    inputs = Input(shape=(3,))
    output = Dense(1, activation='sigmoid')(inputs)
    logistic_model = Model(inputs, output)
    logistic_model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy'])
    logistic_model.optimizer.lr = 0.001
    linear_model.fit(x=dat_train, y=y_classifier_train, epochs=5, validation_data=(dat_test, y_classifier_test))
    """);
var logisticInputs = Layers.Input([3]);
var logisticOutput = new Layers.Dense(1, activation: "sigmoid").Apply(logisticInputs);
var logistic_model = new Model(logisticInputs, logisticOutput) { Seed = lesson.Seed };
logistic_model.Compile(optimizer: "sgd", loss: "binary_crossentropy", metrics: ["accuracy"]);
// First 50 silent epochs at sgd's own rate, 0.01, as the linear model had, so that the slower rate below acts on a trained model.
var logisticHistory = logistic_model.Fit(x: dat_train, y: y_classifier_train, epochs: 50, validationData: (dat_test, y_classifier_test), verbose: 0,
    callbacks: [lesson.TensorBoard("logistic_lr0.01")]);
Console.WriteLine($"at lr 0.01: loss {Num(logisticHistory["loss"][0])} -> {Num(logisticHistory.Last("loss"))}, val_accuracy {Num(logisticHistory.Last("val_accuracy"))}");
// The slide's logistic_model.optimizer.lr = 0.001: the compiled step reads its rate from a variable, so the next
// fit runs at the new rate with the same graph.
logistic_model.Optimizer.LearningRate = 0.001;
// The slide calls linear_model.fit here: the regression model, fitted to the 0/1 classes with the mse it was
// compiled with. It means the model it has just compiled and slowed down, logistic_model, and that is the one fitted.
Console.WriteLine("(the slide writes linear_model.fit, a slip for logistic_model.fit: the logistic model is fitted)");
var logisticSlowHistory = logistic_model.Fit(x: dat_train, y: y_classifier_train, epochs: 5, validationData: (dat_test, y_classifier_test),
    callbacks: [lesson.TensorBoard("logistic_lr0.001")]);
losses["logistic regression, SGD 0.01 then 0.001"] = [.. logisticHistory["loss"], .. logisticSlowHistory["loss"]];

// ---- Seed 004, "다중 입력을 받는 모델" (a model with two inputs) ----
Console.WriteLine("""

    inputA = Input(shape=(64, ))
    inputB = Input(shape=(128, ))
    x = Dense(16, activation='relu')(inputA)
    x = Dense(8, activation='relu')(x)
    x = Model(inputs=inputA, outputs=x)
    y = Dense(64, activation='relu')(inputB)
    y = Dense(32, activation='relu')(y)
    y = Dense(8, activation='relu')(y)
    y = Model(inputs=inputB, outputs=y)
    result = concatenate([x.output, y.output])
    z = Dense(2, activation='rulu')(result)
    z = Dense(1, activation = 'linear')(z)
    model = Model(inputs=[x.input, y.input], outputs=z)
    """);
Model twoInputs;
string ruluError;
{
    var inputA = Layers.Input([64]);
    var inputB = Layers.Input([128]);
    var x = new Layers.Dense(16, activation: "relu").Apply(inputA);
    x = new Layers.Dense(8, activation: "relu").Apply(x);
    var xModel = new Model(inputs: inputA, outputs: x);
    var y = new Layers.Dense(64, activation: "relu").Apply(inputB);
    y = new Layers.Dense(32, activation: "relu").Apply(y);
    y = new Layers.Dense(8, activation: "relu").Apply(y);
    var yModel = new Model(inputs: inputB, outputs: y);
    var result = Concatenate([xModel.Output, yModel.Output]);
    // 'rulu' is a typo that Keras refuses ("Unknown activation function"), and so do we; the slide means relu.
    try { _ = new Layers.Dense(2, activation: "rulu"); ruluError = "accepted"; }
    catch (ArgumentException e) { ruluError = e.Message; }
    Console.WriteLine($"Dense(2, activation='rulu'): {ruluError}");
    var z = new Layers.Dense(2, activation: "relu").Apply(result);
    z = new Layers.Dense(1, activation: "linear").Apply(z);
    twoInputs = new Model(inputs: new[] { xModel.Input, yModel.Input }, outputs: z) { Seed = lesson.Seed };
}
twoInputs.Summary();
// A target both branches must read: the sum of A's first 8 columns minus the sum of B's first 8.
var (inputAData, inputBData) = (RandomUniform(1000, 64), RandomUniform(1000, 128));
var (rowsA, rowsB) = (inputAData.ToArray2D<float>(), inputBData.ToArray2D<float>());
var twoInputTarget = Column([.. Enumerable.Range(0, 1000).Select(i => Enumerable.Range(0, 8).Sum(j => (double)rowsA[i, j] - rowsB[i, j]))]);
twoInputs.Compile(optimizer: "adam", loss: "mse");
var twoInputHistory = twoInputs.Fit(new[] { inputAData, inputBData }, twoInputTarget, epochs: 10, verbose: 0, callbacks: [lesson.TensorBoard("two_inputs")]);
losses["two inputs, Adam"] = twoInputHistory["loss"];
double targetVariance = Variance(twoInputTarget.ToDoubles());
Console.WriteLine($"y = sum(A[:, :8]) - sum(B[:, :8]), variance {Num(targetVariance)}: mse {Num(twoInputHistory["loss"][0])} (epoch 1) -> {Num(twoInputHistory.Last("loss"))} (epoch 10)");

// ---- Seed 004, "RNN 은닉층 사용하기" (an LSTM layer in a functional model) ----
Console.WriteLine("""

    inputs = Input(shape=(50,1))
    lstm_layer = LSTM(10)(inputs)
    x = Dense(10, activation='relu')(lstm_layer)
    output = Dense(1, activation='sigmoid')(x)
    model = Model(inputs=inputs, outputs=output)
    """);
var sequenceInputs = Layers.Input([50, 1]);
var lstm_layer = new Layers.LSTM(10).Apply(sequenceInputs);
var lstmHidden = new Layers.Dense(10, activation: "relu").Apply(lstm_layer);
var lstmOutput = new Layers.Dense(1, activation: "sigmoid").Apply(lstmHidden);
var lstmModel = new Model(inputs: sequenceInputs, outputs: lstmOutput) { Seed = lesson.Seed };
lstmModel.Summary();
// A task for it: 512 sequences of 50 standard normal steps; is the sequence's sum positive?
var sequences = RandomNormal(512, 50);
var sequenceLabels = Column([.. RowSums(sequences).Select(s => s > 0 ? 1.0 : 0)]);
lstmModel.Compile(optimizer: new AdamOptimizer(0.01), loss: "binary_crossentropy", metrics: ["accuracy"]);
var lstmHistory = lstmModel.Fit(sequences.Reshaped(new Shape(512, 50, 1)), sequenceLabels, epochs: 5, verbose: 0, callbacks: [lesson.TensorBoard("lstm")]);
losses["LSTM(10), Adam"] = lstmHistory["loss"];
Console.WriteLine($"is the sum of 50 steps positive? loss {Num(lstmHistory["loss"][0])} -> {Num(lstmHistory.Last("loss"))}, accuracy {Num(lstmHistory["accuracy"][0])} -> {Num(lstmHistory.Last("accuracy"))}");

// ---- Seed 000, "TF2 모델 구성 방법": one network, four ways ----
Console.WriteLine("""

    # 1. Passing a list of layers to the constructor
    model = Sequential([
        Dense(5, activation='relu', input_shape=(4,)),
        Dense(10, activation='relu'),
        Dense(3, activation='softmax'),
    ])
    # 2. Adding layer via add() method
    model = Sequential()
    model.add(Dense(5, activation='relu', input_shape=(4,)))
    model.add(Dense(10, activation='relu'))
    model.add(Dense(3, activation='softmax'))
    # 3. Functional API
    inputs = Input(shape=(4,))
    x = Dense(5, activation='relu')(inputs)
    x = Dense(10, activation='relu')(x)
    outputs = Dense(3, activation='softmax')(x)
    model = Model(inputs=inputs, outputs=outputs)
    # 4. Model Subclassing
    class CustomModel(Model): ...
    my_custom_model = CustomModel(name='my_custom_model')
    """);
var fromList = new Sequential([
    new Layers.Dense(5, activation: "relu", inputShape: [4]),
    new Layers.Dense(10, activation: "relu"),
    new Layers.Dense(3, activation: "softmax"),
]) { Seed = lesson.Seed };

var byAdd = new Sequential();
byAdd.Add(new Layers.Dense(5, activation: "relu", inputShape: [4]));
byAdd.Add(new Layers.Dense(10, activation: "relu"));
byAdd.Add(new Layers.Dense(3, activation: "softmax"));

Model functional;
{
    var inputs4 = Layers.Input([4]);
    var x = new Layers.Dense(5, activation: "relu").Apply(inputs4);
    x = new Layers.Dense(10, activation: "relu").Apply(x);
    var outputs = new Layers.Dense(3, activation: "softmax").Apply(x);
    functional = new Model(inputs: inputs4, outputs: outputs);
}

var my_custom_model = new CustomModel(name: "my_custom_model");
my_custom_model.Build(4);

// The four start from the same weights (the first one's, drawn with the lesson's seed) and take the same
// steps on the Iris flowers, in order, without shuffling: the same network must give the same loss, to the bit.
Model[] fourWays = [fromList, byAdd, functional, my_custom_model];
string[] wayNames = ["1 Sequential([...])", "2 Sequential().add", "3 functional Model", "4 subclassed CustomModel"];
var initialWeights = fromList.GetWeights();
var fourWayLosses = new List<IReadOnlyList<double>>();
foreach (var way in fourWays) way.Summary();
foreach (var way in fourWays)
{
    way.SetWeights(initialWeights);
    way.Compile(optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"]);
    // One board run each, with the same tags: the board draws the four curves on top of each other.
    fourWayLosses.Add(way.Fit(irisX, irisY, epochs: 20, batchSize: 16, shuffle: false, verbose: 0,
        callbacks: [lesson.TensorBoard($"four_ways/{fourWayLosses.Count + 1}")])["loss"]);
}
losses["4-5-10-3 (all four ways), SGD"] = fourWayLosses[0];
Console.WriteLine($"loss after 20 epochs: {string.Join(", ", wayNames.Zip(fourWayLosses, (name, l) => $"{name} {l[^1].ToString("R", CultureInfo.InvariantCulture)}"))}");

// ---- The checks ----
CheckCounts("quickstart", quickstart, [0, 100_480, 0, 1_290], 101_770);
double quickstartAccuracy = quickstartTest["accuracy"];
lesson.Measure("quickstart: seconds to fit", null, Math.Round(quickstartSeconds, 1));
if (lesson.FullRun) lesson.CheckAtLeast("quickstart: test accuracy after 5 epochs", null, quickstartAccuracy, 0.97);
else
{
    lesson.Measure("quickstart: test accuracy", null, quickstartAccuracy);
    lesson.Skip("quickstart: test accuracy after 5 epochs", ">= 0.97", $"only the slide's {lesson.SlideSteps} epochs are sure to reach it");
}
if (quickstartHistory["loss"].Count > 1) CheckLossFalls("quickstart", quickstartHistory);
lesson.CheckEqual("quickstart saved and loaded: predictions on the test set that differ in any bit", 0, predictionMismatches);
lesson.CheckEqual("quickstart saved and loaded: evaluate accuracy, the same", quickstartAccuracy, loadedQuickstartTest["accuracy"]);

CheckCounts("Dense(64) + Dense(10)", model, [6_464, 650], 7_114);
CheckLossFalls("Dense(64) + Dense(10)", sequentialHistory);
lesson.CheckEqual("predict(x_test, batch_size=128) shape", "(100, 10)", Layer.Format(classes.Shape));
var probabilities = classes.ToArray2D<float>();
double worstRowSum = Enumerable.Range(0, 100).Max(i => Math.Abs(Enumerable.Range(0, 10).Sum(k => (double)probabilities[i, k]) - 1));
lesson.CheckAtMost("predict: softmax rows sum to 1 (worst gap)", null, worstRowSum, 1e-5);
// evaluate's loss is the mean cross entropy of what predict returns: -mean log p(true class).
double lossFromPredict = -Enumerable.Range(0, 100).Average(i => Math.Log(probabilities[i, yRandomTestIds[i]]));
lesson.Check("evaluate(batch_size=128) loss = -mean log predict[true class]", lossFromPredict, loss_and_metrics["loss"], 1e-5);

CheckCounts("Iris Dense(3)", irisModel, [15], 15);
lesson.CheckAtLeast("Iris Dense(3): training accuracy", null, irisScores["accuracy"], 0.95);

CheckCounts("functional 10-64-64-1", ffnn, [0, 704, 4_160, 65], 4_929);
lesson.CheckAtMost("10-64-64-1 with categorical_crossentropy: largest weight change in an epoch", null, ffnnWeightChange, 0);
CheckLossFalls("10-64-64-1 with binary_crossentropy", ffnnHistory);

CheckCounts("linear regression", linear_model, [0, 4], 4);
CheckLossFalls("linear regression, 50 epochs", linearHistory);
lesson.CheckAtMost("linear regression: the verbose 51st epoch's loss, at most the 1st's", null, linearMore.Last("loss"), linearHistory["loss"][0]);
lesson.CheckAtMost("linear regression: largest error of W against [1.5 -2 0.5]", null, linearKernel.Zip(new[] { 1.5, -2, 0.5 }).Max(p => Math.Abs(p.First - p.Second)), 0.05);
CheckCounts("logistic regression", logistic_model, [0, 4], 4);
CheckLossFalls("logistic regression at lr 0.01", logisticHistory);
CheckLossFalls("logistic regression at lr 0.001", logisticSlowHistory);

CheckCounts("two inputs", twoInputs, [0, 0, 1_040, 136, 8_256, 2_080, 264, 0, 34, 3], 11_813);
// The error's first sentence; the rest lists the known names.
lesson.CheckThat("Dense(2, activation='rulu') is refused", null, ruluError.Split(". ")[0], "names the activation", ruluError.Contains("'rulu'", StringComparison.Ordinal));
CheckLossFalls("two inputs", twoInputHistory);
lesson.CheckAtMost("two inputs: final mse below the target's variance (predicting its mean)", null, twoInputHistory.Last("loss"), targetVariance);

CheckCounts("LSTM", lstmModel, [0, 480, 110, 11], 601);
CheckLossFalls("LSTM", lstmHistory);

foreach (var (way, wayName) in fourWays.Zip(wayNames)) lesson.CheckEqual($"4-5-10-3 {wayName}: total params", 118L, way.CountParams());
CheckLossCurveFalls("4-5-10-3", fourWayLosses[0]);
for (int w = 1; w < fourWays.Length; w++)
    lesson.CheckThat($"4-5-10-3 {wayNames[w]}: the same loss as {wayNames[0]} in every epoch", null, fourWayLosses[w][^1], "exact, all 20 epochs",
        fourWayLosses[w].SequenceEqual(fourWayLosses[0]));

// ---- Pictures ----
TrainingCurves.Save(quickstartHistory.AsDictionary(), lesson.OutFile("quickstart.png"));
var lossPlot = new Plot();
int colour = 0;
foreach (var (name, curve) in losses)
{
    double first = curve[0];
    var line = lossPlot.Add.ScatterLine([.. Enumerable.Range(1, curve.Count).Select(e => (double)e)], [.. curve.Select(l => l / first)], Palette.Get(colour));
    line.LegendText = name;
    // The palette has eight colours; a ninth curve reuses the first, dashed.
    if (colour++ >= 8) line.LinePattern = ScottPlot.LinePattern.Dashed;
}
lossPlot.Axes.LogScaleY();
lossPlot.Title("KerasBasics: each model's training loss per epoch, relative to its first epoch");
lossPlot.XLabel("epoch");
lossPlot.YLabel("loss / first epoch's loss (log scale)");
lossPlot.Save(lesson.OutFile("losses.png"), 1000, 600);

return lesson.Finish();

// ---- Helpers: the slides' data, and the checks ----

Tensor ClassIds(DataSet set) => Tensor.FromFlat(set.ClassIds!, new Shape(set.Count));

// np.random.random((rows, columns)), from the lesson's seed.
Tensor RandomUniform(int rows, int columns) =>
    Tensor.FromFlat(Enumerable.Range(0, rows * columns).Select(_ => random.NextSingle()).ToArray(), new Shape(rows, columns));

Tensor RandomNormal(int rows, int columns) =>
    Tensor.FromFlat(Enumerable.Range(0, rows * columns).Select(_ => (float)Gaussian()).ToArray(), new Shape(rows, columns));

// A standard normal number by Box-Muller.
double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

int[] RandomInts(int count, int below) => [.. Enumerable.Range(0, count).Select(_ => random.Next(below))];

void CheckCounts(string name, Model m, long[] perLayer, long total)
{
    lesson.CheckEqual($"{name}: layers", perLayer.Length, m.Layers.Count);
    foreach (var (layer, expected) in m.Layers.Zip(perLayer))
        if (expected > 0 || layer.CountParams() > 0)
            lesson.CheckEqual($"{name}: {layer.Name} params", expected, layer.CountParams());
    lesson.CheckEqual($"{name}: total params", total, m.CountParams());
}

void CheckLossFalls(string name, IReadOnlyDictionary<string, IReadOnlyList<double>> history) => CheckLossCurveFalls(name, history["loss"]);

void CheckLossCurveFalls(string name, IReadOnlyList<double> curve) =>
    lesson.CheckThat($"{name}: loss falls (first epoch -> last)", null, $"{Num(curve[0])} -> {Num(curve[^1])}", "last < first", curve[^1] < curve[0]);

static string Num(double value) => value.ToString("G5", CultureInfo.InvariantCulture);

static double[] RowSums(Tensor t)
{
    var values = t.ToArray2D<float>();
    return [.. Enumerable.Range(0, values.GetLength(0)).Select(i => Enumerable.Range(0, values.GetLength(1)).Sum(j => (double)values[i, j]))];
}

static double[] RowDot(Tensor t, double[] w)
{
    var values = t.ToArray2D<float>();
    return [.. Enumerable.Range(0, values.GetLength(0)).Select(i => Enumerable.Range(0, w.Length).Sum(j => values[i, j] * w[j]))];
}

static Tensor Rows(Tensor t, int start, int count)
{
    int columns = t.Shape[1];
    return Tensor.FromFlat(t.ToArray<float>().AsSpan(start * columns, count * columns).ToArray(), new Shape(count, columns));
}

static Tensor Column(double[] values) => Tensor.FromFlat(values.Select(v => (float)v).ToArray(), new Shape(values.Length, 1));

static double Variance(double[] values)
{
    double mean = values.Average();
    return values.Average(v => (v - mean) * (v - mean));
}

static double MaxChange(Tensor[] before, Tensor[] after) =>
    before.Zip(after).Max(p => p.First.ToDoubles().Zip(p.Second.ToDoubles()).Max(v => Math.Abs(v.First - v.Second)));

/// <summary>Seed 000's model subclassing: the layers made in the constructor, connected in Call.</summary>
internal sealed class CustomModel(string name) : Model(name)
{
    private readonly Layers.Dense _dense1 = new(5, activation: "relu");
    private readonly Layers.Dense _dense2 = new(10, activation: "relu");
    private readonly Layers.Dense _dense3 = new(3, activation: "softmax");

    protected override KerasTensor Call(KerasTensor inputs)
    {
        var x = _dense1.Apply(inputs);   // the slide's "self.densel": a typo for dense1
        x = _dense2.Apply(x);
        return _dense3.Apply(x);
    }
}
