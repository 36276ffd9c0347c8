package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stance-dev/stance/classify"
)

// This file makes an [Aggregator] a mergeable, serializable accumulator,
// for engines that count parts of the input on different machines (the
// Beam module's combiners): each part is counted by its own Aggregator,
// made by [NewAggregator] with the same model and options; a part's state
// travels as [Aggregator.MarshalState] and is added to another with
// [Aggregator.MergeState] or [Aggregator.Merge]. The counts merge exactly
// (sums of counts and weights); sums of sentiment and probabilities merge
// up to the last bits, which the tables round away.
//
// What depends on the order of the input is kept only where merging can
// keep it: the thread table's order of first appearance (for ties) is
// set again by [Aggregator.OrderThreads]; labels missing from the model's
// taxonomy get their rows in merge order. The exchange table's join of
// replies to parents is done by the engine (by ID, within a thread): count
// the comments with [Aggregator.AddUnjoined], each joined reply with
// [Aggregator.AddExchange] and the replies without a parent with
// [Aggregator.AddOrphans]. The comments table cannot be merged, nor yet the
// estimates from posteriors (pcc, pacc, sld).

// ErrNotMergeable is returned when merging the comments table, whose rows
// follow the input order.
var ErrNotMergeable = errors.New("report: the comments table cannot be merged (its rows follow the input order)")

// Merge adds the counts of b to a. Both must have been made by
// [NewAggregator] with the same model and options, and b must not be used
// afterwards.
func (a *Aggregator) Merge(b *Aggregator) error {
	if a == b {
		return errors.New("report: cannot merge an aggregator with itself")
	}
	st, err := b.state()
	if err != nil {
		return err
	}
	return a.mergeState(st)
}

// MarshalState returns the state of a (its counts so far) as JSON, for
// [Aggregator.MergeState] on another machine. The model and options are not
// part of it: the receiver has them.
func (a *Aggregator) MarshalState() ([]byte, error) {
	st, err := a.state()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("report: marshal state: %w", err)
	}
	return b, nil
}

// MergeState adds a state written by [Aggregator.MarshalState] of an
// Aggregator with the same model and options to a.
func (a *Aggregator) MergeState(data []byte) error {
	var st aggState
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("report: read state: %w", err)
	}
	return a.mergeState(&st)
}

// AddUnjoined counts a batch of scored comments like [Aggregator.Add],
// except that the exchange table does not join replies to parents: the
// replies are counted, and the caller joins them ([Aggregator.AddExchange],
// [Aggregator.AddOrphans]).
func (a *Aggregator) AddUnjoined(rs []classify.Result) error {
	for i := range rs {
		if err := a.AddUnjoinedAt(&rs[i], a.n+1); err != nil {
			return err
		}
	}
	return nil
}

// AddUnjoinedAt is [Aggregator.AddUnjoined] for one comment whose
// sequence number in the whole input (1-based, among the comments
// counted) is seq: what depends on it (which comments are measured for
// foreignness, see [Foreignness]) is then what one pass would do, however
// the input was split.
func (a *Aggregator) AddUnjoinedAt(r *classify.Result, seq int) error {
	if r.Comment == nil {
		return fmt.Errorf("report: result %d has no comment", seq)
	}
	x := *r
	if a.opt.By == ByExchange {
		c := *r.Comment
		if c.ParentID != "" {
			a.replies++
		}
		c.ID, c.ParentID = "", "" // counted, not joined
		x.Comment = &c
	}
	n := a.n
	a.n = seq - 1
	err := a.add(&x)
	a.n = n + 1
	return err
}

// AddExchange counts one reply joined to its parent in the exchange table:
// the cell of the parent's argument and the reply's stance, with the
// reply's weight. Both results must carry their Comment. The reply itself
// is counted by [Aggregator.AddUnjoined].
func (a *Aggregator) AddExchange(parent, reply *classify.Result) error {
	if a.opt.By != ByExchange {
		return nil
	}
	if parent.Comment == nil || reply.Comment == nil {
		return errors.New("report: exchange without its comments")
	}
	k := a.argOf(parent)
	s := a.stanceOf(reply, a.argOf(reply))
	author := ""
	if a.opt.PerAuthor {
		author = strings.TrimSpace(reply.Comment.Author)
	}
	base := 1.0
	if a.opt.Weight == WeightRecommendations {
		base = float64(max(reply.Comment.Recommendations, 0) + 1)
	}
	a.ex.add(a.exCell(k, s), observation{base: base, author: author})
	return nil
}

// AddOrphans counts n replies whose parent is not in the input.
func (a *Aggregator) AddOrphans(n int) { a.orphans += n }

// OrderThreads puts the thread table's threads in the order of ids (their
// first appearance in the input), which breaks ties of counts; threads not
// in ids follow in their present order.
func (a *Aggregator) OrderThreads(ids []string) {
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, ok := pos[id]; !ok {
			pos[id] = i
		}
	}
	rank := func(id string) int {
		if p, ok := pos[id]; ok {
			return p
		}
		return len(ids)
	}
	slices.SortStableFunc(a.threads.rows, func(x, y threadRow) int { return rank(x.id) - rank(y.id) })
	for i, r := range a.threads.rows {
		a.threads.index[r.id] = i
	}
}

