using GraphDL.Lessons;

var lesson = Lesson.Start("Derivatives", args, "to be written", slideSteps: 1);
return lesson.Finish();
