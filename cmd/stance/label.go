package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/label"
	"github.com/stance-dev/stance/training"
)

func init() { subcommands = append(subcommands, newLabelCmd) }

// labelOptions are the flags and inputs of `stance label`.
type labelOptions struct {
	commonOptions
	IO        *IOStreams
	Paths     []string
	Taxonomy  string
	Preset    string
	CueWeight float64
	Select    string
	Seed      uint64
	Export    string
	// Estimate is the number of latest labels of the leave-one-out estimate.
	Estimate int
	// Now and teaOptions are set by tests.
	Now        func() time.Time
	teaOptions []tea.ProgramOption
}

func newLabelCmd(ios *IOStreams) *cobra.Command { return newLabelCommand(ios, nil) }

// newLabelCommand builds `stance label`; runF, if set, replaces runLabel
// (for flag-parsing tests).
func newLabelCommand(ios *IOStreams, runF func(*labelOptions) error) *cobra.Command {
	o := &labelOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "label FILE... (--taxonomy T | --model M) -o LABELS",
		Short: "Label comments in the terminal, the model learning as you go (active learning)",
		Long: `label shows the comments of FILE one at a time, with the model's guess,
and records the argument you choose. The model learns from every label at
once (naive Bayes counts) and, with --select active, offers next the
comment it is least sure about.

The screen (80x24 is enough): the thread's title, the parent comment of a
reply, the comment with its author and the model's cue words highlighted,
the model's guess with its probability, the numbered arguments with the
labels given to each so far, the number labeled and a running
leave-one-out estimate of the model's accuracy on them (pessimistic with
--select active: the comments it offers are the hard ones).

Keys:
  1-9      choose the argument; when the taxonomy has several stances, a
           second key chooses the stance: 1-9 in the order of the taxonomy's
           stances, Enter for the argument's own stance, Esc to go back
  s        skip the comment (for this session only)
  u        undo the last label (the comment comes back)
  ↑ ↓      scroll a long comment
  ?        help
  q        quit (every label is already saved)

The labels file (-o, required) is appended to, never replaced: each label
is one JSON line in the format of 'stance train' (id, author, text, label,
labels, stance, timestamp), written and synced to disk the moment it is
given, so killing the program loses at most the label being typed. Undo
appends a retraction record {"id":...,"retract":true}. Running the same
command again resumes: the file is replayed, its labels train the model,
and labeled comments are not offered again. A last line cut short by a
crash is dropped and reported.

'stance train' and 'stance eval' read labels files directly, retractions
applied. --export FILE writes the labels in force as a clean training file
(atomically; no terminal UI).

The model starts from --model, or from --taxonomy with --preset options,
seeded with the taxonomy's cue phrases and descriptions (weight
--cue-weight), so its first guesses and picks are already useful.
--select: active (the comment with the smallest margin between its two
likeliest arguments, among a random sample of 1000, steering clear of
comments like the last ten labeled), random (in an order fixed by
--seed), sequential (input order).
Keys are read from the terminal (or from stdin when it is not one), so
the comments cannot come from stdin. At most 9 arguments.`,
		Example: `  stance label thread.txt --taxonomy mydebate.toml -o labels.jsonl
  stance label testdata/nyt-huawei-shared-values-2019-12-27.txt --taxonomy default -o seed.jsonl --select sequential
  stance label dump.jsonl.zst --model huawei.json.gz -o more.jsonl --select active
  stance label thread.txt --taxonomy mydebate.toml -o labels.jsonl --export train.jsonl
  stance train train.jsonl --taxonomy mydebate.toml -o mydebate.json.gz`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if err := o.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runLabel(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Output, "output", "o", "", "labels `FILE` to append to (created if missing; never replaced)")
	fl.StringVar(&o.Taxonomy, "taxonomy", "", "taxonomy `FILE` (TOML), or \"default\" for the built-in Huawei taxonomy")
	fl.StringVar(&o.Preset, "preset", "topic", "option set of the model: "+strings.Join(classify.PresetNames(), "|"))
	fl.Float64Var(&o.CueWeight, "cue-weight", training.DefaultCueWeight, "weight `W` of each cue-phrase and description pseudo-document (0: none)")
	fl.StringVar(&o.Select, "select", "active", "which comment comes next: "+strings.Join(label.Strategies, "|"))
	fl.Uint64Var(&o.Seed, "seed", 1, "seed `S` of --select random and of active's random choices")
	fl.StringVar(&o.Export, "export", "", "write the labels in force to `FILE` (atomically, without retractions, for 'stance train') and exit")
	fl.IntVar(&o.Estimate, "estimate", 200, "leave-one-out estimate over the last `N` labels (0: all)")
	o.addModel(cmd)
	fl.Lookup("model").Usage = "start from the model in `FILE` (.stm or .json, plain, .gz or .zst) and its taxonomy, instead of --taxonomy"
	o.addInput(cmd)
	return cmd
}

