using System.Globalization;
using GraphDL;
using GraphDL.Data;
using GraphDL.Keras;
using GraphDL.Lessons;
using GraphDL.Plots;

var lesson = Lesson.Start("NextWordRnn", args, slideSteps: 200);

const string text = "경마장에 있는 말이 뛰고 있다\n그의 말이 법이다\n가는 말이 고와야 오는 말이 곱다";

// 토큰화와 정수 인코딩
var t = new Tokenizer();
t.FitOnTexts([text]);
int vocabSize = t.WordIndex.Count + 1;   // index 0 is the padding, so the one-hot vectors need one more slot
Console.WriteLine($"단어 집합의 크기 : {vocabSize}");
Console.WriteLine("{" + string.Join(", ", t.WordIndex.OrderBy(p => p.Value).Select(p => $"'{p.Key}': {p.Value}")) + "}");   // print(t.word_index)

var sequences = new List<int[]>();
foreach (string line in text.Split('\n'))
{
    int[] encoded = t.TextsToSequences([line])[0];
    for (int i = 1; i < encoded.Length; i++) sequences.Add(encoded[..(i + 1)]);
}
Console.WriteLine($"훈련 데이터의 개수: {sequences.Count}");
Console.WriteLine("[" + string.Join(", ", sequences.Select(s => "[" + string.Join(", ", s) + "]")) + "]");

int maxLen = sequences.Max(s => s.Length);
int[,] padded = Sequences.PadSequences(sequences, maxLen, padding: "pre");
Console.WriteLine(FormatMatrix(padded));

// X = every column but the last, y = the last one, one-hot.
int count = padded.GetLength(0);
var xValues = new int[count, maxLen - 1];
var yLabels = new int[count];
for (int i = 0; i < count; i++)
{
    for (int j = 0; j < maxLen - 1; j++) xValues[i, j] = padded[i, j];
    yLabels[i] = padded[i, maxLen - 1];
}
Console.WriteLine(FormatMatrix(xValues));
Console.WriteLine(Show.Array(yLabels));
var X = Tensor.FromArray(xValues);
var y = OneHotEncoding.Encode(yLabels, vocabSize);   // to_categorical(y, num_classes=vocab_size)

string[] slideWordIndex = ["말이", "경마장에", "있는", "뛰고", "있다", "그의", "법이다", "가는", "고와야", "오는", "곱다"];
lesson.CheckEqual("word index", string.Join(" ", slideWordIndex.Select((w, i) => $"{w}:{i + 1}")),
    string.Join(" ", t.WordIndex.OrderBy(p => p.Value).Select(p => $"{p.Key}:{p.Value}")));
lesson.CheckEqual("vocabulary size", 12, vocabSize);
lesson.CheckEqual("training sequences", 11, count);
lesson.CheckEqual("y", "[3 1 4 5 1 7 1 9 10 1 11]", Show.Array(yLabels));

