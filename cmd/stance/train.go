package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
	"github.com/stance-dev/stance/report"
	"github.com/stance-dev/stance/training"
)

func init() { subcommands = append(subcommands, newTrainCmd) }

// modelFlags are the model options shared by `stance train` and
// `stance eval`.
type modelFlags struct {
	Taxonomy        string
	AddLabels       bool
	Preset          string
	Alpha           string
	Complement      bool
	TFIDF           bool
	Binary          bool
	Bigrams         bool
	Negation        bool
	Stopwords       bool
	Structure       bool
	Tags            bool
	PerTarget       bool
	Refine          bool
	CharGrams       int
	FlatPrior       float64
	Interpolation   float64
	Abstain         float64
	CueWeight       float64
	SecondaryWeight float64
	Name            string
	Seed            uint64
	Calibrate       bool
	// changed tells which flags the user set.
	changed func(name string) bool
	// stderr is where the choice of --preset auto is told, unless quiet;
	// with errTTY (stderr is a terminal) its progress too, on one line.
	stderr func() io.Writer
	quiet  func() bool
	errTTY bool
	// told guards the search's reports, which come from the training's
	// goroutine; after mute (the command interrupted) there are none.
	told  sync.Mutex
	muted bool
}

// tell writes a report of the search to stderr, unless muted.
func (f *modelFlags) tell(format string, a ...any) {
	f.told.Lock()
	defer f.told.Unlock()
	if !f.muted {
		fmt.Fprintf(f.stderr(), format, a...)
	}
}

// mute stops the search's reports: an interrupted command returns while
// its training goes on until the process exits.
func (f *modelFlags) mute() {
	f.told.Lock()
	f.muted = true
	f.told.Unlock()
}

// optionFlags are the flags that set classifier options: giving one of
// them (without --preset auto) turns the default --preset auto off.
var optionFlags = []string{"alpha", "complement", "tfidf", "binary", "bigrams", "negation", "stopwords",
	"structure", "tags", "per-target", "refine", "char-grams", "flat-prior", "interpolation"}

func (f *modelFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.Taxonomy, "taxonomy", "", "taxonomy `FILE` (TOML), or \"default\" for the built-in Huawei taxonomy; without it the classes are the labels found")
	fl.BoolVar(&f.AddLabels, "add-labels", false, "with --taxonomy, add labels missing from it as new arguments instead of failing")
	fl.StringVar(&f.Preset, "preset", "auto", "option set: auto|"+strings.Join(classify.PresetNames(), "|")+" (auto, the default without option flags, picks the options by inner cross-validation; the flags below override a named preset, whose base is default when only flags are given)")
	fl.StringVar(&f.Alpha, "alpha", "", "Lidstone smoothing `A` (> 0), or \"auto\" to pick it by inner cross-validation; default: the preset's")
	fl.BoolVar(&f.Complement, "complement", false, "complement naive Bayes (Rennie et al. 2003)")
	fl.BoolVar(&f.TFIDF, "tfidf", false, "TF-IDF with length normalisation (Rennie et al. 2003)")
	fl.BoolVar(&f.Binary, "binary", false, "count each token once per document (Wang & Manning 2012)")
	fl.BoolVar(&f.Bigrams, "bigrams", false, "add word bigrams")
	fl.BoolVar(&f.Negation, "negation", false, "mark tokens after a negation word with not_")
	fl.BoolVar(&f.Stopwords, "stopwords", false, "drop stopwords")
	fl.BoolVar(&f.Structure, "structure", false, "add length and structure tokens (#len, #question, #exclaim, #quote, #link, #mention, #caps)")
	fl.BoolVar(&f.Tags, "tags", false, "keep @mentions as tokens (@name; without it they are dropped) and add a token for each #hashtag (#tag)")
	fl.BoolVar(&f.PerTarget, "per-target", false, "read each text's target from its prefix (\"Atheism: ...\") and count every token also conjoined with it (\"atheism|god\"): one model learns what holds for every target and what holds for one")
	fl.BoolVar(&f.Refine, "refine", false, "after counting, fit the weights discriminatively: NBSVM, a linear SVM per class over the features (1 + ln of each count; 1 with --binary) scaled by the naive Bayes log-count ratios (Wang & Manning 2012)")
	fl.IntVar(&f.CharGrams, "char-grams", 0, "add the character n-grams of every word, of lengths 3 to `N` (3-6; 0: none)")
	fl.Float64Var(&f.FlatPrior, "flat-prior", 0, "flatten the class prior: log P(c) times 1-`F` (0 keeps it, 1 uniform, 2 inverted)")
	fl.Float64Var(&f.Interpolation, "interpolation", 0, "mix each class's term distribution with the pooled one, weight `B` in (0,1) for the class (0: off)")
	fl.Float64Var(&f.Abstain, "abstain", 0, "fall back to the taxonomy's fallback class below probability `P` (0: never)")
	fl.Float64Var(&f.CueWeight, "cue-weight", training.DefaultCueWeight, "weight `W` of each cue-phrase and description pseudo-document (with --taxonomy; 0: none)")
	fl.Float64Var(&f.SecondaryWeight, "secondary-weight", training.DefaultSecondaryWeight, "weight `W` of a document's second and later labels (0: ignore them)")
	fl.StringVar(&f.Name, "name", "", "model `NAME` (part of its ID name@hash); default: the taxonomy file's or labeled file's base name")
	fl.Uint64Var(&f.Seed, "seed", 1, "seed `S` of the cross-validation folds")
	fl.BoolVar(&f.Calibrate, "calibrate", true, "fit the model's temperature on held-out predictions so that its probabilities are honest (labels do not change)")
	f.changed = func(name string) bool { return cmd.Flags().Changed(name) }
	f.stderr = cmd.ErrOrStderr
	f.quiet = func() bool {
		q, err := cmd.Flags().GetBool("quiet")
		return err == nil && q
	}
}

