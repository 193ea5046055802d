using System.Globalization;
using System.Text.RegularExpressions;
using GraphDL;
using GraphDL.Data;
using GraphDL.Keras;
using GraphDL.Lessons;
using GraphDL.Plots;

// seed 001's last exercise, "Shakespeare text generation": a character-level RNN that learns to write like its book.
// The tutorial's tiny-shakespeare file is not reachable, so the book is Conan Doyle's Sherlock Holmes stories
// (Project Gutenberg #1661, public domain), which Debian ships in a package; Datasets.SherlockHolmes names it.
var lesson = Lesson.Start("TextGeneration", args, slideSteps: 6);   // epochs: the exercise gives none; six pass the bars with room on two cores

// 데이터 읽기
var corpus = Datasets.SherlockHolmes(log: Console.WriteLine);
string text = corpus.Text;
Console.WriteLine($"{corpus.Title}: {corpus.Origin}");
Console.WriteLine($"Length of text: {text.Length:N0} characters");
Console.WriteLine(text[..250]);

// 텍스트 벡터화: 글자 집합(vocab)과 글자 -> 정수, 정수 -> 글자
char[] vocab = [.. text.Distinct().Order()];   // sorted(set(text))
var char2idx = vocab.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
int[] textAsInt = [.. text.Select(c => char2idx[c])];
Console.WriteLine($"{vocab.Length} unique characters");
Console.WriteLine($"'{Escape(text[..13])}' ---- characters mapped to int ---- > [{string.Join(", ", textAsInt[..13])}]");

// 앞 90%는 훈련, 뒤 10%는 검증: 검증 글은 모델이 한 번도 읽지 않은 이야기의 끝부분
int split = textAsInt.Length * 9 / 10;
const int seqLength = 100;   // 한 번에 읽는 글자 수
var (xTrain, yTrain) = SplitInputTarget(textAsInt[..split], seqLength);
var (xValid, yValid) = SplitInputTarget(textAsInt[split..], seqLength);
Console.WriteLine($"{xTrain.Shape[0]:N0} training and {xValid.Shape[0]:N0} validation sequences of {seqLength} characters");

// 모델: Embedding -> GRU(return_sequences) -> Dense(softmax), 매 글자마다 다음 글자의 확률
const int embeddingDim = 64, rnnUnits = 256, batchSize = 32;
var model = new Sequential { Seed = lesson.Seed };
model.Add(new Layers.Embedding(vocab.Length, embeddingDim, inputLength: seqLength));
model.Add(new Layers.GRU(rnnUnits, returnSequences: true));
model.Add(new Layers.Dense(vocab.Length, activation: "softmax"));
model.Compile(Optimizers.Adam(0.004), "sparse_categorical_crossentropy");
model.Summary();

// 학습 전: 아직 아무것도 모르는 모델은 모든 글자를 거의 같은 확률로 고른다, 손실 ≈ ln(vocab)
double untrainedLoss = model.Evaluate(xValid, yValid, batchSize: 256, verbose: 0)["loss"];
Console.WriteLine($"Untrained loss: {untrainedLoss:F4}, ln({vocab.Length}) = {Math.Log(vocab.Length):F4}");

// 체크포인트: 매 에포크 끝에 모델 전체(가중치와 옵티마이저 상태)를 저장
string checkpointDir = lesson.OutFile("checkpoints");
if (Directory.Exists(checkpointDir)) Directory.Delete(checkpointDir, recursive: true);
var checkpoint = new ModelCheckpoint(Path.Combine(checkpointDir, "ckpt_{epoch}.keras"), monitor: "val_loss");

// 학습하다 멈춘 뒤 이어서: 에포크의 절반을 학습하고, 가장 최근 체크포인트에서 새 모델을 읽어 나머지를 학습한다.
// Both fits log to one board run: the resumed one goes on from epoch firstHalf, so the curves read as one training.
int epochs = lesson.Steps, firstHalf = Math.Max(1, epochs / 2);
var board = lesson.TensorBoard("gru");
var firstRun = model.Fit(xTrain, yTrain, epochs: firstHalf, batchSize: batchSize, validationData: (xValid, yValid),
    callbacks: [checkpoint, board], seed: lesson.Seed);
string latest = LatestCheckpoint(checkpointDir);
Console.WriteLine($"Restarting from {Path.GetFileName(latest)}");
var resumed = Models.LoadModel(latest);
double resumedLoss = resumed.Evaluate(xValid, yValid, batchSize: batchSize, verbose: 0)["loss"];
long resumedIterations = resumed.Optimizer!.Iterations;
var secondRun = resumed.Fit(xTrain, yTrain, epochs: epochs, initialEpoch: firstHalf, batchSize: batchSize,
    validationData: (xValid, yValid), callbacks: [checkpoint, board], seed: lesson.Seed);

var history = firstRun.Keys.ToDictionary(key => key, key => (IReadOnlyList<double>)[.. firstRun[key], .. secondRun.GetValueOrDefault(key, [])]);

// 글 생성: 한 글자씩, 상태를 이어 가며. 온도(temperature)가 낮으면 확률이 높은 글자만, 높으면 더 모험적으로
var generator = new CharGenerator(resumed, vocab, char2idx, rnnUnits, seed: lesson.Seed);
const string startString = "Holmes ";
var samples = new Dictionary<double, (string Text, double NatsPerChar)>();
foreach (double temperature in new[] { 0.2, 0.5, 1.0 })
{
    samples[temperature] = generator.Generate(startString, numGenerate: 1000, temperature);
    Console.WriteLine();
    Console.WriteLine($"--- temperature {temperature:0.0} ---");
    Console.WriteLine(samples[temperature].Text[..Math.Min(500, samples[temperature].Text.Length)]);
}

