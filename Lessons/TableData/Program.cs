using System.Diagnostics;
using System.Globalization;
using GraphDL;
using GraphDL.Data;
using GraphDL.Keras;
using GraphDL.Lessons;
using GraphDL.Plots;

// Seed 000's "심층신경망 구현" chapter and its exercise (DNN-Exercise.ipynb), slide by slide. The slides' churn_data.csv is
// not shipped with the seeds and cannot be fetched, so the same pipeline runs on a real table of the same width:
// the Wisconsin Diagnostic Breast Cancer set, 569 rows of 30 numeric features and a 0/1 label, as scikit-learn ships
// it (Engine/Data/Datasets/README.md names its origin). --steps sets the epochs of each fit.
var lesson = Lesson.Start("TableData", args, slideSteps: 100);
var clock = Stopwatch.StartNew();

// ---- 데이터 로드 ----
Console.WriteLine("""

    df = pd.read_csv('churn_data.csv')
    """);
Console.WriteLine("(here: sklearn.datasets.load_breast_cancer(), the same table scikit-learn 1.2.1 ships)");
var cancer = Datasets.BreastCancer();
int rows = cancer.Features.Shape[0], columns = cancer.Features.Shape[1];
float[] table = cancer.Features.ToArray<float>();

// ---- 데이터 분석 ----
Console.WriteLine("""

    df.info()
    df.isnull().sum()
    df.describe().transpose()
    """);
Console.WriteLine($"{rows} entries, {columns} float32 feature columns and 1 int target column; non-null everywhere: {table.All(float.IsFinite)}");
var describe = Enumerable.Range(0, columns).Select(c => Describe(Column(c))).ToArray();
Console.WriteLine($"{"",-24}{"count",7}{"mean",12}{"std",12}{"min",12}{"max",12}");
foreach (int c in new[] { 0, 1, 2, 3, 4, 10, 20, 29 })
{
    var d = describe[c];
    Console.WriteLine($"{cancer.FeatureNames[c],-24}{d.Count,7:F1}{G(d.Mean),12}{G(d.Std),12}{G(d.Min),12}{G(d.Max),12}");
}
Console.WriteLine($"... ({columns} rows in all; the columns' scales run from {G(describe.Min(d => d.Max))} to {G(describe.Max(d => d.Max))}, hence the scaler below)");

// ---- 데이터 전처리 ----
Console.WriteLine("""

    df.drop('customerID', axis=1, inplace=True)
    df['Churn'].replace(['Yes', 'No'], [1, 0], inplace=True)
    dummies = pd.get_dummies(df[cols], drop_first=True)
    """);
// The churn table needs these steps because it has an id column, text labels and 15 text columns; this table has
// none of them: no id, a label that is already 0/1, and every feature a number. So there is nothing to drop or to
// turn into dummies here (DummyEncoder is the engine's get_dummies, for a table that has such columns).
Console.WriteLine("this table has no id column, its label is already 0 (malignant) / 1 (benign), and it has no categorical column: no get_dummies step");
var x = cancer.Features;
var y = Tensor.FromFlat(cancer.Targets.Select(t => (float)t).ToArray(), new Shape(rows, 1));

// ---- 훈련/테스트 데이터셋 분할 ----
Console.WriteLine("""

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=42)
    """);
var (X_train, X_test, y_train, y_test) = ModelSelection.TrainTestSplit(x, y, testSize: 0.3, seed: 42);
Console.WriteLine($"X_train.shape = {Layer.Format(X_train.Shape)}, X_test.shape = {Layer.Format(X_test.Shape)}");

// ---- 데이터셋 정규화/스케일링 ----
Console.WriteLine("""

    scaler = MinMaxScaler()
    scaler.fit(X_train)
    X_train = scaler.transform(X_train)
    X_test = scaler.transform(X_test)
    """);
// Fitted on the training rows only, so nothing of the test rows leaks into training: the test part may fall
// slightly outside [0, 1], which is what it would do on new data.
var scaler = new MinMaxScaler();
scaler.Fit(X_train);
X_train = scaler.Transform(X_train);
X_test = scaler.Transform(X_test);
float[] scaledTrain = X_train.ToArray<float>(), scaledTest = X_test.ToArray<float>();
Console.WriteLine($"X_train in [{scaledTrain.Min()}, {scaledTrain.Max()}]; X_test in [{G(scaledTest.Min())}, {G(scaledTest.Max())}]");

// ---- 모델 구성 / 모델 컴파일 ----
Console.WriteLine("""

    model = Sequential()
    model.add(Dense(64, activation='relu', input_shape=(30,)))
    model.add(Dense(64, activation='relu'))
    model.add(Dense(32, activation='relu'))
    model.add(Dense(1, activation='sigmoid'))
    model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
    """);
Console.WriteLine("\"이 모델은 회귀모델인가요? 이진분류모델인가요? 다중분류모델인가요?\": binary classification, one sigmoid output.");
var model = new Sequential { Seed = lesson.Seed };
model.Add(new Layers.Dense(64, activation: "relu", inputShape: [30]));
model.Add(new Layers.Dense(64, activation: "relu"));
model.Add(new Layers.Dense(32, activation: "relu"));
model.Add(new Layers.Dense(1, activation: "sigmoid"));
model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
model.Summary();

