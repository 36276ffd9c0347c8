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
// `stance train` does not know retraction records: [ReadDocs] reads a
// labels file with them resolved, and [WriteDocs] writes the labels in
// force as a plain training file.
//
// # Active learning
//
// See [Active] for the selection rule and why it was chosen, and
// [LearningCurve] for the simulation that measures it.
package label