// ---- The figures ----
double unigramNats = UnigramCrossEntropy(textAsInt[..split], textAsInt[split..], vocab.Length);
double validLoss = history["val_loss"][^1];
var corpusWords = Words(text).ToHashSet();
string[] generatedWords = [.. Words(samples[0.5].Text[startString.Length..]).SkipLast(1)];   // the last word may be cut off
double wordShare = generatedWords.Count(corpusWords.Contains) / (double)Math.Max(1, generatedWords.Length);

lesson.CheckAtLeast("corpus characters", null, text.Length, 500_000);
lesson.Measure("vocabulary", null, vocab.Length);
long expectedParameters = vocab.Length * embeddingDim + 3 * rnnUnits * (embeddingDim + rnnUnits + 1) + rnnUnits * vocab.Length + vocab.Length;
lesson.CheckThat("parameters", null, resumed.CountParams(), $"V*64 + 3*256*(64+256+1) + 256*V+V = {expectedParameters:N0}", resumed.CountParams() == expectedParameters);
lesson.CheckRange($"untrained loss ≈ ln({vocab.Length})", null, untrainedLoss, Math.Log(vocab.Length) - 0.1, Math.Log(vocab.Length) + 0.1);
double savedLoss = firstRun.Last("val_loss");
// The model file holds the weights as they were, so the loaded model's loss is the saved one's to the bit.
lesson.CheckThat("resumed model's val_loss", null, resumedLoss, $"= epoch {firstHalf}'s val_loss {savedLoss:R}, to the bit",
    resumedLoss == savedLoss);
long stepsPerEpoch = (xTrain.Shape[0] + batchSize - 1) / batchSize;
lesson.CheckThat("resumed optimizer iterations", null, resumedIterations, $"= {firstHalf} x {stepsPerEpoch} steps", resumedIterations == firstHalf * stepsPerEpoch);
lesson.Measure("unigram baseline (nats/char)", null, unigramNats);
var nats = samples.Values.Select(s => s.NatsPerChar).ToArray();
if (lesson.FullRun)
{
    lesson.CheckAtMost("val_loss (nats/char)", null, validLoss, 0.6 * unigramNats);
    lesson.CheckAtLeast("temperature 0.5: share of words that are corpus words", null, wordShare, 0.7);
    lesson.CheckThat("colder samples are likelier", null, string.Join(" < ", nats.Select(n => n.ToString("F3", CultureInfo.InvariantCulture))),
        "nats/char rises with the temperature", nats[0] < nats[1] && nats[1] < nats[2]);
}
else
{
    lesson.Measure("val_loss (nats/char)", null, validLoss);
    lesson.Measure("temperature 0.5: share of words that are corpus words", null, wordShare);
    lesson.Measure("nats/char of the samples at 0.2, 0.5, 1.0", null, string.Join(", ", nats.Select(n => n.ToString("F3", CultureInfo.InvariantCulture))));
    lesson.Skip("val_loss ≤ 0.6 × unigram", null, "only the full run's epochs are sure to reach it");
}
TrainingCurves.Save(history, lesson.OutFile("curves.png"));
File.WriteAllText(lesson.OutFile("samples.txt"), string.Concat(samples.Select(p => $"--- temperature {p.Key:0.0} ---\n{p.Value.Text}\n\n")));
return lesson.Finish();

// The tutorial's split_input_target over chunks of seqLength + 1: the input is a chunk but its last character, the target
// the same chunk shifted by one, so that at every position the model predicts the next character.
static (Tensor X, Tensor Y) SplitInputTarget(int[] ids, int seqLength)
{
    int count = (ids.Length - 1) / (seqLength + 1);
    var x = new int[count, seqLength];
    var y = new int[count, seqLength];
    for (int s = 0; s < count; s++)
        for (int t = 0; t < seqLength; t++)
        {
            x[s, t] = ids[s * (seqLength + 1) + t];
            y[s, t] = ids[s * (seqLength + 1) + t + 1];
        }
    return (Tensor.FromArray(x), Tensor.FromArray(y));
}

// tf.train.latest_checkpoint: the checkpoint of the highest epoch in the folder.
static string LatestCheckpoint(string folder) =>
    Directory.GetFiles(folder, "ckpt_*.keras")
        .MaxBy(f => int.Parse(Path.GetFileNameWithoutExtension(f)["ckpt_".Length..], CultureInfo.InvariantCulture))
    ?? throw new FileNotFoundException($"No checkpoint in {folder}.");

// The baseline a language model must beat: each character drawn by its frequency in the training text, scored on the
// validation text (add-one smoothing, so that a character seen only in validation costs something finite).
static double UnigramCrossEntropy(int[] train, int[] valid, int vocabSize)
{
    var counts = new double[vocabSize];
    foreach (int c in train) counts[c]++;
    double total = train.Length + vocabSize;
    return -valid.Average(c => Math.Log((counts[c] + 1) / total));
}

static IEnumerable<string> Words(string s) =>
    Regex.Matches(s, "[A-Za-z]+(?:'[A-Za-z]+)?").Select(m => m.Value.ToLowerInvariant());

static string Escape(string s) => s.Replace("\n", "\\n");