// ---- 실습 2: 검증 정확도가 가장 높은 모델을 best_model.h5로 저장 ----
Console.WriteLine($"""

    checkpoint = ModelCheckpoint('best_model.h5', monitor='val_accuracy', save_best_only=True)
    model.fit(X_train, y_train, epochs={lesson.Steps}, batch_size=32, validation_data=(X_test, y_test), callbacks=[checkpoint])
    """);
// The slides show no fit call; the exercise's notebook validates on the held-out part, as here. Weights go to an .npz,
// the engine's weights format, where Keras writes an .h5.
string bestFile = lesson.OutFile("best_model.npz");
if (File.Exists(bestFile)) File.Delete(bestFile);
var checkpoint = new ModelCheckpoint(bestFile, monitor: "val_accuracy", saveBestOnly: true);
var history = model.Fit(X_train, y_train, epochs: lesson.Steps, batchSize: 32, validationData: (X_test, y_test),
    seed: lesson.Seed, verbose: 0, callbacks: [checkpoint, lesson.TensorBoard("dense")]);
PrintEpochs(history);
var valAccuracy = history["val_accuracy"];
// The first epoch (from 0, as Keras's callbacks count) to reach the best: save_best_only saves only on an improvement, so not on a tie.
int bestEpoch = Enumerable.Range(0, valAccuracy.Count).MaxBy(e => valAccuracy[e]);
double lastTestAccuracy = model.Evaluate(X_test, y_test, verbose: 0)["accuracy"];

// Loading the checkpoint must bring back the best epoch's model, not the last one.
model.LoadWeights(bestFile);
var bestScores = model.Evaluate(X_test, y_test, verbose: 0);
Console.WriteLine($"best val_accuracy {G(valAccuracy.Max())} at epoch {bestEpoch + 1} (last saved after epoch {checkpoint.LastSaved?.Epoch + 1}); after loading best_model.npz: val_accuracy {G(bestScores["accuracy"])} (the last epoch's model: {G(lastTestAccuracy)})");

// ---- 모델 구성(과적합 방지): the slide's Dropout network ----
Console.WriteLine("""

    model = Sequential()
    model.add(Dense(128, activation='relu', input_shape=(30,)))
    model.add(Dropout(0.3))
    model.add(Dense(64, activation='relu'))
    model.add(Dropout(0.5))
    model.add(Dense(32, activation='relu'))
    model.add(Dropout(0.2))
    model.add(Dense(1, activation='sigmoid'))
    """);
var dropoutModel = new Sequential { Seed = lesson.Seed };
dropoutModel.Add(new Layers.Dense(128, activation: "relu", inputShape: [30]));
dropoutModel.Add(new Layers.Dropout(0.3));
dropoutModel.Add(new Layers.Dense(64, activation: "relu"));
dropoutModel.Add(new Layers.Dropout(0.5));
dropoutModel.Add(new Layers.Dense(32, activation: "relu"));
dropoutModel.Add(new Layers.Dropout(0.2));
dropoutModel.Add(new Layers.Dense(1, activation: "sigmoid"));
dropoutModel.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
dropoutModel.Summary();
var dropoutHistory = dropoutModel.Fit(X_train, y_train, epochs: lesson.Steps, batchSize: 32, validationData: (X_test, y_test),
    seed: lesson.Seed, verbose: 0, callbacks: [lesson.TensorBoard("dropout")]);
PrintEpochs(dropoutHistory);

// ---- 실습 3 / 학습과정 시각화: losses[['loss','val_loss']].plot() and the accuracies ----
Console.WriteLine("""

    losses = pd.DataFrame(model.history.history)
    losses[['loss','val_loss']].plot()
    losses[['accuracy','val_accuracy']].plot()
    """);
TrainingCurves.Save(history.AsDictionary(), lesson.OutFile("curves.png"));
TrainingCurves.Save(dropoutHistory.AsDictionary(), lesson.OutFile("curves_dropout.png"));
Console.WriteLine($"wrote {lesson.OutFile("curves.png")} and curves_dropout.png");

// ---- The test part's confusion matrix, with the best model ----
Console.WriteLine("""

    predictions = (model.predict(X_test) > 0.5).astype(int)
    print(confusion_matrix(y_test, predictions))
    print(classification_report(y_test, predictions))
    """);
int[] truth = [.. y_test.ToArray<float>().Select(v => (int)v)];
int[] predicted = [.. model.Predict(X_test).ToArray<float>().Select(p => p > 0.5f ? 1 : 0)];
var confusion = ClassificationReport.ConfusionMatrix(truth, predicted);
Console.WriteLine($"[[{confusion[0, 0],3} {confusion[0, 1],3}]\n [{confusion[1, 0],3} {confusion[1, 1],3}]]");
var report = ClassificationReport.Compute(truth, predicted, cancer.TargetNames);
Console.WriteLine(report);
SaveConfusionHeatmap(confusion, lesson.OutFile("confusion.png"));
double seconds = clock.Elapsed.TotalSeconds;