// argOf returns the argument index of r's label, adding it when the model
// lacks it (as add does).
func (a *Aggregator) argOf(r *classify.Result) int {
	if k, ok := a.argIndex[r.Argument.Label]; ok {
		return k
	}
	name := r.Argument.Name
	if name == "" {
		name = r.Argument.Label
	}
	return a.addArg(argDef{r.Argument.Label, name, r.Stance})
}

// stanceOf returns the stance index of r, whose argument is k (as add
// does); -1 without stances.
func (a *Aggregator) stanceOf(r *classify.Result, k int) int {
	if !a.hasStance {
		return -1
	}
	st := r.Stance
	if st == "" {
		st = a.args[k].stance
	}
	if st == "" {
		st = "none"
	}
	return a.addStance(st)
}

// aggState is the JSON form of an Aggregator's counts.
type aggState struct {
	By        string        `json:"by"`
	Unclear   aggJSON       `json:"unclear"`
	Measured  int           `json:"measured,omitempty"`
	Foreign   int           `json:"foreign,omitempty"`
	Args      []argState    `json:"args"`
	Stances   []string      `json:"stances"`
	ArgStance []int         `json:"arg_stance"`
	N         int           `json:"n"`
	AnyRecs   bool          `json:"any_recs,omitempty"`
	ThreadIDs []string      `json:"thread_ids,omitempty"`
	Arg       cellState     `json:"arg"`
	St        cellState     `json:"st"`
	Ex        cellState     `json:"ex"`
	ExOf      [][2]int      `json:"ex_of,omitempty"`
	Orphans   int           `json:"orphans,omitempty"`
	Replies   int           `json:"replies,omitempty"`
	Threads   []threadState `json:"threads,omitempty"`
}

type argState struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Stance string `json:"stance,omitempty"`
}

type aggJSON struct {
	Count, Top, Replies float64
	Compound, P         float64
	Neg, Neu, Pos       float64
	Sq                  float64
}

type pairState struct {
	Cell   int     `json:"cell"`
	Author string  `json:"author"`
	N      float64 `json:"n"`
	Sum    aggJSON `json:"sum"`
}

type groupState struct {
	Cell int     `json:"cell"`
	Base float64 `json:"base"`
	N    float64 `json:"n"`
}

type cellState struct {
	Plain  []aggJSON    `json:"plain,omitempty"`
	Pairs  []pairState  `json:"pairs,omitempty"`
	Groups []groupState `json:"groups,omitempty"`
	N      float64      `json:"n,omitempty"`
}

type threadState struct {
	ID       string    `json:"id"`
	Count    float64   `json:"count"`
	Compound float64   `json:"compound"`
	Args     []float64 `json:"args,omitempty"`
	Stances  []float64 `json:"stances,omitempty"`
	Unclear  float64   `json:"unclear,omitempty"`
	Measured int       `json:"measured,omitempty"`
	Foreign  int       `json:"foreign,omitempty"`
}

func toJSON(g agg) aggJSON {
	return aggJSON{g.count, g.top, g.replies, g.compound, g.p, g.neg, g.neu, g.pos, g.sq}
}

func fromJSON(g aggJSON) agg {
	return agg{count: g.Count, top: g.Top, replies: g.Replies, compound: g.Compound, p: g.P,
		neg: g.Neg, neu: g.Neu, pos: g.Pos, sq: g.Sq}
}

func (c *cellSet) state() cellState {
	st := cellState{N: c.n}
	for _, g := range c.plain {
		st.Plain = append(st.Plain, toJSON(g))
	}
	for k, p := range c.pairs {
		st.Pairs = append(st.Pairs, pairState{k.cell, k.author, p.n, toJSON(p.sum)})
	}
	slices.SortFunc(st.Pairs, func(x, y pairState) int {
		if x.Cell != y.Cell {
			return x.Cell - y.Cell
		}
		return strings.Compare(x.Author, y.Author)
	})
	for k, n := range c.groups {
		st.Groups = append(st.Groups, groupState{k.cell, k.base, n})
	}
	slices.SortFunc(st.Groups, func(x, y groupState) int {
		if x.Cell != y.Cell {
			return x.Cell - y.Cell
		}
		switch {
		case x.Base < y.Base:
			return -1
		case x.Base > y.Base:
			return 1
		}
		return 0
	})
	return st
}