// check validates the flags (usage errors, exit 2).
func (o *labelOptions) check() error {
	switch {
	case o.Output == "" || o.Output == "-":
		return usagef("-o/--output is required: the labels file to append to")
	case o.Taxonomy == "" && o.Model == "":
		return usagef("--taxonomy or --model is required: they name the arguments")
	case o.Taxonomy != "" && o.Model != "":
		return usagef("--taxonomy and --model exclude each other (a model carries its taxonomy)")
	case !slices.Contains(label.Strategies, o.Select):
		return usagef("invalid --select %q: valid values are {%s}", o.Select, strings.Join(label.Strategies, "|"))
	case checkInputFormat(o.InputFormat) != nil:
		return checkInputFormat(o.InputFormat)
	case !(o.CueWeight >= 0):
		return usagef("invalid --cue-weight %g: want 0 or more", o.CueWeight)
	case o.Estimate < 0:
		return usagef("invalid --estimate %d: want 0 or more", o.Estimate)
	}
	if _, err := classify.Preset(o.Preset); err != nil {
		return usagef("invalid --preset: %v", err)
	}
	if o.Export == "" && slices.Contains(o.Paths, "-") {
		return usagef("the comments cannot come from stdin: stance label reads its keys there")
	}
	for _, p := range o.Paths {
		if samePath(p, o.Output) || (o.Export != "" && samePath(p, o.Export)) {
			return usagef("%s is an input: the labels file must be another file", p)
		}
	}
	return nil
}

