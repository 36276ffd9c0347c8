// Package batch is the concurrent scoring pipeline behind `stance score`, and
// the encoders of its scored records.
//
// # Pipeline
//
// [RunBatches] joins three stages by bounded channels of batches:
//
//   - one reader goroutine takes batches of comments, in input order, from a
//     [Batches] source and numbers them;
//   - N workers (GOMAXPROCS by default) score every comment of a batch with
//     a [Scorer] and encode the batch into a byte buffer with an [Encoder];
//   - one writer puts the batches back in sequence order, writes their bytes
//     and hands their results to [Options.Sink] (stance table aggregates
//     there), from one goroutine.
//
// A fixed pool of batches circulates between the stages, so memory stays flat
// whatever the input size, and the output is byte-identical for any number of
// workers. The first error (from the source, the writer or the sink) stops
// the run. Cancelling the context stops the reader; the comments already
// read are scored and written before the run returns the context's error.
//
// Input enters in one way, a [Batches]. [Group] makes one of a per-comment
// [Source] (the comments readers). When decoding the input costs as much as
// scoring it (JSON Lines), one reader goroutine would be the bottleneck:
// [DecodeChunks] makes a Batches of raw chunks of whole records instead
// ([LineChunks] cuts them), which its own goroutines decode in parallel;
// each decoded chunk is then put in input order and its comments numbered
// and linked ([Chunked.Order]) by the caller of the Batches. For JSON Lines,
// comments.OpenJSONLChunks and comments.JSONLChunkDecoder provide Decode
// and Order, with the same comments, IDs, links and errors as
// comments.Open. [Run] is RunBatches over a Source.
//
// # Record schema
//
// The jsonl encoder ([NewEncoder], implemented in internal/record) writes one JSON object per comment and per line, keys always present
// and always in this order:
//
//	{"id":"c1","author":"Kai","location":"Oatey","parent":"",
//	 "sentiment":{"compound":0.4404,"pos":0.2,"neu":0.8,"neg":0,"label":"positive"},
//	 "argument":{"label":"security","name":"Security risk","p":0.91,
//	             "runner_up":"values","margin":0.85,"cues":["spy","china"]},
//	 "stance":"against","model":"huawei@0123456789ab",
//	 "extra":{"articleID":"123","recommendations":4}}
//
// (shown wrapped; each record is one line). The fields are:
//
//   - id, author, location: the comment's ID, author display name and
//     declared location ("" when unknown);
//   - parent: the ID of the comment this one answers, "" for a top-level one;
//   - sentiment: VADER's compound score in [-1, 1], the pos/neu/neg
//     proportions, and the label "positive" (compound >= 0.05), "negative"
//     (<= -0.05) or "neutral";
//   - argument: the argument id chosen (label), its human name, its posterior
//     probability p, the runner-up argument id, the margin p minus the
//     runner-up's probability, and cues, the tokens that pushed hardest toward
//     the label;
//   - stance: the argument's stance from the model's taxonomy ("" without one);
//   - model: the identity of the model that scored the record, "name@hash";
//   - extra: the input's fields that stance does not use, keys sorted, values
//     as read ({} when there are none);
//   - text: the comment's body as written, only with the text option of [NewEncoder].
//
// Numbers of the scores are rounded to 4 decimals and written without
// trailing zeros (0.5, not 0.5000), so the output is deterministic. Strings
// are escaped as encoding/json escapes them; invalid UTF-8 becomes U+FFFD.
//
// The csv encoder flattens the same record into columns named by dotted paths, one header
// line first:
//
//	id,author,location,parent,sentiment.compound,sentiment.pos,sentiment.neu,
//	sentiment.neg,sentiment.label,argument.label,argument.name,argument.p,
//	argument.runner_up,argument.margin,argument.cues,stance,model,extra[,text]
//
// where argument.cues is the cue tokens joined by "|" (a bigram cue holds a
// space) and extra is the JSON object above, written as one CSV field.
package batch