// merge adds st to c, its cells renumbered by cell.
func (c *cellSet) merge(st cellState, cell func(int) int) {
	c.n += st.N
	for i, g := range st.Plain {
		j := cell(i)
		c.grow(j)
		b := fromJSON(g)
		c.plain[j].merge(&b, 1)
	}
	for _, p := range st.Pairs {
		j := cell(p.Cell)
		c.grow(j)
		k := pairKey{j, p.Author}
		q := c.pairs[k]
		if q == nil {
			if c.pairs == nil {
				c.pairs = map[pairKey]*pair{}
			}
			q = &pair{}
			c.pairs[k] = q
		}
		q.n += p.N
		b := fromJSON(p.Sum)
		q.sum.merge(&b, 1)
	}
	for _, g := range st.Groups {
		j := cell(g.Cell)
		c.grow(j)
		if c.groups == nil {
			c.groups = map[groupKey]float64{}
		}
		c.groups[groupKey{j, g.Base}] += g.N
	}
}

// mergeable reports why a cannot be merged: the comments table, and the
// estimates from each comment's posterior (their sums are not in the
// state yet).
func (a *Aggregator) mergeable() error {
	if a.opt.By == ByComments {
		return ErrNotMergeable
	}
	if NeedsPosteriors(a.opt.Estimate) {
		return fmt.Errorf("report: the %s estimate keeps the comments' posteriors, which do not merge yet: %w", a.opt.Estimate, errors.ErrUnsupported)
	}
	return nil
}

// state returns a's counts.
func (a *Aggregator) state() (*aggState, error) {
	if err := a.mergeable(); err != nil {
		return nil, err
	}
	st := &aggState{By: a.opt.By, Stances: slices.Clone(a.stances), ArgStance: slices.Clone(a.argStance),
		Unclear: toJSON(a.unclear), Measured: a.foreign.measured, Foreign: a.foreign.foreign,
		N: a.n, AnyRecs: a.anyRecs, Arg: a.arg.state(), St: a.st.state(), Ex: a.ex.state(),
		ExOf: slices.Clone(a.exOf), Orphans: a.orphans, Replies: a.replies}
	if st.Stances == nil {
		st.Stances = []string{}
	}
	for _, d := range a.args {
		st.Args = append(st.Args, argState{d.id, d.name, d.stance})
	}
	for id := range a.threadID {
		st.ThreadIDs = append(st.ThreadIDs, id)
	}
	slices.Sort(st.ThreadIDs)
	// Replies still waiting for their parent are orphans of this part.
	a.pending.each(func(w []pendingReply) { st.Orphans += len(w) })
	for _, r := range a.threads.rows {
		st.Threads = append(st.Threads, threadState{r.id, r.count, r.compound, slices.Clone(r.args), slices.Clone(r.stances),
			r.unclear, r.measured, r.foreign})
	}
	return st, nil
}

// mergeState adds st to a.
func (a *Aggregator) mergeState(st *aggState) error {
	if err := a.mergeable(); err != nil {
		return err
	}
	if st.By != a.opt.By {
		return fmt.Errorf("report: cannot merge a %s table into a %s table", st.By, a.opt.By)
	}
	argMap := make([]int, len(st.Args))
	for i, d := range st.Args {
		k, ok := a.argIndex[d.ID]
		if !ok {
			k = a.addArg(argDef{d.ID, d.Name, d.Stance})
		}
		argMap[i] = k
	}
	stMap := make([]int, len(st.Stances))
	for i, s := range st.Stances {
		stMap[i] = a.addStance(s)
	}
	for i, s := range st.ArgStance {
		if s >= 0 && i < len(argMap) && s < len(stMap) && a.argStance[argMap[i]] < 0 {
			a.argStance[argMap[i]] = stMap[s]
		}
	}
	a.n += st.N
	un := fromJSON(st.Unclear)
	a.unclear.merge(&un, 1)
	a.foreign.measured += st.Measured
	a.foreign.foreign += st.Foreign
	a.anyRecs = a.anyRecs || st.AnyRecs
	for _, id := range st.ThreadIDs {
		a.threadID[id] = struct{}{}
	}
	mapArg := func(i int) int { return argMap[i] }
	mapSt := func(i int) int { return stMap[i] }
	a.arg.merge(st.Arg, mapArg)
	a.st.merge(st.St, mapSt)
	a.ex.merge(st.Ex, func(i int) int {
		p := st.ExOf[i]
		return a.exCell(argMap[p[0]], stMap[p[1]])
	})
	a.orphans += st.Orphans
	a.replies += st.Replies
	for _, r := range st.Threads {
		i, ok := a.threads.index[r.ID]
		if !ok {
			i = len(a.threads.rows)
			a.threads.index[r.ID] = i
			a.threads.rows = append(a.threads.rows, threadRow{id: r.ID})
		}
		t := &a.threads.rows[i]
		t.count += r.Count
		t.compound += r.Compound
		t.unclear += r.Unclear
		t.measured += r.Measured
		t.foreign += r.Foreign
		for k, x := range r.Args {
			j := argMap[k]
			for len(t.args) <= j {
				t.args = append(t.args, 0)
			}
			t.args[j] += x
		}
		for k, x := range r.Stances {
			j := stMap[k]
			for len(t.stances) <= j {
				t.stances = append(t.stances, 0)
			}
			t.stances[j] += x
		}
	}
	return nil
}
