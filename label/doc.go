// Package label is the logic of `stance label`: a labeling session over a
// pool of comments, with a naive Bayes model that learns from every label
// as it is given, strategies that pick the next comment to label (active
// learning, random, sequential), a running leave-one-out estimate of the
// model's accuracy, and an offline simulation of the whole loop that draws
// learning curves. It has no terminal code: the TUI in cmd/stance drives a
// [Session].
//
// # The labels file
//
// A session appends to one labels file, in the JSON Lines format that
// `stance train` reads, one record per line, synced to disk (fsync) before
// the label is acknowledged:
//
//	{"id":"c7","author":"Kai","text":"...","label":"state-control","labels":["state-control"],"stance":"against","timestamp":"2026-12-04T18:30:00Z"}
//
// Undo never rewrites the file: it appends a retraction record naming the
// comment, and the comment's earlier label no longer counts:
//
//	{"id":"c7","retract":true,"timestamp":"2026-12-04T18:30:09Z"}
//
// Opening a session replays the file: the labels in force are those given
// and not retracted since (a later label of the same comment replaces an
// earlier one), the model is rebuilt from them, and their comments are not
// offered again. A last line cut short by a crash (no final newline and not
// valid JSON) is dropped from the file and reported in [Session.Warnings];
// a bad line anywhere else is an error naming the line.
//
// `stance train` and `stance eval` read labels files with their
// retractions applied (training.DocReader); [WriteDocs] writes the labels in
// force as a plain training file.
//
// # Active learning
//
// See [Active] for the selection rule and why it was chosen, and
// [LearningCurve] for the simulation that measures it (`stance eval
// LABELED --test FILE --learning-curve 50,100,200,400,800 --select
// active|random`). On SemEval-2016 task 6A (2,814 training tweets, the
// target prefixed, 3 classes; 1,249 test tweets; --preset opinion),
// macro-F1, mean of 5 runs:
//
//	labels                 50    100    200    400    800
//	random, seeds 1-5    0.383  0.395  0.400  0.418  0.453
//	active, seeds 1-5    0.406  0.404  0.415  0.455  0.478
//	random, seeds 11-15  0.404  0.404  0.391  0.441  0.432
//	active, seeds 11-15  0.397  0.397  0.418  0.431  0.484
//
// The model trained on all 2,814 tweets scores 0.453. Active selection
// with 400 labels about matches random selection with 800 (0.455 against
// 0.453 on seeds 1-5, 0.431 against 0.432 on seeds 11-15) and passes it
// at 800. It labels fewer of the majority class and more of the minority
// class the model confuses most (of the first 400 picks, seeds 1 and 2:
// 42-45% AGAINST and 31-33% FAVOR, against 48% and 26% of the pool), so
// its model predicts the majority class less: higher macro-F1, lower
// accuracy (0.62 against 0.65 at 800). The standard deviations over the
// runs are 0.01 to 0.07, so a difference of 0.01 between two means is
// noise.
package label
