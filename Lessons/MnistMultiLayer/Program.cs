using GraphDL.Lessons;

var lesson = Lesson.Start("MnistMultiLayer", args, "to be written", slideSteps: 1);
return lesson.Finish();
