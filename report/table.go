package report

import (
	"fmt"
	"math"
	"strings"
)

// Table is a computed stance table, independent of any output format: the
// caption facts, the column specifications, the rows, an optional totals
// footer and free-text notes. Renderers turn it into bytes.
type Table struct {
	// Kind is the table's kind: "argument", "stance", "exchange" or "comments".
	Kind string
	// Title is the human title, for example "Arguments".
	Title string
	// Caption holds the facts every output states: input, model, weighting.
	Caption Caption
	// Columns describes each column, in order.
	Columns []Column
	// Rows holds one cell per column for every row.
	Rows [][]Cell
	// Footer is the totals row, one cell per column; nil when the table has none.
	Footer []Cell
	// Notes are sentences printed under the table that explain it.
	Notes []string
	// NoCaption marks a table that is not a stance table (the reports of
	// eval, train and model show): no caption is printed above it, and
	// markdown and HTML head it with its Title instead. Caption.Model still
	// names the model in CSV.
	NoCaption bool
	// Headless tables are lists of facts, each named by its row's first
	// cell: the terminal table draws no header row. The other formats
	// still name the columns.
	Headless bool

	total float64 // the caption's Weighting.Total
}

// Caption is what a table says about where its numbers come from.
type Caption struct {
	// Inputs are the input names as given ("-" for standard input).
	Inputs []string
	// Thread is the article title, when the input declares one.
	Thread string
	// Threads is the number of threads the comments come from, when the
	// input has thread keys (0 otherwise).
	Threads int
	// Comments is the number of comments scored.
	Comments int
	// Skipped is the number of bad records skipped (--skip-bad).
	Skipped int
	// Model identifies the model that labelled the comments.
	Model ModelRef
	// Weighting says how comments are counted and how intervals are computed.
	Weighting Weighting
	// Estimate says how the shares were estimated; nil for tables without
	// shares of arguments or stances.
	Estimate *Estimation
	// Foreign says how unlike the model's training data the comments look.
	Foreign Foreignness
}

// ModelRef identifies a model by name and content hash.
type ModelRef struct {
	Name string
	Hash string
	// ID is Name + "@" + the first 12 hex digits of Hash.
	ID string
}

// Weighting describes how the table counts comments.
type Weighting struct {
	// Weight is "none" or "recommendations".
	Weight string
	// PerAuthor is true when each author counts at most once per row.
	PerAuthor bool
	// Total is the sum of weights over all comments (the denominator of shares
	// in the argument and stance tables).
	Total float64
	// Interval is "wilson" or "bootstrap".
	Interval string
	// Bootstrap is the number of bootstrap resamples; 0 with Wilson intervals.
	Bootstrap int
	// Seed seeds the bootstrap.
	Seed int64
	// AllOne is true under the recommendations weighting when no comment
	// has a recommendation count, so that every weight is 1.
	AllOne bool
}

// Describe returns the weighting in words, for captions.
func (w Weighting) Describe() string {
	var s string
	switch {
	case w.Weight == WeightRecommendations && w.PerAuthor:
		s = "recommendations + 1 per comment, each author once per row (mean weight)"
	case w.Weight == WeightRecommendations:
		s = "recommendations + 1 per comment"
	case w.PerAuthor:
		s = "per author (each author once per row)"
	default:
		s = "none (each comment counts 1)"
	}
	if w.Weight == WeightRecommendations && w.AllOne {
		s += "; no comment has a recommendation count, so every weight is 1"
	}
	return s
}

// DescribeInterval returns the interval method in words, for captions.
func (w Weighting) DescribeInterval() string {
	if w.Interval == IntervalBootstrap {
		return fmt.Sprintf("95%% intervals: bootstrap, %d resamples of comments, seed %d", w.Bootstrap, w.Seed)
	}
	return "95% intervals: Wilson score"
}

