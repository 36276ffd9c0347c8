// Package report turns scored comments into stance tables and renders them.
//
// Computation is separate from rendering. An [Aggregator] counts scored
// comments as they stream, in one pass, with memory that does not grow
// with their number (see its doc for the exceptions), and gives the
// [Table]; stance table feeds it from the scoring pipeline's writer.
// [Build] is an Aggregator fed once: it takes the scorer's
// []classify.Result, a [Model] (see [ModelOf]), an [Input] and
// [Options], and returns a [Table], a neutral structure of caption facts,
// column specifications, rows of cells (each with display text and a typed
// value), an optional totals footer and notes. A [Renderer] from
// [NewRenderer] writes a Table as a terminal table, markdown, CSV, JSON or a
// self-contained HTML page; a new format is one more renderer.
//
// The same renderers write the reports of the commands about models: a
// [Document] is several tables written as one output, built by
// [EvalDocument] and [CurveDocument] (stance eval), [ModelDocument]
// (stance model show) and [TrainingDocument] (stance train), and written by
// [RenderDocument]. Every terminal table of stance, the comments table of
// package comments included, is drawn with the one tablewriter setup of
// internal/textable.
//
// # Tables
//
//   - argument (default): one row per argument of the taxonomy, including
//     those no comment made, sorted by count (descending) then taxonomy order.
//     Columns: stance; count, split into top-level and replies; share of all
//     comments with its 95% interval; mean VADER compound and the counts of
//     negative, neutral and positive comments; mean classifier probability;
//     the three most distinctive cue words of the argument in the model
//     (log-odds). A totals footer.
//   - stance: one row per stance of the taxonomy (in taxonomy order): counts,
//     share with its interval, sentiment, and the three leading arguments.
//   - exchange: who answers whom. Rows are the argument of the comment replied
//     to, columns the stance of the reply, cells count replies. Rebuttals are
//     replies whose stance opposes their parent's ("for" against "against",
//     either way); the rebuttal rate is rebuttals / replies, per row and in
//     total, with its interval. Replies whose parent is not in the input are
//     left out and counted in a note.
//   - thread: one row per thread (Comment.ThreadID: articleID, link_id,
//     ...), sorted by count: comments, the leading argument with its share
//     of the thread, the share of each stance, and the mean sentiment.
//   - comments: one row per comment in input order: number, author,
//     location, the author replied to, sentiment label and compound,
//     argument, its probability and stance, and the deciding words.
//
// A model without a taxonomy has its classes as arguments and no stances:
// the stance column is omitted, and the stance and exchange tables are an
// error. A label the taxonomy lacks gets a row of its own, so no comment is
// ever dropped.
//
// # Weighting and intervals
//
// Plain counts count each comment once and use the Wilson score interval
// ([Wilson]). Options.Weight "recommendations" counts each comment as its
// recommendations + 1. Options.PerAuthor counts each author at most once per
// row (per cell in the exchange table): an author's comments in one row share
// one unit, worth the mean of their weights. Comments without an author are
// never merged. Under a weighting the interval is the 2.5 and 97.5
// percentiles of a seeded bootstrap over comments (Options.Bootstrap
// resamples, DefaultBootstrap by default), with the weighting re-applied in
// each resample; the generator is SplitMix64, so the same seed gives the same
// intervals on every platform and Go version. A zero share still gets an
// upper bound: the Wilson bound for zero on the effective (Kish) sample size.
// The caption states the weighting and the interval method.
//
// # Formats
//
//   - table: tablewriter v1; the caption (input and comment count, model name
//     and hash, weighting) above, numbers right-aligned, headers as written,
//     notes below. Widths count East Asian ambiguous characters as narrow, so
//     the output does not depend on the locale.
//
//   - markdown: caption paragraph, a table with "|" escaped, totals as a last
//     bold row, notes.
//
//   - csv: encoding/csv; a header row of column keys, then one record per
//     row; no caption and no footer. The first column, "model", carries the
//     model ID (name@hash12) on every record. An interval column KEY becomes
//     KEY_low and KEY_high; lists are joined with "|", as in the records
//     of stance score -f csv.
//
//   - json: one document, described below.
//
//   - html: a self-contained page (inline CSS, no scripts) with the caption,
//     the table and the notes.
//
// # JSON schema
//
// The json format writes one indented document, schema "stance.table/v1"
// ([SchemaVersion]), with keys in this order:
//
//	{
//	  "schema": "stance.table/v2",
//	  "table": "argument",              // argument|stance|exchange|thread|comments
//	  "title": "Arguments",
//	  "input": {"files": ["t.txt"], "thread": "...", "threads": 3,
//	            "comments": 50, "foreign": 0.04, "skipped": 0},
//	  "model": {"name": "...", "hash": "<hex>", "id": "name@<12 hex>"},
//	  "weighting": {"weight": "none", "per_author": false, "total": 50,
//	                "interval": "wilson", "bootstrap": 2000, "seed": 1,
//	                "all_weights_one": true},
//	  "estimate": {"method": "bayes", "adjusted": true, "draws": 1000,
//	               "unclear_threshold": 0.45, "unclear": 2, "note": "..."},
//	  "columns": [{"key": "share_ci", "header": "95% CI", "type": "interval",
//	               "align": "right", "data_only": true}, ...],
//	  "rows": [{"<key>": value, ...}, ...],  // keys in column order
//	  "totals": {...} | null,                // same keys; null without footer
//	  "notes": ["..."]
//	}
//
// Column types: "text" (string), "number" (at most 4 decimals, null when
// undefined), "interval" ({"low": x, "high": y}, proportions in [0, 1], or
// null), "list" (array of strings). Shares and rates are proportions, not
// percentages. Columns marked data_only are not shown by the text formats
// (ids and the like). "thread" is omitted when unknown, "threads" when the
// comments carry no thread key, "foreign" when the model has no held-out
// statistics; "bootstrap" and "seed" are omitted with Wilson intervals;
// "all_weights_one" appears only under the recommendations weighting of
// comments without any recommendation count; "estimate" only in the
// argument and stance tables. Weighted counts may be fractional under
// per-author weighting with recommendations.
//
// In the argument and stance tables each row has "count" (as labeled),
// "share_labeled" (count over the placed comments), "share" (the
// estimate) and "share_ci" (its 95% interval); the row with id "unclear"
// counts the comments below the model's threshold and has no share.
// Version 1 had no "estimate", no "share_labeled" and no unclear row: its
// "share" was the labeled share.
//
// # Estimated shares
//
// A classifier's labels are not facts: the share of comments labeled A is
// a biased estimate of the share that argue A, and its Wilson interval
// ignores the classifier's errors. A model trained by stance keeps what
// cross-validation learnt about them (classify.Heldout: the held-out
// confusion counts and an abstain threshold). The argument and stance
// tables then
//
//   - put comments whose top probability is below the threshold in an
//     Unclear row, and estimate the shares of the others (the placed ones);
//   - estimate the shares with Options.Estimate (package quantify): bayes,
//     the default, samples the posterior of the shares given the label
//     counts and the held-out confusion (a seeded Gibbs sampler: the same
//     seed gives the same table), and its 95% credible interval accounts
//     for the sample and for the classifier's errors; acc is the adjusted
//     count with a parametric bootstrap; cc keeps the shares as labeled
//     with their Wilson (or bootstrap) intervals. The stance table folds
//     the confusion matrix over the arguments of each stance.
//   - Under --weight or --per-author, the estimate works on the weighted
//     counts, with the effective sample size (Σw)²/Σw² (Kish) in place of
//     the number of comments, so that the intervals are as wide as the
//     weighting's loss of information says.
//
// A model without held-out statistics (a version 1 file) gets cc, and the
// caption says why. When the comments look foreign to the model (most of
// them have more unknown words than 90% of its held-out comments), the
// caption and stderr warn that its labels are unreliable.
package report