// ---- Figures ----
lesson.CheckEqual("table: rows", 569, rows);
lesson.CheckEqual("table: feature columns (the churn slide's X_train.shape[1])", 30, columns);
// The package's breast_cancer.rst states each feature's range; describe must find the same.
lesson.CheckEqual("describe: mean radius min (the .rst's 6.981)", 6.981f, describe[0].Min);
lesson.CheckEqual("describe: mean radius max (the .rst's 28.11)", 28.11f, describe[0].Max);
lesson.CheckEqual("describe: worst area max (the .rst's 4254.0)", 4254f, describe[23].Max);
lesson.CheckEqual("train_test_split(test_size=0.3): test rows, ceil(0.3 x 569)", 171, X_test.Shape[0]);
lesson.CheckEqual("train_test_split(test_size=0.3): train rows", 398, X_train.Shape[0]);
lesson.CheckEqual("MinMaxScaler fitted on train: train min", 0f, scaledTrain.Min());
lesson.CheckEqual("MinMaxScaler fitted on train: train max", 1f, scaledTrain.Max());
CheckCounts("30-64-64-32-1", model, [1_984, 4_160, 2_080, 33], 8_257);
CheckCounts("dropout 30-128-64-32-1", dropoutModel, [3_968, 0, 8_256, 0, 2_080, 0, 33], 14_337);
lesson.CheckThat("ModelCheckpoint(save_best_only): best_model.npz written", null, File.Exists(bestFile) ? "exists" : "missing", "the file exists", File.Exists(bestFile));
lesson.CheckEqual("ModelCheckpoint: the last save is the best epoch's (counted from 0)", bestEpoch, checkpoint.LastSaved?.Epoch ?? -1);
lesson.Check("best_model.npz loaded: val_accuracy = the best epoch's", valAccuracy.Max(), bestScores["accuracy"], 1e-6);
if (lesson.FullRun)
{
    lesson.CheckAtLeast("best val_accuracy (the exercise's bar 0.8)", 0.8, valAccuracy.Max(), 0.8);
    lesson.CheckAtLeast("dropout: best val_accuracy", 0.8, dropoutHistory["val_accuracy"].Max(), 0.8);
}
else
{
    lesson.Measure("best val_accuracy", 0.8, valAccuracy.Max());
    lesson.Skip("best val_accuracy (the exercise's bar 0.8)", ">= 0.8", $"only the full {lesson.SlideSteps} epochs are sure to reach it");
}
lesson.CheckEqual("confusion matrix: test rows counted", 171, confusion[0, 0] + confusion[0, 1] + confusion[1, 0] + confusion[1, 1]);
lesson.Check("confusion matrix: accuracy = the best model's val_accuracy", bestScores["accuracy"], (confusion[0, 0] + confusion[1, 1]) / 171.0, 1e-6);
lesson.Measure("seconds, both fits and the plots", null, Math.Round(seconds, 1));
return lesson.Finish();

float[] Column(int c) => [.. Enumerable.Range(0, rows).Select(r => table[r * columns + c])];

// pandas' describe(): the count, the mean, the sample standard deviation (ddof=1) and the extremes.
static (int Count, double Mean, double Std, float Min, float Max) Describe(float[] values)
{
    double mean = values.Average(v => (double)v);
    double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    return (values.Length, mean, Math.Sqrt(variance), values.Min(), values.Max());
}

static string G(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

void PrintEpochs(History h)
{
    int epochs = h["loss"].Count;
    foreach (int e in Enumerable.Range(0, epochs).Where(e => e == 0 || (e + 1) % 10 == 0 || e == epochs - 1).Distinct())
        Console.WriteLine($"Epoch {e + 1}/{epochs}: loss {h["loss"][e]:F4} - accuracy {h["accuracy"][e]:F4} - val_loss {h["val_loss"][e]:F4} - val_accuracy {h["val_accuracy"][e]:F4}");
}

void CheckCounts(string name, Model m, long[] perLayer, long total)
{
    lesson.CheckEqual($"{name}: layers", perLayer.Length, m.Layers.Count);
    for (int i = 0; i < perLayer.Length; i++)
        lesson.CheckEqual($"{name}: {m.Layers[i].Name} params", perLayer[i], m.Layers[i].CountParams());
    lesson.CheckEqual($"{name}: total params", total, m.CountParams());
}

static void SaveConfusionHeatmap(int[,] confusion, string path)
{
    var plot = new Plot();
    var cells = new double[2, 2];
    for (int r = 0; r < 2; r++) for (int c = 0; c < 2; c++) cells[r, c] = confusion[r, c];
    var map = plot.Add.Heatmap(cells);
    map.ShowValues = true;
    map.ValueFormat = "F0";
    map.RowLabels = ["true malignant", "true benign"];
    map.ColumnLabels = ["predicted malignant", "predicted benign"];
    plot.Add.ColorBar(map);
    plot.Title("TableData: confusion matrix of the test part, best model");
    plot.Save(path, 700, 560);
}
