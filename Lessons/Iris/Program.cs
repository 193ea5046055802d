using GraphDL.Lessons;

var lesson = Lesson.Start("Iris", args, "to be written", slideSteps: 1);
return lesson.Finish();
