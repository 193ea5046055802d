using GraphDL.Lessons;

var lesson = Lesson.Start("AndOrXor", args, "to be written", slideSteps: 1);
return lesson.Finish();
