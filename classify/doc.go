// Package classify turns text into labels: a tokenizer, multinomial naive
// Bayes with its variants, VADER sentiment (in the vader subpackage), the
// Model with its taxonomy and file encoding, and the Scorer that combines
// them. It does no file-system I/O.
//
// # Naive Bayes
//
// A [Model] has classes given at run time (the taxonomy's argument ids, or
// any labels), one shared vocabulary, and raw counts only. Scoring derives,
// for class c and term t,
//
//	log θ_tc = log(N_tc + α) − log(N_c + α|V|)      (Lidstone smoothing)
//	log P(c) = log(D_c / Σ D)                         (document counts)
//	score_c(d) = log P(c) + Σ_t f_t(d) log θ_tc
//
// and the posteriors by a softmax over the scores, so that no document,
// however long, underflows. Options switch to complement NB, TF-IDF
// weighting, binarized counts, bigrams, negation marking and stopwords;
// [Preset] names tested combinations. [Model.Learn] and [Model.Unlearn]
// add and remove documents, [Model.Merge] adds a model trained elsewhere:
// the result does not depend on the order of training.
//
// A [Prediction] carries the label, its probability, the runner-up, the
// margin, and the tokens that decided: those with the largest
// f_t(d)·(log θ_t,label − log θ_t,runner-up).
//
// # Tokens
//
// Naive Bayes and VADER tokenize separately. VADER must see case (ALL-CAPS
// emphasis), punctuation (! and ?, "but" clauses, emoticons) and split
// words exactly as vaderSentiment does to reproduce it; naive Bayes wants
// case-folded words without URLs, mentions or HTML. See [Tokenizer].
//
// # Speed
//
// The tokenizer reads ASCII words 8 bytes at a time (lower-casing and
// finding the word's end with word-wide arithmetic) and hashes each token
// once; training and scoring find term ids through an open-addressing
// index keyed by that hash and the token's first 8 bytes, so a short token
// is found without a string comparison or a map. Scoring keeps the
// weights term-major, all classes of a term side by side. None of this
// changes a token, a count or the order of any floating-point sum.
//
// # Model files
//
// [Model.Encode] writes versioned, deterministic JSON with a content hash;
// [DecodeModel] reads it, plain or gzipped, and checks format, version and
// hash. Writing files atomically is the caller's business.
package classify