// samePath reports whether a and b name the same file.
func samePath(a, b string) bool {
	if a == "-" || b == "-" || a == "" || b == "" {
		return false
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

// labelModel returns the starting model: --model's, or one seeded from
// --taxonomy's cue phrases.
func (o *labelOptions) labelModel() (*classify.Model, error) {
	if o.Model != "" {
		m, err := loadModel(o.Model)
		if err != nil {
			return nil, err
		}
		return m.Clone(), nil
	}
	var tax *classify.Taxonomy
	name := training.DefaultModelName
	if o.Taxonomy == "default" {
		tax = training.DefaultTaxonomy()
	} else {
		f, err := os.Open(o.Taxonomy)
		if err != nil {
			return nil, fmt.Errorf("open taxonomy: %w", err)
		}
		defer f.Close()
		if tax, err = training.ReadTaxonomy(o.Taxonomy, f); err != nil {
			return nil, err
		}
		name = baseName(o.Taxonomy)
	}
	opt, _ := classify.Preset(o.Preset)
	return label.SeedModel(name, tax, opt, o.CueWeight), nil
}

// readPool reads the comments of the inputs into the pool: bodies (empty
// ones dropped), parents linked, thread titles attached. An ID met again
// in a later input is qualified by that input's base name.
func readPool(ios *IOStreams, o *commonOptions, paths []string) ([]label.Item, error) {
	in := openInputs(ios, o, paths)
	defer in.Close()
	type key struct {
		file int
		id   string
	}
	var items []label.Item
	var parents []key
	var files []int
	index := map[key]int{}
	used := map[string]bool{}
	for {
		c, err := in.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		file := len(in.Names()) - 1
		id := c.ID
		if used[id] {
			id = baseName(in.Names()[file]) + ":" + c.ID
		}
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s:%s#%d", baseName(in.Names()[file]), c.ID, n)
		}
		body := strings.TrimSpace(c.Body())
		index[key{file, c.ID}] = -1
		if body == "" {
			continue
		}
		used[id] = true
		index[key{file, c.ID}] = len(items)
		items = append(items, label.Item{ID: id, Author: c.Author, Location: c.Location, Text: body, Parent: -1})
		parents = append(parents, key{file, c.ParentID})
		files = append(files, file)
	}
	threads := in.Threads()
	for i := range items {
		if p := parents[i]; p.id != "" {
			if j, ok := index[p]; ok {
				items[i].Parent = j
			}
		}
		if f := files[i]; f < len(threads) {
			items[i].Thread = threads[f].Title
		}
	}
	if len(items) == 0 {
		return nil, errors.New("no comments to label")
	}
	return items, nil
}

func runLabel(o *labelOptions) error {
	ios := o.IO
	if o.Export != "" {
		return exportLabels(o)
	}
	m, err := o.labelModel()
	if err != nil {
		return err
	}
	if m.Taxonomy != nil && len(m.Taxonomy.Arguments) > 9 {
		return usagef("the taxonomy has %d arguments: stance label handles at most 9 (keys 1-9)", len(m.Taxonomy.Arguments))
	}
	items, err := readPool(ios, &o.commonOptions, o.Paths)
	if err != nil {
		return err
	}
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.Text
	}
	strat, err := label.NewStrategy(o.Select, texts, o.Seed)
	if err != nil {
		return usageError{err}
	}
	s, err := label.Open(o.Output, items, label.Config{Model: m, Strategy: strat, Now: o.Now})
	if err != nil {
		return err
	}
	defer s.Close()
	for _, w := range s.Warnings() {
		fmt.Fprintf(ios.ErrOut, "stance: warning: %s\n", w)
	}
	ui := newLabelUI(s, o.Output, o.Estimate)
	opts := append([]tea.ProgramOption{tea.WithInput(ios.In), tea.WithOutput(terminalOut(ios)), tea.WithAltScreen()}, o.teaOptions...)
	final, err := tea.NewProgram(ui, opts...).Run()
	if err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	fu := final.(*labelUI)
	if err := s.Close(); err != nil {
		return err
	}
	if fu.err != nil {
		return fu.err
	}
	if !o.Quiet {
		fmt.Fprintln(ios.ErrOut, fu.summary())
	}
	return nil
}

// terminalOut returns where the UI draws: the terminal itself when stdout
// is one (bubbletea needs the file to learn its size and to clear what it
// overwrites; ios.Out may wrap it), else ios.Out.
func terminalOut(ios *IOStreams) io.Writer {
	if ios.OutTTY {
		return os.Stdout
	}
	return ios.Out
}

// exportLabels writes the labels in force of the labels file to --export.
func exportLabels(o *labelOptions) error {
	src, err := os.ReadFile(o.Output)
	if err != nil {
		return fmt.Errorf("read labels file: %w", err)
	}
	recs, warnings, err := label.ReadRecords(o.Output, src)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(o.IO.ErrOut, "stance: warning: %s\n", w)
	}
	out, err := openOutput(o.IO, o.Export, append(slices.Clone(o.Paths), o.Output))
	if err != nil {
		return err
	}
	if err := label.WriteDocs(out, recs); err != nil {
		out.Abort()
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if !o.Quiet {
		fmt.Fprintf(o.IO.ErrOut, "stance: wrote %d labels to %s\n", len(label.Resolve(recs)), o.Export)
	}
	return nil
}

// argChoice is one numbered argument on the screen.
type argChoice struct {
	id, name, stance string
}