int[] slideParameters = [1_892, 72_836];
var histories = new Dictionary<string, History>();
foreach (var kind in new[] { "SimpleRNN", "LSTM" })
{
    Console.WriteLine();
    var model = new Sequential { Seed = lesson.Seed };
    // y를 제거하였으므로 이제 X의 길이는 5
    model.Add(new Layers.Embedding(vocabSize, 10, inputLength: maxLen - 1));
    model.Add(kind == "SimpleRNN" ? new Layers.SimpleRNN(32) : new Layers.LSTM(128));
    model.Add(new Layers.Dense(vocabSize, activation: "softmax"));
    model.Compile("adam", "categorical_crossentropy", ["accuracy"]);
    model.Summary();
    long parameters = model.CountParams();
    long expected = kind == "SimpleRNN" ? slideParameters[0] : slideParameters[1];
    lesson.CheckThat($"{kind}: parameters", null, parameters,
        kind == "SimpleRNN" ? "120 + 32*(32+10+1) + 32*12+12 = 1,892" : "120 + 4*128*(128+10+1) + 128*12+12 = 72,836", parameters == expected);

    // model.fit(X, y, epochs=200, verbose=2), printing only the epochs the slide shows and the last.
    var history = model.Fit(X, y, epochs: lesson.Steps, verbose: 0, callbacks: [lesson.TensorBoard(kind)], onEpochEnd: (epoch, logs) =>
    {
        if (epoch + 1 is 1 or (>= 180 and <= 183) || epoch + 1 == lesson.Steps)
        {
            Console.WriteLine($"Epoch {epoch + 1}/{lesson.Steps}");
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, " - 0s - loss: {0:F4} - acc: {1:F4}", logs["loss"], logs["accuracy"]));
        }
    });
    histories[kind] = history;

    double finalAccuracy = history.Last("accuracy"), finalLoss = history.Last("loss");
    if (lesson.FullRun)
    {
        lesson.CheckEqual($"{kind}: final accuracy", 1.0, finalAccuracy);
        int firstPerfect = history["accuracy"].ToList().FindIndex(a => a == 1.0) + 1;
        lesson.Measure($"{kind}: first epoch with accuracy 1.0", null, firstPerfect);
        lesson.Measure($"{kind}: final loss", kind == "SimpleRNN" ? 0.1886 : null, finalLoss);   // the slide stops showing at epoch 183
    }
    else
    {
        lesson.Skip($"{kind}: final accuracy", 1.0, "only the slide's 200 epochs are sure to reach it");
        lesson.Measure($"{kind}: final loss", null, finalLoss);
    }

    foreach (var (start, n, slide) in new[] { ("경마장에", 4, "경마장에 있는 말이 뛰고 있다"), ("그의", 2, "그의 말이 법이다") })
    {
        string sentence = SentenceGeneration(model, t, start, n);
        Console.WriteLine($"sentence_generation(model, t, '{start}', {n}) -> {sentence}");
        if (lesson.FullRun) lesson.CheckEqual($"{kind}: sentence_generation('{start}', {n})", slide, sentence);
        else lesson.Measure($"{kind}: sentence_generation('{start}', {n})", slide, sentence);
    }
}

var figure = new Multiplot(1, 2)
{
    Title = new Caption("문맥을 예측해서 다음 단어 예측해보기: Embedding(12, 10) -> RNN -> Dense(12, softmax), Adam",
        "NextWordRnn: Embedding(12, 10) -> RNN -> Dense(12, softmax), Adam"),
};
foreach (string metric in new[] { "loss", "accuracy" })
{
    var panel = figure.AddPlot();
    foreach (var (kind, history) in histories)
        panel.Add.ScatterLine([.. history.Epochs.Select(e => e + 1.0)], [.. history[metric]]).LegendText =
            kind == "SimpleRNN" ? "SimpleRNN(32)" : "LSTM(128)";
    panel.Title(metric == "loss" ? new Caption("손실 (loss)", "loss") : new Caption("정확도 (accuracy)", "accuracy"));
    panel.XLabel("epoch");
}
figure.Save(lesson.OutFile("training.png"), 1400, 600);

return lesson.Finish();

// The slide's sentence_generation: predict a word, append it, predict again from the longer text.
static string SentenceGeneration(Model model, Tokenizer t, string currentWord, int n)
{
    string initWord = currentWord;
    string sentence = "";
    for (int k = 0; k < n; k++)
    {
        int[] encoded = t.TextsToSequences([currentWord])[0];
        int[,] input = Sequences.PadSequences([encoded], model.InputShape![1], padding: "pre");
        int result = OneHotEncoding.Decode(model.Predict(Tensor.FromArray(input)))[0];   // predict_classes
        string word = t.WordIndex.First(p => p.Value == result).Key;
        currentWord = currentWord + " " + word;
        sentence = sentence + " " + word;
    }
    return initWord + sentence;
}

static string FormatMatrix(int[,] m)
{
    int width = m.Cast<int>().Max().ToString(CultureInfo.InvariantCulture).Length;
    var rows = Enumerable.Range(0, m.GetLength(0))
        .Select(i => "[" + string.Join(" ", Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j].ToString(CultureInfo.InvariantCulture).PadLeft(width))) + "]");
    return "[" + string.Join("\n ", rows) + "]";
}
