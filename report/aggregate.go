package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/stance-dev/stance/classify"
)

// Aggregator builds a table in one pass over scored comments, as they
// stream: feed it every batch of results in input order with [Aggregator.Add],
// then ask for the [Aggregator.Table]. Its memory does not grow with the
// number of comments, except for:
//
//   - the comments table, which holds its rows (see [Aggregator.Stream] to
//     hand them on as they come instead);
//   - the exchange table's memory of parent IDs (their argument, stance and
//     author), bounded like the reader's linker: the latest [parentMemory]
//     IDs at least, twice that at most. A reply to a parent it has
//     forgotten, or whose parent never comes, is counted as an orphan.
//     A reply that comes before its parent waits for it, in a pool of the
//     same bound;
//   - the thread table, one row per thread;
//   - Options.PerAuthor, one entry per author and row;
//   - under a weighting, one entry per distinct (row, weight) pair, for the
//     bootstrap.
//
// An Aggregator is not safe for concurrent use: the pipeline's writer feeds
// it from one goroutine ([batch.Options.Sink]).
type Aggregator struct {
	opt       Options
	model     Model
	args      []argDef
	argIndex  map[string]int
	stances   []string
	stIndex   map[string]int
	hasStance bool
	argStance []int // stance index of the first comment of each argument without a taxonomy stance; -1 none yet

	unclear  agg // comments below the model's abstain threshold
	foreign  foreignCount
	post     []float64   // Σ w·posterior over the placed comments, per model class (pcc, pacc)
	items    [][]float64 // each placed comment's posterior (sld)
	itemW    []float64   // and its weight
	n        int         // comments added
	anyRecs  bool        // some comment has a recommendation count
	threadID map[string]struct{}

	arg  *cellSet // argument cells (argument and stance tables)
	st   *cellSet // stance cells
	ex   *cellSet // exchange cells: (parent's argument, reply's stance)
	exID map[[2]int]int
	exOf [][2]int // exchange cell -> (argument, stance)

	parents *idMemory[parentRef]
	pending *idMemory[[]pendingReply]
	orphans int
	replies int // replies seen (exchange)
	threads *threadSet
	rows    [][]Cell           // comments table
	stream  func([]Cell) error // comments table rows handed on
	rowErr  error
}

type argDef struct{ id, name, stance string }

// parentRef is what the exchange and comments tables remember of a comment
// that may be replied to.
type parentRef struct {
	arg    int
	author string
}

// pendingReply is a reply whose parent has not come yet.
type pendingReply struct {
	stance int
	author string
	base   float64
}

// NewAggregator returns an Aggregator of the table opt.By for comments
// scored by model.
func NewAggregator(model Model, opt Options) (*Aggregator, error) {
	opt, err := opt.normalize()
	if err != nil {
		return nil, err
	}
	a := &Aggregator{opt: opt, model: model, argIndex: map[string]int{}, stIndex: map[string]int{}, threadID: map[string]struct{}{}}
	if tax := model.Taxonomy; tax != nil {
		for _, s := range tax.Stances {
			a.addStance(s)
		}
		for _, d := range tax.Arguments {
			if _, dup := a.argIndex[d.ID]; dup {
				continue
			}
			name := d.Name
			if name == "" {
				name = d.ID
			}
			a.addArg(argDef{d.ID, name, d.Stance})
			if d.Stance != "" {
				a.addStance(d.Stance)
			}
		}
		a.hasStance = len(a.stances) > 0
	} else {
		for _, c := range model.Classes {
			if _, dup := a.argIndex[c]; !dup {
				a.addArg(argDef{c, c, ""})
			}
		}
	}
	switch opt.By {
	case ByStance, ByExchange:
		if !a.hasStance {
			return nil, fmt.Errorf("report: the %s table needs a model with a taxonomy of stances; model %s has none", opt.By, model.Name)
		}
	}
	perAuthor := opt.PerAuthor
	a.arg = newCellSet(perAuthor, opt.weighted())
	a.st = newCellSet(perAuthor, opt.weighted())
	a.ex = newCellSet(perAuthor, opt.weighted())
	a.exID = map[[2]int]int{}
	a.parents = newIDMemory[parentRef](parentMemory)
	a.pending = newIDMemory[[]pendingReply](parentMemory)
	a.threads = &threadSet{index: map[string]int{}}
	return a, nil
}