// estimateMsg carries a leave-one-out estimate computed in the background.
type estimateMsg struct {
	gen int
	est label.Estimate
}

// labelUI is the bubbletea model of `stance label`.
type labelUI struct {
	s        *label.Session
	file     string
	args     []argChoice
	stances  []string
	estimate int

	cur     int // pool index on screen, -1 when done
	pred    classify.Prediction
	pending int // argument chosen, waiting for the stance; -1 when none
	help    bool
	scroll  int
	width   int
	height  int
	status  string
	err     error
	est     label.Estimate
	estGen  int
	busy    bool
	start   time.Time
	given   int // labels given in this session
	undone  int
	skipped int
}

func newLabelUI(s *label.Session, file string, estimate int) *labelUI {
	u := &labelUI{s: s, file: file, estimate: estimate, pending: -1, width: 80, height: 24, start: time.Now()}
	m := s.Model()
	if tax := m.Taxonomy; tax != nil {
		for _, a := range tax.Arguments {
			u.args = append(u.args, argChoice{a.ID, a.Name, a.Stance})
		}
		u.stances = tax.Stances
	} else {
		for _, c := range m.Classes() {
			u.args = append(u.args, argChoice{c, c, ""})
		}
	}
	if len(u.args) > 9 {
		u.args = u.args[:9]
	}
	u.advance()
	return u
}

// Init starts the first estimate.
func (u *labelUI) Init() tea.Cmd { return u.estimateCmd() }

// estimateCmd computes the leave-one-out estimate of the labels in force
// on a snapshot, off the UI goroutine.
func (u *labelUI) estimateCmd() tea.Cmd {
	if u.s.Labeled() == 0 {
		u.est = label.Estimate{}
		return nil
	}
	u.estGen++
	gen, f := u.estGen, u.s.EstimateLater(u.estimate)
	u.busy = true
	return func() tea.Msg { return estimateMsg{gen, f()} }
}

// advance shows the next comment.
func (u *labelUI) advance() {
	u.cur = u.s.Next()
	u.scroll = 0
	u.pending = -1
	if u.cur >= 0 {
		u.pred = u.s.Model().Predict(u.s.Items()[u.cur].Text)
	}
}

// Update handles keys, window sizes and estimates.
func (u *labelUI) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		u.width, u.height = msg.Width, msg.Height
	case estimateMsg:
		if msg.gen == u.estGen {
			u.est, u.busy = msg.est, false
		}
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && !msg.Paste {
			// Keys typed fast (or piped) arrive together: one at a time.
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				cmds = append(cmds, u.key(string(r)))
				if u.err != nil || u.status == statusQuit {
					break
				}
			}
			return u, tea.Batch(cmds...)
		}
		return u, u.key(msg.String())
	}
	return u, nil
}

// statusQuit is the status of a UI that is quitting.
const statusQuit = "saved; bye"

// key handles one key.
func (u *labelUI) key(k string) tea.Cmd {
	if u.help {
		switch k {
		case "q", "ctrl+c":
		default:
			u.help = false
			return nil
		}
	}
	switch k {
	case "q", "ctrl+c":
		u.status = statusQuit
		return tea.Quit
	case "?":
		u.help = true
		return nil
	case "esc":
		u.pending = -1
		u.status = ""
		return nil
	case "up", "k":
		u.scroll = max(0, u.scroll-1)
		return nil
	case "down", "j":
		u.scroll++
		return nil
	case "pgup":
		u.scroll = max(0, u.scroll-5)
		return nil
	case "pgdown", " ":
		u.scroll += 5
		return nil
	case "u":
		r, ok, err := u.s.Undo()
		if err != nil {
			u.err = err
			return tea.Quit
		}
		if !ok {
			u.status = "nothing to undo"
			return nil
		}
		u.undone++
		u.status = fmt.Sprintf("undid %s: %s", r.ID, u.argName(r.Label))
		u.advance()
		return u.estimateCmd()
	case "s":
		if u.cur < 0 {
			return nil
		}
		u.s.Skip(u.cur)
		u.skipped++
		u.status = "skipped " + u.s.Items()[u.cur].ID
		u.advance()
		return nil
	case "enter":
		if u.pending >= 0 {
			a := u.args[u.pending]
			if a.stance == "" {
				u.status = "this argument has no stance of its own: choose one with 1-" + fmt.Sprint(len(u.stances))
				return nil
			}
			return u.give(a, a.stance)
		}
		return nil
	}
	if len(k) == 1 && k[0] >= '1' && k[0] <= '9' {
		n := int(k[0] - '1')
		if u.cur < 0 {
			return nil
		}
		if u.pending >= 0 {
			if n >= len(u.stances) {
				return nil
			}
			return u.give(u.args[u.pending], u.stances[n])
		}
		if n >= len(u.args) {
			return nil
		}
		if len(u.stances) > 1 {
			u.pending = n
			u.status = ""
			return nil
		}
		st := u.args[n].stance
		if st == "" && len(u.stances) == 1 {
			st = u.stances[0]
		}
		return u.give(u.args[n], st)
	}
	return nil
}