// clearLine returns a terminal's cursor to the start of the line and
// erases the line.
const clearLine = "\r\x1b[K"

// config turns the flags into a training configuration.
func (f *modelFlags) config(paths []string) (training.Config, error) {
	var cfg training.Config
	preset := f.Preset
	var flagged []string
	for _, name := range optionFlags {
		if f.changed(name) {
			flagged = append(flagged, "--"+name)
		}
	}
	switch {
	case preset == "auto" && f.changed("preset") && len(flagged) > 0:
		return cfg, usagef("--preset auto picks the options itself: drop %s, or give a named preset", strings.Join(flagged, ", "))
	case preset == "auto" && len(flagged) > 0:
		preset = "default"
	case preset == "auto":
		cfg.Auto = true
		preset = "default"
		tell := f.stderr != nil && (f.quiet == nil || !f.quiet())
		progress := false
		cfg.OnAuto = func(c training.AutoChoice) {
			switch {
			case tell && progress:
				f.tell("%s%s\n", clearLine, c)
			case tell:
				f.tell("%s\n", c)
			}
		}
		if tell && f.errTTY {
			cfg.OnAutoStep = func(c training.AutoChoice) {
				progress = true
				f.tell("%sauto: %d option sets, %.1f s; best so far %s, %s %.4f",
					clearLine, c.Tried, c.Elapsed.Seconds(), c.Options, c.Metric, c.Score)
			}
		}
	}
	opt, err := classify.Preset(preset)
	if err != nil {
		return cfg, usagef("invalid --preset: %v", strings.Replace(err.Error(), "(valid presets: ", "(valid presets: auto, ", 1))
	}
	given := map[string]bool{"complement": f.Complement, "tfidf": f.TFIDF, "binary": f.Binary,
		"bigrams": f.Bigrams, "negation": f.Negation, "stopwords": f.Stopwords, "structure": f.Structure,
		"tags": f.Tags, "per-target": f.PerTarget, "refine": f.Refine}
	for _, name := range classify.FeatureNames() {
		if f.changed(name) {
			if err := opt.SetFeature(name, given[name]); err != nil {
				return cfg, err
			}
		}
	}
	if f.changed("char-grams") {
		if f.CharGrams != 0 && (f.CharGrams < 3 || f.CharGrams > 6) {
			return cfg, usagef("invalid --char-grams %d: want 0 or 3 to 6", f.CharGrams)
		}
		opt.CharGrams = f.CharGrams
	}
	if f.changed("flat-prior") {
		if !(f.FlatPrior >= 0 && f.FlatPrior <= 2) {
			return cfg, usagef("invalid --flat-prior %g: want 0 to 2", f.FlatPrior)
		}
		opt.FlatPrior = f.FlatPrior
	}
	if f.changed("interpolation") {
		if !(f.Interpolation >= 0 && f.Interpolation < 1) {
			return cfg, usagef("invalid --interpolation %g: want 0 (off) or a weight in (0, 1)", f.Interpolation)
		}
		opt.Interpolation = f.Interpolation
	}
	alpha, auto, err := training.ParseAlpha(f.Alpha)
	if err != nil {
		return cfg, usageError{err}
	}
	if cfg.AutoAlpha = auto; alpha > 0 {
		opt.Alpha = alpha
	}
	if f.changed("abstain") {
		if !(f.Abstain >= 0 && f.Abstain < 1) {
			return cfg, usagef("invalid --abstain %g: want a probability in [0, 1)", f.Abstain)
		}
		opt.Abstain = f.Abstain
	}
	if !(f.CueWeight >= 0) || f.CueWeight > 1e6 {
		return cfg, usagef("invalid --cue-weight %g: want 0 or more", f.CueWeight)
	}
	if !(f.SecondaryWeight >= 0) || f.SecondaryWeight > 1e6 {
		return cfg, usagef("invalid --secondary-weight %g: want 0 or more", f.SecondaryWeight)
	}
	cfg.Options = opt
	cfg.Auto = cfg.Auto && !cfg.AutoAlpha
	cfg.CueWeight = training.Weight(f.CueWeight)
	cfg.SecondaryWeight = training.Weight(f.SecondaryWeight)
	cfg.Seed = f.Seed
	cfg.Calibrate = f.Calibrate
	cfg.Name = f.Name
	switch f.Taxonomy {
	case "":
	case "default":
		cfg.Taxonomy = training.DefaultTaxonomy()
		if cfg.Name == "" {
			cfg.Name = training.DefaultModelName
		}
	default:
		r, err := os.Open(f.Taxonomy)
		if err != nil {
			return cfg, fmt.Errorf("open taxonomy: %w", err)
		}
		defer r.Close()
		if cfg.Taxonomy, err = training.ReadTaxonomy(f.Taxonomy, r); err != nil {
			return cfg, err
		}
		if cfg.Name == "" {
			cfg.Name = baseName(f.Taxonomy)
		}
	}
	if cfg.Name == "" && len(paths) > 0 && paths[0] != "-" {
		cfg.Name = baseName(paths[0])
	}
	if f.AddLabels && cfg.Taxonomy == nil {
		return cfg, usagef("--add-labels needs --taxonomy")
	}
	if f.changed("abstain") && f.Abstain > 0 && (cfg.Taxonomy == nil || cfg.Taxonomy.Fallback == "") {
		return cfg, usagef("--abstain needs a fallback class to fall back to: give a --taxonomy with a fallback")
	}
	return cfg, nil
}