// Lines returns the caption as human-readable lines, as the terminal,
// markdown and HTML renderers print it.
func (c Caption) Lines(title string) []string {
	in := strings.Join(c.Inputs, ", ")
	if in == "" {
		in = "-"
	}
	first := fmt.Sprintf("%s: %s, %d comments", title, in, c.Comments)
	if c.Skipped > 0 {
		first += fmt.Sprintf(" (%d bad records skipped)", c.Skipped)
	}
	if c.Thread != "" {
		first += fmt.Sprintf(" (%q)", c.Thread)
	}
	if c.Threads > 1 {
		first += fmt.Sprintf(", pooled from %d threads", c.Threads)
	}
	second := fmt.Sprintf("Model %s. Weighting: %s. %s.", c.Model.ID, c.Weighting.Describe(), c.Weighting.DescribeInterval())
	if c.Estimate != nil && c.Estimate.Adjusted {
		// The estimate's line says where the intervals come from.
		second = fmt.Sprintf("Model %s. Weighting: %s.", c.Model.ID, c.Weighting.Describe())
	}
	lines := []string{first, second}
	if c.Estimate != nil {
		lines = append(lines, c.Estimate.Describe())
	}
	if c.Foreign.Warn {
		lines = append(lines, c.Foreign.Describe(c.Model.Name))
	}
	return lines
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// Align is a column's horizontal alignment.
type Align int

const (
	// AlignLeft aligns text to the left; used for words.
	AlignLeft Align = iota
	// AlignRight aligns text to the right; used for numbers.
	AlignRight
)

// Kind is the type of a column's values, which machine formats rely on.
type Kind int

const (
	// KindText columns hold a string Value.
	KindText Kind = iota
	// KindNumber columns hold a float64 Value (NaN when undefined).
	KindNumber
	// KindInterval columns hold an Interval Value.
	KindInterval
	// KindList columns hold a []string Value.
	KindList
)

// Column describes one column of a Table.
type Column struct {
	// Key is the stable machine name (CSV header, JSON key), snake_case.
	Key string
	// Header is the human header, printed as is.
	Header string
	// Align is the alignment in text renderers.
	Align Align
	// Kind is the type of the cells' Value.
	Kind Kind
	// DataOnly columns appear only in machine formats (CSV, JSON).
	DataOnly bool
}

// Cell is one value of a Table: its text as humans read it, and its typed
// value for machine formats.
type Cell struct {
	// Text is what text renderers print.
	Text string
	// Value is a string, float64, Interval or []string, matching the column's
	// Kind; nil means empty.
	Value any
}

// Interval is a 95% confidence interval of a proportion.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Valid reports whether the interval is defined.
func (iv Interval) Valid() bool { return !math.IsNaN(iv.Low) && !math.IsNaN(iv.High) }

// undefined is the interval of a proportion with a zero denominator.
var undefined = Interval{math.NaN(), math.NaN()}

const dash = "—"

func textCell(s string) Cell { return Cell{Text: s, Value: s} }

func listCell(l []string, sep string) Cell {
	if l == nil {
		l = []string{}
	}
	return Cell{Text: strings.Join(l, sep), Value: l}
}

// countCell formats a (possibly weighted) count: an integer when whole, else
// one decimal.
func countCell(x float64) Cell {
	return Cell{Text: formatCount(x), Value: x}
}

func formatCount(x float64) string {
	x = stable(x)
	if r := math.Round(x); math.Abs(x-r) < 1e-9 {
		return fmt.Sprintf("%d", int64(r))
	}
	return fmt.Sprintf("%.1f", x)
}

func numCell(x float64, format string) Cell {
	if math.IsNaN(x) {
		return Cell{Text: dash, Value: x}
	}
	return Cell{Text: fmt.Sprintf(format, stable(x)), Value: x}
}

// stable rounds away the last bits that depend on summation order, so that
// the text of a number does not change when the input is permuted.
func stable(x float64) float64 { return math.Round(x*1e9) / 1e9 }

func shareCell(x float64) Cell {
	if math.IsNaN(x) {
		return Cell{Text: dash, Value: x}
	}
	return Cell{Text: fmt.Sprintf("%.1f%%", stable(100*x)), Value: x}
}

func intervalCell(iv Interval) Cell {
	if !iv.Valid() {
		return Cell{Text: dash, Value: iv}
	}
	return Cell{Text: fmt.Sprintf("%.1f–%.1f%%", stable(100*iv.Low), stable(100*iv.High)), Value: iv}
}

func emptyCell() Cell { return Cell{} }