// give labels the comment on screen and moves on.
func (u *labelUI) give(a argChoice, stance string) tea.Cmd {
	it := u.s.Items()[u.cur]
	if err := u.s.Label(u.cur, []string{a.id}, stance); err != nil {
		u.err = err
		return tea.Quit
	}
	u.given++
	guess := ""
	if u.pred.Label != a.id {
		guess = fmt.Sprintf(" (model said %s)", u.argName(u.pred.Label))
	}
	u.status = fmt.Sprintf("saved %s: %s, %s%s", it.ID, a.name, orDash(stance), guess)
	u.advance()
	return u.estimateCmd()
}

func (u *labelUI) argName(id string) string {
	for _, a := range u.args {
		if a.id == id {
			return a.name
		}
	}
	return id
}

func orDash(s string) string {
	if s == "" {
		return "no stance"
	}
	return s
}

// summary is the line printed when the session ends.
func (u *labelUI) summary() string {
	d := time.Since(u.start).Round(time.Second)
	per := ""
	if u.given > 0 {
		per = fmt.Sprintf(", %.1f s per label", time.Since(u.start).Seconds()/float64(u.given))
	}
	return fmt.Sprintf("stance: %d labels given in %s%s (%d undone, %d skipped); %d in force in %s",
		u.given, d, per, u.undone, u.skipped, u.s.Labeled(), u.file)
}

var (
	styleHead  = lipgloss.NewStyle().Bold(true)
	styleDim   = lipgloss.NewStyle().Faint(true)
	styleCue   = lipgloss.NewStyle().Bold(true).Underline(true).Foreground(lipgloss.Color("3"))
	styleGuess = lipgloss.NewStyle().Foreground(lipgloss.Color("6"))
	styleKey   = lipgloss.NewStyle().Bold(true)
	styleErr   = lipgloss.NewStyle().Foreground(lipgloss.Color("1"))
)