// labeledSkipNote qualifies --skip-bad on train and eval.
const labeledSkipNote = "(labeled data: records with a bad label or text, a NUL byte or over 16 MiB; binary or truncated input still stops)"

// errNoLabeledData is the error for empty or blank labeled data.
var errNoLabeledData = errors.New("no labeled documents (the input is empty or blank)")

// blankInput reports whether br holds nothing but white space (and a BOM),
// judging from its first 64 KiB.
func blankInput(br *bufio.Reader) bool {
	head, err := br.Peek(64 << 10)
	if err == nil {
		return false // more than 64 KiB: not worth telling here
	}
	return len(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\ufeff")))) == 0
}

// labeledReading returns how train and eval read labeled data: with
// --skip-bad, a bad record is counted and reported (as the comment readers
// do) and skipped. Call end on the records after reading.
func labeledReading(ios *IOStreams, o *commonOptions) (opt training.ReadOptions, end func()) {
	b := &badRecords{ios: ios, o: o}
	if o.SkipBad {
		opt.Skip = func(err error) bool {
			where := ""
			var te *training.Error
			var pe *comments.ParseError
			switch {
			case errors.As(err, &pe):
				where = pe.Location()
			case errors.As(err, &te):
				where = fmt.Sprintf("%s:%d", te.File, te.Line)
			}
			b.record(where, err)
			return true
		}
	}
	return opt, b.end
}

// baseName is a file's name without directory and extensions.
func baseName(path string) string {
	b := path[strings.LastIndexAny(path, `/\`)+1:]
	if i := strings.IndexByte(b, '.'); i > 0 {
		b = b[:i]
	}
	return b
}

// readLabeled reads the labeled files ("-" is stdin) and checks their
// labels against cfg's taxonomy, extending it with --add-labels.
func readLabeled(ios *IOStreams, o *commonOptions, paths []string, cfg *training.Config, addLabels bool) ([]training.Doc, error) {
	ropt, end := labeledReading(ios, o)
	defer end()
	var docs []training.Doc
	for _, p := range paths {
		var r io.Reader
		name := p
		if p == "-" {
			r, name = ios.In, "stdin"
		} else {
			f, err := os.Open(p)
			if err != nil {
				return nil, fmt.Errorf("open labeled data: %w", err)
			}
			defer f.Close()
			r = f
		}
		br := bufio.NewReader(r)
		if blankInput(br) {
			return nil, &training.Error{File: name, Err: errNoLabeledData}
		}
		d, err := training.ReadDocsWith(name, br, ropt)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d...)
	}
	if cfg.Taxonomy != nil {
		tax, err := training.ApplyTaxonomy(docs, cfg.Taxonomy, addLabels)
		if err != nil {
			return nil, err
		}
		cfg.Taxonomy = tax
	}
	return docs, nil
}

// trainOptions are the flags and inputs of `stance train`.
type trainOptions struct {
	commonOptions
	modelFlags
	IO    *IOStreams
	Paths []string
	// CPUProfile, if set, receives a pprof CPU profile of the run (hidden flag).
	CPUProfile string
}

func newTrainCmd(ios *IOStreams) *cobra.Command { return newTrainCommand(ios, nil) }

// newTrainCommand builds `stance train`; runF, if set, replaces runTrain
// (for flag-parsing tests).
func newTrainCommand(ios *IOStreams, runF func(*trainOptions) error) *cobra.Command {
	o := &trainOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "train LABELED... -o MODEL",
		Short: "Train a naive Bayes model on labeled comments",
		Long: `train counts labeled documents into a naive Bayes model and writes it
atomically to MODEL: the binary model file when MODEL ends in .stm
(read back an order of magnitude faster: use it for large models), JSON
otherwise (.json, an export anyone can read); gzipped under .gz, zstd-
compressed under .zst. Both encodings hold the same model, with the same
hash. Use the model with --model on the scoring commands; check its
quality first with 'stance eval'.

Labeled data (format detected from the content; "-" is stdin; gzip ok):
  JSONL     {"text": "...", "label": "no-evidence"} or "labels": [primary,
            secondary...], optional "stance"; other fields are ignored
  CSV/TSV   a header with a text column (text|body|comment|sentence) and a
            label column (label|labels|class|category|argument, several
            labels separated by |), optional stance column
  fastText  __label__A [__label__B] text...

With --taxonomy, the classes are the taxonomy's arguments: a label not in
it is an error with its line number (unless --add-labels), and each
argument's cue phrases and its name and description become pseudo-
documents of weight --cue-weight. Without --taxonomy the classes are the
labels found: no stances, no fallback, no pseudo-documents.

Without --preset and option flags, --preset auto picks the options (a
preset, alpha, binary, tfidf, bigrams and negation, stopwords, structure
tokens, the class prior, --tags and --per-target where the data has them,
then --refine with and without --char-grams 4) by 5-fold
cross-validation on the labeled data, tells its choice on stderr and
stores it in the model (training/README.md). --refine fits the weights
discriminatively after counting (NBSVM): on a few thousand labels or more
it often gains, on a few dozen it loses; auto keeps it only where it
helps. --per-target reads a target from each text's prefix ("Atheism:
...", as in the SemEval stance data) and learns what holds for every
target and what holds for one; a text without a prefix (a comment) is
scored by what holds for every target.
Otherwise options start from --preset (default when only flags are given)
and the flags override it:
  default  alpha=1, plain multinomial naive Bayes
  opinion  alpha=2 tfidf binary bigrams negation: short opinion texts
           (sentences, tweets, comments) with a few thousand labels or more
  topic    alpha=0.3 complement tfidf stopwords: few labels, long texts,
           skewed classes (the default Huawei model uses these features)
--alpha auto picks the smoothing from 0.01..4 by inner cross-validation.

The summary (documents and tokens per class, vocabulary, model hash) goes
to stdout (stderr with -o -).`,
		Example: `  stance train labels.jsonl -o mymodel.json.gz
  stance train posts.jsonl --preset topic --bigrams -o big.stm
  stance train labels.jsonl --taxonomy mydebate.toml --preset topic -o mymodel.json.gz
  stance train sentences.txt --preset opinion --alpha auto -o polarity.json.gz
  stance train more.csv --taxonomy default --add-labels --name huawei2 -o huawei2.json.gz`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if o.Output == "" {
				return usagef("-o/--output is required: the model file to write")
			}
			if runF != nil {
				return runF(o)
			}
			return runTrain(cmd.Context(), o)
		},
	}
	o.modelFlags.add(cmd)
	o.errTTY = ios.ErrTTY
	o.addOutput(cmd)
	o.addQuiet(cmd, "the summary")
	o.addSkipBad(cmd, labeledSkipNote)
	cmd.Flags().StringVar(&o.CPUProfile, "cpuprofile", "", "write a pprof CPU profile to `FILE`")
	cmd.Flags().MarkHidden("cpuprofile")
	return cmd
}

func runTrain(ctx context.Context, o *trainOptions) error {
	ios := o.IO
	cfg, err := o.config(o.Paths)
	if err != nil {
		return err
	}
	cfg.AddLabels = o.AddLabels
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ropt, end := labeledReading(ios, &o.commonOptions)
	in := &labeledSource{ios: ios, paths: o.Paths, opt: ropt}
	type trained struct {
		m   *classify.Model
		lab *training.Labeled
	}
	res, err := untilInterrupted(ctx, func() (trained, error) {
		m, lab, err := training.TrainStream(in, cfg)
		return trained{m, lab}, err
	})
	if errors.Is(err, errInterrupted) {
		// The training may still read in (and count bad records):
		// neither is touched here, the process ends.
		o.mute()
		return err
	}
	m, lab := res.m, res.lab
	end()
	in.Close()
	if err != nil {
		return err
	}
	// The model compresses itself (deterministically, see writeModel).
	out, err := openRawOutput(ios, o.Output, append(o.Paths, o.Taxonomy))
	if err != nil {
		return err
	}
	if err := writeModel(out, o.Output, m); err != nil {
		out.Abort()
		return fmt.Errorf("write model: %w", err)
	}
	// The summary is written before the model is committed: if it cannot
	// be written (stdout full), no model is left behind either.
	if err := trainSummary(o, m, lab, cfg.AutoAlpha); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// labeledSource reads the labeled files ("-" is stdin) one after the
// other, as a stream.
type labeledSource struct {
	ios   *IOStreams
	paths []string
	opt   training.ReadOptions
	next  int // the next path
	cur   *training.DocReader
	file  *os.File
}

func (s *labeledSource) Next() (training.Doc, error) {
	for {
		if s.cur == nil {
			if s.next == len(s.paths) {
				return training.Doc{}, io.EOF
			}
			if err := s.openNext(); err != nil {
				return training.Doc{}, err
			}
		}
		d, err := s.cur.Next()
		if err == io.EOF {
			s.Close()
			continue
		}
		return d, err
	}
}

// openNext opens the next path.
func (s *labeledSource) openNext() error {
	p := s.paths[s.next]
	s.next++
	r, name := s.ios.In, "stdin"
	if p != "-" {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("open labeled data: %w", err)
		}
		s.file, r, name = f, f, p
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if blankInput(br) {
		s.Close()
		return &training.Error{File: name, Err: errNoLabeledData}
	}
	dr, err := training.NewDocReader(name, br, s.opt)
	if err != nil {
		s.Close()
		return err
	}
	s.cur = dr
	return nil
}

// Close closes the file being read.
func (s *labeledSource) Close() error {
	if s.cur != nil {
		s.cur.Close()
		s.cur = nil
	}
	if s.file != nil {
		s.file.Close()
		s.file = nil
	}
	return nil
}

// trainSummary prints what was trained on stdout (stderr when the model goes
// to stdout), unless --quiet.
func trainSummary(o *trainOptions, m *classify.Model, lab *training.Labeled, autoAlpha bool) error {
	if o.Quiet {
		return nil
	}
	w, name := o.IO.Out, "stdout"
	if o.Output == "-" {
		w, name = o.IO.ErrOut, "stderr"
	}
	if autoAlpha {
		if _, err := fmt.Fprintf(w, "alpha auto: chose %g\n", m.Options.Alpha); err != nil {
			return fmt.Errorf("summary: %w", writeError(name, err))
		}
	}
	info := training.NewModelCard(m, 0)
	info.Labeled = lab.Documents
	for i := range info.Classes {
		info.Classes[i].Labeled = lab.Primary[info.Classes[i].ID]
	}
	if err := report.RenderDocument(w, "table", report.TrainingDocument(info)); err != nil {
		return fmt.Errorf("summary: %w", writeError(name, err))
	}
	if err := writerErr(w); err != nil {
		return fmt.Errorf("summary: %w", writeError(name, err))
	}
	return nil
}
