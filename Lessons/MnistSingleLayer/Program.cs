using GraphDL.Lessons;

var lesson = Lesson.Start("MnistSingleLayer", args, "to be written", slideSteps: 1);
return lesson.Finish();