// View draws the screen within the terminal's size (80x24 at least).
func (u *labelUI) View() string {
	w, h := max(u.width, 40), max(u.height, 12)
	var top []string
	est := "LOO acc —"
	if e := u.est; e.Documents > 0 {
		est = fmt.Sprintf("LOO acc %.0f%% of %d", 100*e.Accuracy(), e.Documents)
		if u.busy {
			est += " …"
		}
	}
	head := fmt.Sprintf("%d labeled · %d left · %s · %s", u.s.Labeled(), u.s.Remaining(), u.s.Strategy().Name(), est)
	name := fit(filepath.Base(u.file), max(8, w-lipgloss.Width(head)-3))
	top = append(top, styleHead.Render(fit(name+" · "+head, w)))
	if u.help {
		return strings.Join(append(top, u.helpLines(w, h-1)...), "\n")
	}
	// The bottom: guess, arguments, keys, status.
	var bottom []string
	if u.cur >= 0 {
		g := fmt.Sprintf("Guess: %s %.0f%%", u.argName(u.pred.Label), 100*u.pred.P)
		if st := u.stanceOf(u.pred.Label); st != "" {
			g = fmt.Sprintf("Guess: %s (%s) %.0f%%", u.argName(u.pred.Label), st, 100*u.pred.P)
		}
		if cues := cueWords(u.pred); len(cues) > 0 {
			g += " · cues: " + strings.Join(cues, ", ")
		}
		bottom = append(bottom, styleGuess.Render(fit(g, w)))
	}
	bottom = append(bottom, u.argLines(w)...)
	bottom = append(bottom, u.keyLine(w))
	status := fit(u.status, w)
	if u.err != nil {
		status = styleErr.Render(fit("error: "+u.err.Error(), w))
	}
	bottom = append(bottom, status)
	// The middle: thread, parent, author, text.
	room := h - len(top) - len(bottom)
	var mid []string
	if u.cur < 0 {
		mid = append(mid, "", styleHead.Render("All comments are labeled or skipped."), "Press u to undo the last label, q to quit.")
	} else {
		it := u.s.Items()[u.cur]
		if it.Thread != "" {
			mid = append(mid, styleDim.Render(fit("Thread: "+it.Thread, w)))
		}
		if it.Parent >= 0 {
			p := u.s.Items()[it.Parent]
			lines := wrapWords("↳ reply to "+who(p)+": "+p.Text, w-2, nil)
			if len(lines) > 2 {
				lines = lines[:2]
				lines[1] = fit(lines[1]+" …", w-2)
			}
			for _, l := range lines {
				mid = append(mid, styleDim.Render("  "+l))
			}
		}
		mid = append(mid, styleHead.Render(fit(who(it)+" · "+it.ID, w)))
		text := wrapWords(it.Text, w, cueSet(u.pred))
		avail := room - len(mid) - 1
		if avail < 1 {
			avail = 1
		}
		if len(text) > avail {
			u.scroll = min(u.scroll, len(text)-avail+1)
			from := u.scroll
			end := min(len(text), from+avail-1)
			shown := text[from:end]
			mid = append(mid, shown...)
			mid = append(mid, styleDim.Render(fmt.Sprintf("  ↑↓ %d-%d of %d lines", from+1, end, len(text))))
		} else {
			u.scroll = 0
			mid = append(mid, text...)
		}
	}
	for len(mid) < room {
		mid = append(mid, "")
	}
	if len(mid) > room {
		mid = mid[:max(room, 0)]
	}
	return strings.Join(slices.Concat(top, mid, bottom), "\n")
}

func (u *labelUI) stanceOf(id string) string {
	for _, a := range u.args {
		if a.id == id {
			return a.stance
		}
	}
	return ""
}

// argLines lists the arguments in two columns with their counts.
func (u *labelUI) argLines(w int) []string {
	counts := u.s.Counts()
	rows := (len(u.args) + 1) / 2
	col := w / 2
	cell := func(i int) string {
		a := u.args[i]
		mark := " "
		if i == u.pending {
			mark = "▶"
		}
		st := ""
		if a.stance != "" {
			st = " " + a.stance
		}
		num := fmt.Sprintf("%4d", counts[a.id])
		name := fit(a.name+st, col-len(num)-5)
		pad := col - 3 - lipgloss.Width(name) - len(num) - 1
		return mark + styleKey.Render(fmt.Sprint(i+1)) + " " + name + strings.Repeat(" ", max(pad, 1)) + num
	}
	var out []string
	for r := range rows {
		line := cell(r)
		if j := r + rows; j < len(u.args) {
			line += " " + cell(j)
		}
		out = append(out, line)
	}
	return out
}

