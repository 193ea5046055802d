using GraphDL.Lessons;

var lesson = Lesson.Start("SoftmaxWithLoss", args, "to be written", slideSteps: 1);
return lesson.Finish();