func (a *Aggregator) addArg(d argDef) int {
	a.argIndex[d.id] = len(a.args)
	a.args = append(a.args, d)
	a.argStance = append(a.argStance, -1)
	return len(a.args) - 1
}

func (a *Aggregator) addStance(s string) int {
	if i, ok := a.stIndex[s]; ok {
		return i
	}
	a.stIndex[s] = len(a.stances)
	a.stances = append(a.stances, s)
	return len(a.stances) - 1
}

// Stream makes the comments table hand each row to fn as it is made,
// instead of holding it: the Table then has no rows. Set it before the
// first Add. The first error of fn is returned by Add.
func (a *Aggregator) Stream(fn func(row []Cell) error) { a.stream = fn }

// Add counts a batch of scored comments, which must come in input order.
// Every result must carry its Comment. Add does not keep rs.
func (a *Aggregator) Add(rs []classify.Result) error {
	for i := range rs {
		if err := a.add(&rs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (a *Aggregator) add(r *classify.Result) error {
	c := r.Comment
	if c == nil {
		return fmt.Errorf("report: result %d has no comment", a.n+1)
	}
	a.n++
	k, ok := a.argIndex[r.Argument.Label]
	if !ok {
		name := r.Argument.Name
		if name == "" {
			name = r.Argument.Label
		}
		k = a.addArg(argDef{r.Argument.Label, name, r.Stance})
	}
	s := -1
	if a.hasStance {
		st := r.Stance
		if st == "" {
			st = a.args[k].stance
		}
		if st == "" {
			st = "none"
		}
		s = a.addStance(st)
		if a.argStance[k] < 0 {
			a.argStance[k] = s
		}
	}
	if c.Recommendations > 0 {
		a.anyRecs = true
	}
	base := 1.0
	if a.opt.Weight == WeightRecommendations {
		base = float64(max(c.Recommendations, 0) + 1)
	}
	author := ""
	if a.opt.PerAuthor {
		author = strings.TrimSpace(c.Author)
	}
	if c.ThreadID != "" {
		a.threadID[c.ThreadID] = struct{}{}
	}
	obs := observation{base: base, author: author, compound: r.Sentiment.Compound, p: r.Argument.P,
		reply: c.Depth > 0 || c.ParentID != "", label: label(r.Sentiment)}
	measured, foreign := a.foreign.add(a.model, a.n, c, r.OOV)
	if (a.opt.By == ByArgument || a.opt.By == ByStance) && a.isUnclear(r.Argument.P) {
		a.unclear.add(obs, base)
		return nil
	}
	if (a.opt.By == ByArgument || a.opt.By == ByStance) && NeedsPosteriors(a.opt.Estimate) {
		a.addPosterior(r.Argument.Posterior, base)
	}
	switch a.opt.By {
	case ByArgument:
		a.arg.add(k, obs)
	case ByStance:
		a.arg.add(k, obs) // for the leading arguments
		a.st.add(s, obs)
	case ByExchange:
		a.exchange(threadKey(c.ThreadID, c.ID), threadKey(c.ThreadID, c.ParentID), k, s, author, base)
	case ByThread:
		a.threads.add(c.ThreadID, k, s, base, r.Sentiment.Compound, a.isUnclear(r.Argument.P), measured, foreign)
	case ByComments:
		return a.comment(r, k, s, base)
	}
	return nil
}

// addPosterior keeps what the posterior estimators need of a placed
// comment's posterior: the weighted sums, and for sld the vector itself.
func (a *Aggregator) addPosterior(post []float64, w float64) {
	if len(post) != len(a.model.Classes) {
		return
	}
	if a.post == nil {
		a.post = make([]float64, len(post))
	}
	for c, p := range post {
		a.post[c] += w * p
	}
	if a.opt.Estimate == "sld" {
		a.items = append(a.items, post)
		a.itemW = append(a.itemW, w)
	}
}

// exchange counts a comment in the exchange table: as a reply to its
// parent, and as a parent for the replies that wait for it.
// id and parent are thread keys ([threadKey]): a reply's parent is looked
// for in its own thread only.
func (a *Aggregator) exchange(id, parent string, k, s int, author string, base float64) {
	if parent != "" {
		a.replies++
		if p, ok := a.parents.get(parent); ok {
			a.ex.add(a.exCell(p.arg, s), observation{base: base, author: author})
		} else {
			w, _ := a.pending.get(parent)
			if evicted := a.pending.put(parent, append(w, pendingReply{s, author, base})); evicted > 0 {
				a.orphans += evicted
			}
		}
	}
	if id == "" {
		return
	}
	if _, dup := a.parents.get(id); dup {
		return // the first comment with an ID is the parent
	}
	a.parents.put(id, parentRef{arg: k})
	if w, ok := a.pending.get(id); ok {
		for _, r := range w {
			a.ex.add(a.exCell(k, r.stance), observation{base: r.base, author: r.author})
		}
		a.pending.drop(id)
	}
}

func (a *Aggregator) exCell(arg, stance int) int {
	key := [2]int{arg, stance}
	if i, ok := a.exID[key]; ok {
		return i
	}
	a.exID[key] = len(a.exOf)
	a.exOf = append(a.exOf, key)
	return len(a.exOf) - 1
}

// threadKey is a comment ID within its thread: IDs are looked up per
// thread, so that a parent ID never reaches into another thread. It is ""
// for an empty ID.
func threadKey(thread, id string) string {
	if id == "" {
		return ""
	}
	return thread + "\x00" + id
}

// parentMemory bounds the IDs the exchange and comments tables remember,
// per generation (see [idMemory]).
const parentMemory = 1 << 16

// idMemory remembers values by comment ID in two generations: when the
// newer holds max entries, it becomes the older and the older is dropped.
// So it remembers the latest max IDs at least, 2*max at most.
type idMemory[T any] struct {
	max        int
	newer, old map[string]T
	// count, if set, tells how many items an evicted value held (for
	// pending replies, counted as orphans).
	count func(T) int
}

func newIDMemory[T any](max int) *idMemory[T] {
	return &idMemory[T]{max: max, newer: map[string]T{}, old: map[string]T{}}
}

func (m *idMemory[T]) get(id string) (T, bool) {
	if v, ok := m.newer[id]; ok {
		return v, true
	}
	v, ok := m.old[id]
	return v, ok
}

// put stores v under id, and returns the number of items evicted (by
// count; 0 without count).
func (m *idMemory[T]) put(id string, v T) int {
	if _, ok := m.newer[id]; ok {
		m.newer[id] = v
		return 0
	}
	delete(m.old, id)
	evicted := 0
	if len(m.newer) >= m.max {
		if m.count != nil {
			for _, o := range m.old {
				evicted += m.count(o)
			}
		}
		m.old, m.newer = m.newer, m.old
		clear(m.newer)
	}
	m.newer[id] = v
	return evicted
}

func (m *idMemory[T]) drop(id string) {
	delete(m.newer, id)
	delete(m.old, id)
}

// each calls fn on every value remembered.
func (m *idMemory[T]) each(fn func(T)) {
	for _, v := range m.old {
		fn(v)
	}
	for _, v := range m.newer {
		fn(v)
	}
}

// comment makes the comments table's row of one comment.
func (a *Aggregator) comment(r *classify.Result, k, s int, base float64) error {
	c := r.Comment
	to := c.ReplyTo
	if to == "" && c.ParentID != "" {
		if p, ok := a.parents.get(threadKey(c.ThreadID, c.ParentID)); ok {
			to = p.author
		}
	}
	if id := threadKey(c.ThreadID, c.ID); id != "" {
		if _, dup := a.parents.get(id); !dup {
			a.parents.put(id, parentRef{arg: k, author: c.Author})
		}
	}
	argName := a.args[k].name
	if r.Argument.Abstained {
		argName += " (abstained)"
	}
	row := []Cell{
		{Text: fmt.Sprint(a.n), Value: float64(a.n)},
		textCell(c.ID), textCell(c.Author), textCell(c.Location), textCell(c.ParentID), textCell(to),
		textCell(label(r.Sentiment)), numCell(r.Sentiment.Compound, "%+.3f"),
		textCell(r.Argument.Label), textCell(argName), numCell(r.Argument.P, "%.2f"),
	}
	if a.hasStance {
		row = append(row, textCell(a.stances[s]))
	}
	if a.opt.Weight == WeightRecommendations {
		row = append(row, numCell(base, "%.2f"))
	}
	var cues []string
	for _, q := range r.Argument.Cues {
		cues = append(cues, q.Token)
	}
	cell := listCell(cues, ", ")
	if len(cues) > 3 {
		cell.Text = strings.Join(cues[:3], ", ")
	}
	row = append(row, cell)
	if a.stream != nil {
		return a.stream(row)
	}
	a.rows = append(a.rows, row)
	return nil
}

// Table returns the table of the comments added so far. in describes what
// was read; Input.Threads, when 0, is the number of distinct thread keys
// seen.
func (a *Aggregator) Table(in Input) (*Table, error) {
	t := &Table{Kind: a.opt.By}
	if a.pending.count == nil {
		a.pending.each(func(w []pendingReply) { a.orphans += len(w) })
		a.pending = newIDMemory[[]pendingReply](parentMemory)
	}
	switch a.opt.By {
	case ByArgument:
		a.argumentTable(t)
	case ByStance:
		a.stanceTable(t)
	case ByExchange:
		a.exchangeTable(t)
	case ByThread:
		a.threadTable(t)
	case ByComments:
		a.commentsTable(t)
	}
	threads := in.Threads
	if threads == 0 {
		threads = len(a.threadID)
	}
	t.Caption = Caption{
		Foreign:  a.Foreign(),
		Estimate: t.Caption.Estimate,
		Inputs:   slices.Clone(in.Names),
		Thread:   in.Thread,
		Threads:  threads,
		Comments: a.n,
		Skipped:  in.Skipped,
		Model:    a.model.ref(),
		Weighting: Weighting{
			Weight:    a.opt.Weight,
			PerAuthor: a.opt.PerAuthor,
			Total:     t.total,
			Interval:  IntervalWilson,
			AllOne:    a.opt.Weight == WeightRecommendations && !a.anyRecs,
		},
	}
	if a.opt.weighted() {
		t.Caption.Weighting.Interval = IntervalBootstrap
		t.Caption.Weighting.Bootstrap = a.opt.Bootstrap
		t.Caption.Weighting.Seed = a.opt.Seed
	}
	return t, nil
}

// AllWeightsOne reports whether --weight recommendations is in force on
// comments none of which has a recommendation count, so that every weight
// is 1.
func (a *Aggregator) AllWeightsOne() bool {
	return a.opt.Weight == WeightRecommendations && !a.anyRecs && a.n > 0
}

// Build computes the table chosen by opt.By from scored results, in input
// order; each must carry its Comment. It is an [Aggregator] fed once.
// Build never drops a result: a label missing from the model's taxonomy
// gets a row of its own after the taxonomy's arguments.
func Build(results []classify.Result, model Model, in Input, opt Options) (*Table, error) {
	a, err := NewAggregator(model, opt)
	if err != nil {
		return nil, err
	}
	if err := a.Add(results); err != nil {
		return nil, err
	}
	return a.Table(in)
}

// countKey turns a weighted count into an integer for ordering, so that
// float rounding from summation order never reorders ties.
func countKey(x float64) int64 { return int64(math.Round(x * 1e6)) }

// countHeader names the count column after the weighting.
func (a *Aggregator) countHeader() string {
	switch {
	case a.opt.Weight == WeightRecommendations:
		return "Weight"
	case a.opt.PerAuthor:
		return "Authors"
	}
	return "Comments"
}

// label returns a VADER label, from the compound when the scorer left it empty.
func label(s classify.Sentiment) string {
	if s.Label != "" {
		return s.Label
	}
	switch {
	case s.Compound >= 0.05:
		return "positive"
	case s.Compound <= -0.05:
		return "negative"
	}
	return "neutral"
}

func share(x, total float64) float64 {
	if !(total > 0) {
		return math.NaN()
	}
	return x / total
}

// sortedArgs orders argument indices by count descending, then taxonomy order.
func (a *Aggregator) sortedArgs(count func(k int) float64) []int {
	order := make([]int, len(a.args))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if c := cmp.Compare(countKey(count(y)), countKey(count(x))); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	return order
}

// stanceOfArg is the stance of argument k: the taxonomy's, else that of its
// first comment.
func (a *Aggregator) stanceOfArg(k int) string {
	if s := a.args[k].stance; s != "" {
		return s
	}
	if k < len(a.argStance) && a.argStance[k] >= 0 {
		return a.stances[a.argStance[k]]
	}
	return ""
}

// opposes reports whether stances a and b are for and against, in either order.
func opposes(a, b string) bool {
	return (a == "for" && b == "against") || (a == "against" && b == "for")
}

// keyOf makes a stance into a snake_case key fragment.
func keyOf(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