// keyLine is the line of keys, or the stance prompt.
func (u *labelUI) keyLine(w int) string {
	if u.pending >= 0 {
		a := u.args[u.pending]
		var parts []string
		for i, s := range u.stances {
			parts = append(parts, fmt.Sprintf("%d %s", i+1, s))
		}
		def := ""
		if a.stance != "" {
			def = " · Enter " + a.stance
		}
		return styleKey.Render(fit("Stance of "+a.name+"? "+strings.Join(parts, " · ")+def+" · Esc back", w))
	}
	return styleDim.Render(fit(fmt.Sprintf("1-%d argument · s skip · u undo · ↑↓ scroll · ? help · q save and quit", len(u.args)), w))
}

func (u *labelUI) helpLines(w, h int) []string {
	lines := []string{
		"",
		"Keys",
		fmt.Sprintf("  1-%d     choose the argument of the comment", len(u.args)),
	}
	if len(u.stances) > 1 {
		lines = append(lines,
			"  then    1-"+fmt.Sprint(len(u.stances))+" its stance ("+strings.Join(u.stances, ", ")+"),",
			"          Enter the argument's own stance, Esc back")
	}
	lines = append(lines,
		"  s       skip the comment for this session",
		"  u       undo the last label: it is retracted and comes back",
		"  ↑ ↓     scroll a long comment",
		"  ?       this help (any key closes it)",
		"  q       quit: every label is already on disk",
		"",
		"Each label is appended to "+filepath.Base(u.file)+" and synced at once;",
		"run the same command again to resume where you stopped.",
		"The model learns from each label; --select "+u.s.Strategy().Name()+" picks the next comment.",
		"LOO accuracy: leave-one-out on the last labels; with active selection the",
		"comments shown are the hard ones, so it underestimates the model.",
	)
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return lines
}

func who(it label.Item) string {
	a := it.Author
	if a == "" {
		a = "(anonymous)"
	}
	if it.Location != "" {
		a += " (" + it.Location + ")"
	}
	return a
}

// cueWords returns the prediction's cue tokens as shown to the user.
func cueWords(p classify.Prediction) []string {
	var out []string
	for _, c := range p.Cues {
		out = append(out, c.Token)
	}
	return out
}

// cueSet returns the words of the prediction's cues ("not_" dropped,
// bigrams split), lower-cased, for highlighting.
func cueSet(p classify.Prediction) map[string]bool {
	set := map[string]bool{}
	for _, c := range p.Cues {
		for _, w := range strings.Fields(c.Token) {
			w = strings.TrimPrefix(w, "not_")
			if w != "" {
				set[w] = true
			}
		}
	}
	return set
}

// wrapWords wraps text to width w, paragraphs kept, highlighting the words
// whose lower-case letters and digits are in cues.
func wrapWords(text string, w int, cues map[string]bool) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			if len(lines) > 0 && lines[len(lines)-1] != "" {
				lines = append(lines, "")
			}
			continue
		}
		var cur strings.Builder
		n := 0
		for _, word := range words {
			for lipgloss.Width(word) > w {
				// a word longer than the line is cut
				r := []rune(word)
				k := min(len(r), w)
				for k > 1 && lipgloss.Width(string(r[:k])) > w {
					k--
				}
				if n > 0 {
					lines = append(lines, cur.String())
					cur.Reset()
					n = 0
				}
				lines = append(lines, string(r[:k]))
				word = string(r[k:])
			}
			ww := lipgloss.Width(word)
			if ww == 0 {
				continue
			}
			if n > 0 && n+1+ww > w {
				lines = append(lines, cur.String())
				cur.Reset()
				n = 0
			}
			if n > 0 {
				cur.WriteByte(' ')
				n++
			}
			if cues[normWord(word)] {
				cur.WriteString(styleCue.Render(word))
			} else {
				cur.WriteString(word)
			}
			n += ww
		}
		if n > 0 {
			lines = append(lines, cur.String())
		}
	}
	return lines
}

// normWord lower-cases a word and trims what is not a letter or digit at
// its ends, as the tokenizer sees it.
func normWord(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

// fit cuts s to at most w columns, marking a cut with "…".
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	r = r[:min(len(r), w)]
	for len(r) > 0 && lipgloss.Width(string(r))+1 > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
