using GraphDL.Lessons;

var lesson = Lesson.Start("LinearFit", args, "to be written", slideSteps: 1);
return lesson.Finish();
