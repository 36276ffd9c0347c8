package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// reportThreads is a fixture of four threads with timestamps: the seed
// comments again under other thread IDs, spread over four weeks.
const reportThreads = "testdata/golden/report/threads.jsonl"

// TestReportGolden checks that the report and the SVG charts are the same
// bytes for the same input: the seed thread, the many-thread fixture, and
// `table -f svg` for every table.
func TestReportGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"seed.html", []string{"report", tableSeed}},
		{"threads.html", []string{"report", reportThreads}},
		{"argument.svg", []string{"table", tableSeed, "-f", "svg"}},
		{"stance.svg", []string{"table", tableSeed, "--by", "stance", "-f", "svg"}},
		{"exchange.svg", []string{"table", tableSeed, "--by", "exchange", "-f", "svg"}},
		{"comments.svg", []string{"table", tableSeed, "--by", "comments", "-f", "svg"}},
		{"thread.svg", []string{"table", reportThreads, "--by", "thread", "-f", "svg"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, got, stderr := tableRun(t, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			path := filepath.Join("testdata", "golden", "report", tc.name)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (run with -update and read the diff)", tc.name, path)
			}
			_, again, _ := tableRun(t, tc.args...)
			if again != got {
				t.Errorf("%s: two runs give different bytes", tc.name)
			}
		})
	}
}

// TestReportFlags checks the usage errors of stance report.
func TestReportFlags(t *testing.T) {
	for _, args := range [][]string{
		{"report", tableSeed, "--weight", "likes"},
		{"report", tableSeed, "--bootstrap", "0"},
		{"report", tableSeed, "--input-format", "xml"},
	} {
		if code, _, _ := tableRun(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	code, out, stderr := tableRun(t, "report", "--help")
	if code != 0 || !strings.Contains(out, "holds all comments in memory") {
		t.Errorf("report --help: exit %d, %q %q", code, out, stderr)
	}
	var got *reportOptions
	cmd := newReportCommand(&IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard},
		func(_ context.Context, o *reportOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"a.jsonl", "-", "--weight", "recommendations", "--per-author", "--workers", "3",
		"--skip-bad", "-o", "r.html", "--model", "m.json", "--seed", "7", "--bootstrap", "50"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Weight != "recommendations" || !got.PerAuthor || got.Workers != 3 || !got.SkipBad || got.Output != "r.html" ||
		got.Model != "m.json" || got.Seed != 7 || got.Bootstrap != 50 || strings.Join(got.Paths, " ") != "a.jsonl -" {
		t.Fatalf("parsed %+v", got)
	}
}

// TestReportSkipBad: report reads through the same input path as table, so
// a bad record stops it with exit 1 naming the line, and --skip-bad counts
// it, and the page says how many were skipped.
func TestReportSkipBad(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "c.jsonl")
	data := `{"id":"1","author":"a","text":"Huawei cannot be trusted, China controls it."}
{"id":"2","author":"b","text":
{"id":"3","author":"c","text":"Where is the evidence? Show me the evidence."}
`
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := tableRun(t, "report", in, "-o", filepath.Join(dir, "r.html"))
	if code != exitData || !strings.Contains(stderr, "c.jsonl:2:") {
		t.Fatalf("bad record: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "r.html")); !os.IsNotExist(err) {
		t.Fatalf("a failed report left its output: %v", err)
	}
	code, page, stderr := tableRun(t, "report", in, "--skip-bad", "--quiet")
	if code != 0 || !strings.Contains(stderr, "skipped 1 bad record(s): "+in+":2") {
		t.Fatalf("--skip-bad: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(page, "2 comments (1 bad records skipped)") {
		t.Fatal("the page does not say that 2 comments were read and 1 bad record skipped")
	}
}

// findChromium returns the Chromium or Chrome to test with: $STANCE_CHROMIUM,
// else the first of the usual names on PATH; "" when there is none.
func findChromium() string {
	if p := os.Getenv("STANCE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// tableJSON is the part of a stance.table/v1 document the browser test
// compares with the page.
type tableJSON struct {
	Input struct {
		Comments int `json:"comments"`
	} `json:"input"`
	Model struct {
		Name string `json:"name"`
		Hash string `json:"hash"`
		ID   string `json:"id"`
	} `json:"model"`
	Columns []struct {
		Key      string `json:"key"`
		Type     string `json:"type"`
		DataOnly bool   `json:"data_only"`
	} `json:"columns"`
	Rows []map[string]any `json:"rows"`
}

// visibleKeys returns the keys of the columns the page shows, in order.
func (tj tableJSON) visibleKeys() []string {
	var keys []string
	for _, c := range tj.Columns {
		if !c.DataOnly {
			keys = append(keys, c.Key)
		}
	}
	return keys
}

// isUnclearRow reports whether a JSON row is the "unclear" estimate.
func isUnclearRow(r map[string]any) bool {
	for _, k := range []string{"id", "stance", "argument"} {
		if s, ok := r[k].(string); ok && strings.HasPrefix(strings.ToLower(s), "unclear") {
			return true
		}
	}
	return false
}

func jsonTable(t *testing.T, args ...string) tableJSON {
	t.Helper()
	code, out, stderr := tableRun(t, append(args, "-f", "json")...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	var tj tableJSON
	if err := json.Unmarshal([]byte(out), &tj); err != nil {
		t.Fatal(err)
	}
	return tj
}

// browser is one headless Chromium for a test.
type browser struct {
	ctx context.Context
}

func newBrowser(t *testing.T, exe string) *browser {
	t.Helper()
	profile, err := os.MkdirTemp("", "stance-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's children may still write for a moment after it stops.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.WindowSize(800, 1000),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return &browser{ctx: ctx}
}

// tab is one loaded page and what the browser reported while loading it.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func (tb *tab) report(format string, a ...any) {
	tb.mu.Lock()
	tb.problems = append(tb.problems, fmt.Sprintf(format, a...))
	tb.mu.Unlock()
}

// open loads a file in a new tab at 800 px wide, watching the console, the
// browser log and every request.
func (b *browser) open(t *testing.T, path string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx}
	url := "file://" + path
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
				tb.report("console.%s", e.Type)
			}
		case *runtime.EventExceptionThrown:
			tb.report("exception: %s", e.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
				tb.report("log %s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; u != url && !strings.HasPrefix(u, "data:") && u != "about:blank" {
				tb.report("request leaving the file: %s", u)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(800, 1000), chromedp.Navigate(url)); err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
	return tb
}

func eval[T any](t *testing.T, tb *tab, js string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// marksJS counts the marks of every chart: bars, whiskers, segments, dots,
// heat-map cells and points.
const marksJS = `(() => {
  const out = {};
  for (const svg of document.querySelectorAll('svg[data-chart]')) {
    const m = {};
    for (const k of ['bar', 'whisker', 'seg', 'dot', 'cell', 'point', 'vol']) m[k] = svg.querySelectorAll('.' + k).length;
    const r = svg.getBoundingClientRect();
    m.width = Math.round(r.width); m.height = Math.round(r.height);
    out[svg.dataset.chart] = m;
  }
  return out;
})()`

// tablesJS returns the body cells of every data table, by chart.
const tablesJS = `(() => {
  const out = {};
  for (const t of document.querySelectorAll('table[data-table]'))
    out[t.dataset.table] = [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()));
  return out;
})()`

// TestReportInBrowser renders the seed report and the many-thread fixture
// in headless Chromium: no console error, no request leaving the file, the
// expected number of marks in every chart, page text equal to the JSON
// tables, and a screenshot of every chart close to its golden PNG.
func TestReportInBrowser(t *testing.T) {
	if raceEnabled {
		t.Skip("the browser test checks a page, not concurrency: it runs in the plain `go test ./...` of .ci/run")
	}
	exe := findChromium()
	if exe == "" {
		t.Skip("!!!!! SKIPPED LOUDLY: no Chromium found (chromium, chromium-browser, google-chrome on PATH, or $STANCE_CHROMIUM): " +
			"the HTML report was NOT checked in a browser. Install it with `apt-get install -y chromium` (as .ci/run does). !!!!!")
	}
	dir := t.TempDir()
	seedHTML, threadsHTML := filepath.Join(dir, "seed.html"), filepath.Join(dir, "threads.html")
	for _, run := range [][]string{{"report", tableSeed, "-o", seedHTML}, {"report", reportThreads, "-o", threadsHTML}} {
		if code, _, stderr := tableRun(t, run...); code != 0 {
			t.Fatalf("%v: exit %d: %s", run, code, stderr)
		}
	}
	args := jsonTable(t, "table", tableSeed)
	stances := jsonTable(t, "table", tableSeed, "--by", "stance")
	exchange := jsonTable(t, "table", tableSeed, "--by", "exchange")
	threadArgs := jsonTable(t, "table", reportThreads)
	threadTable := jsonTable(t, "table", reportThreads, "--by", "thread")
	nSplit := 0
	for _, c := range threadTable.Columns {
		if strings.HasPrefix(c.Key, "share_") && c.Type == "number" {
			nSplit++
		}
	}

	b := newBrowser(t, exe)
	shots := os.Getenv("STANCE_SCREENSHOTS") // keep the screenshots there, to look at them

	// The seed report.
	seed := b.open(t, seedHTML)
	marks := eval[map[string]map[string]int](t, seed, marksJS)
	nArgs, nStances := len(args.Rows), len(stances.Rows)
	nReply := 0
	for k := range exchange.Rows[0] {
		if strings.HasPrefix(k, "reply_") {
			nReply++
		}
	}
	// A segment per stance with a share, and one for the unclear comments.
	nSeg := 0
	for _, r := range stances.Rows {
		if r["share"] != nil || isUnclearRow(r) {
			nSeg++
		}
	}
	want := map[string]map[string]int{
		"shares":    {"bar": nArgs, "whisker": countCI(args.Rows, "share_ci")},
		"sentiment": {"dot": args.Input.Comments},
		"stances":   {"seg": nSeg, "bar": nStances, "whisker": countCI(stances.Rows, "share_ci")},
		"exchange":  {"cell": len(exchange.Rows) * nReply},
	}
	checkMarks(t, "seed", marks, want)

	tables := eval[map[string][][]string](t, seed, tablesJS)
	for _, c := range []struct {
		id string
		tj tableJSON
	}{{"shares", args}, {"stances", stances}, {"exchange", exchange}} {
		if len(tables[c.id]) != len(c.tj.Rows) {
			t.Errorf("%s: the page's table has %d rows, JSON %d", c.id, len(tables[c.id]), len(c.tj.Rows))
		}
		for i, r := range c.tj.Rows {
			checkRow(t, c.id, tables[c.id], i, r, c.tj)
		}
	}
	// The share labels of the bars say what the JSON says, largest first.
	vals := eval[[]string](t, seed, `[...document.querySelectorAll('svg[data-chart="shares"] .val')].map(e => e.textContent)`)
	var shares []float64
	for _, r := range args.Rows {
		if x, ok := r["share"].(float64); ok && !isUnclearRow(r) {
			shares = append(shares, x)
		}
	}
	slices.SortFunc(shares, func(a, b float64) int { return cmp.Compare(b, a) })
	for i, x := range shares {
		if i >= len(vals) || !sameNumbers(vals[i], jsonNumbers("share", x)) {
			t.Errorf("shares chart: labels %q, want the JSON shares largest first %v", vals, shares)
			break
		}
	}
	// The header says what the terminal caption says, in the same words.
	caption := eval[string](t, seed, `document.querySelector('.caption').textContent`)
	_, terminal, _ := tableRun(t, "table", tableSeed)
	for i, line := range strings.Split(terminal, "\n") {
		if strings.HasPrefix(line, "┌") {
			break
		}
		if i == 0 {
			line = strings.TrimPrefix(line, "Arguments: ")
		}
		if !strings.Contains(caption, line) {
			t.Errorf("header %q lacks the terminal caption's %q", caption, line)
		}
	}
	if w := eval[int](t, seed, `document.documentElement.scrollWidth`); w > 800 {
		t.Errorf("the page is %d px wide in an 800 px window", w)
	}
	for _, id := range []string{"shares", "sentiment", "stances", "exchange"} {
		compareShot(t, seed, id, shots)
	}
	full := screenshot(t, seed, chromedp.FullScreenshot(100))
	keepShot(t, shots, "seed-report.png", full)
	if *update {
		// docs/: the whole page, and its top down to the sentiment chart for
		// the README.
		bottom := eval[int](t, seed, `Math.ceil(document.querySelector('#sentiment figure').getBoundingClientRect().bottom + window.scrollY + 12)`)
		writeDocShot(t, "report-full.png", full, 0)
		writeDocShot(t, "report.png", full, bottom)
	}
	if _, err := chromedp.Call(seed.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	keepShot(t, shots, "seed-report-dark.png", screenshot(t, seed, chromedp.FullScreenshot(100)))
	checkProblems(t, seed)

	// Many threads with timestamps.
	th := b.open(t, threadsHTML)
	marks = eval[map[string]map[string]int](t, th, marksJS)
	weeks := fixtureWeeks(t)
	want = map[string]map[string]int{
		"shares":       {"bar": len(threadArgs.Rows)},
		"time":         {"point": len(threadArgs.Rows) * weeks, "vol": weeks},
		"threads":      {"bar": 4 * len(threadArgs.Rows)},
		"thread-split": {"seg": len(threadTable.Rows) * nSplit},
	}
	checkMarks(t, "threads", marks, want)
	for _, id := range []string{"time", "threads", "thread-split"} {
		compareShot(t, th, id, shots)
	}
	keepShot(t, shots, "threads-report.png", screenshot(t, th, chromedp.FullScreenshot(100)))
	checkProblems(t, th)
}

func countCI(rows []map[string]any, key string) int {
	n := 0
	for _, r := range rows {
		if r[key] != nil {
			n++
		}
	}
	return n
}

// fixtureWeeks counts the weeks (Monday to Sunday, UTC) of the fixture's
// comments: the fixture has fewer than 10 comments a day, so weekly bins.
func fixtureWeeks(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, reportThreads))
	if err != nil {
		t.Fatal(err)
	}
	weeks := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var c struct {
			Created time.Time `json:"created"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		d := c.Created.UTC()
		d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		d = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		weeks[d.Format(time.DateOnly)] = true
	}
	return len(weeks)
}

func checkMarks(t *testing.T, page string, got, want map[string]map[string]int) {
	t.Helper()
	for chart, w := range want {
		g, ok := got[chart]
		if !ok {
			t.Errorf("%s: no chart %q (charts: %v)", page, chart, got)
			continue
		}
		for k, n := range w {
			if g[k] != n {
				t.Errorf("%s: chart %s has %d %s marks, want %d", page, chart, g[k], k, n)
			}
		}
		if g["width"] < 300 || g["height"] < 60 {
			t.Errorf("%s: chart %s is %dx%d px", page, chart, g["width"], g["height"])
		}
	}
}

// jsonText formats a JSON value as the tables print it.
func jsonText(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return x
	case float64:
		switch {
		case isShareKey(key):
			return fmt.Sprintf("%.1f%%", 100*x)
		case key == "compound":
			return fmt.Sprintf("%+.3f", x)
		}
		return fmt.Sprint(x)
	case map[string]any:
		return fmt.Sprintf("%.1f–%.1f%%", 100*x["low"].(float64), 100*x["high"].(float64))
	}
	return fmt.Sprint(v)
}

// isShareKey reports whether a number column holds proportions, which the
// page prints in percent.
func isShareKey(key string) bool {
	return strings.HasPrefix(key, "share") || strings.HasSuffix(key, "_rate") || strings.HasSuffix(key, "_share")
}

// checkRow compares row i of a page table with a JSON row, column by
// column: the page shows the visible columns in JSON order. List columns
// are left out; an undefined value may be empty or a dash.
func checkRow(t *testing.T, name string, page [][]string, i int, row map[string]any, tj tableJSON) {
	t.Helper()
	if i >= len(page) {
		return
	}
	types := map[string]string{}
	for _, c := range tj.Columns {
		types[c.Key] = c.Type
	}
	for j, k := range tj.visibleKeys() {
		if types[k] == "list" {
			continue
		}
		if j >= len(page[i]) {
			t.Errorf("%s row %d: %d cells, want a column %s", name, i+1, len(page[i]), k)
			return
		}
		got, want := page[i][j], jsonText(k, row[k])
		if got == want || (row[k] == nil && got == "") || sameNumbers(got, jsonNumbers(k, row[k])) {
			continue
		}
		t.Errorf("%s row %d column %s: page %q, JSON %q", name, i+1, k, got, want)
	}
}

// jsonNumbers returns a JSON value's numbers as the page prints them:
// shares, rates and intervals in percent.
func jsonNumbers(key string, v any) []float64 {
	switch x := v.(type) {
	case float64:
		if isShareKey(key) {
			return []float64{100 * x}
		}
		return []float64{x}
	case map[string]any:
		lo, _ := x["low"].(float64)
		hi, _ := x["high"].(float64)
		return []float64{100 * lo, 100 * hi}
	}
	return nil
}

// sameNumbers reports whether a page text holds the numbers want, within
// 0.06: JSON rounds to 4 decimals, the page to 1 or 3.
func sameNumbers(text string, want []float64) bool {
	var got []float64
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == '–' || r == '%' || r == ' ' }) {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return false
		}
		got = append(got, x)
	}
	if len(got) == 0 || len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 0.06 {
			return false
		}
	}
	return true
}

func checkProblems(t *testing.T, tb *tab) {
	t.Helper()
	// Events arrive on another goroutine: give the last ones a moment.
	time.Sleep(200 * time.Millisecond)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		t.Errorf("browser: %s", p)
	}
}

func screenshot(t *testing.T, tb *tab, a chromedp.Action[[]byte]) []byte {
	t.Helper()
	buf, err := chromedp.Run(tb.ctx, a)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return buf
}

// writeDocShot writes a screenshot under docs/, cut at height when it is
// not 0.
func writeDocShot(t *testing.T, name string, buf []byte, height int) {
	t.Helper()
	if height > 0 {
		img, err := png.Decode(bytes.NewReader(buf))
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		b.Max.Y = min(b.Max.Y, b.Min.Y+height)
		var out bytes.Buffer
		if err := png.Encode(&out, img.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(b)); err != nil {
			t.Fatal(err)
		}
		buf = out.Bytes()
	}
	if err := os.WriteFile(filepath.Join(repoRoot, "docs", name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

func keepShot(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// compareShot takes a screenshot of one chart and compares it loosely with
// testdata/golden/report/chart-ID.png: about the same size, not blank, and
// few differing blocks of pixels, so that a font change does not fail it.
func compareShot(t *testing.T, tb *tab, id, keep string) {
	t.Helper()
	buf := screenshot(t, tb, chromedp.Screenshot(chromedp.CSS(`svg[data-chart="`+id+`"]`)))
	keepShot(t, keep, "chart-"+id+".png", buf)
	path := filepath.Join(repoRoot, "testdata", "golden", "report", "chart-"+id+".png")
	if *update {
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatalf("chart %s: %v", id, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := similar(got, want); err != nil {
		t.Errorf("chart %s: screenshot unlike %s: %v (look at it: STANCE_SCREENSHOTS=DIR; refresh with -update)", id, path, err)
	}
}

// similar compares two screenshots loosely: sizes within 10%, the new one
// not blank (at least 2% of its pixels unlike the background), and at most
// 8% of 4x4 blocks, over the common area, differing by more than 40 of 255
// in mean brightness.
func similar(got, want image.Image) error {
	gb, wb := got.Bounds(), want.Bounds()
	if d := gb.Dx() - wb.Dx(); d*10 > wb.Dx() || -d*10 > wb.Dx() {
		return fmt.Errorf("width %d, golden %d", gb.Dx(), wb.Dx())
	}
	if d := gb.Dy() - wb.Dy(); d*10 > wb.Dy() || -d*10 > wb.Dy() {
		return fmt.Errorf("height %d, golden %d", gb.Dy(), wb.Dy())
	}
	lum := func(img image.Image, x, y int) int {
		r, g, b, _ := img.At(x, y).RGBA()
		return int(299*r+587*g+114*b) / 1000 >> 8
	}
	bg := lum(got, gb.Min.X, gb.Min.Y)
	ink := 0
	for y := gb.Min.Y; y < gb.Max.Y; y++ {
		for x := gb.Min.X; x < gb.Max.X; x++ {
			if d := lum(got, x, y) - bg; d > 24 || d < -24 {
				ink++
			}
		}
	}
	if ink*50 < gb.Dx()*gb.Dy() {
		return fmt.Errorf("blank: %d of %d pixels unlike the background", ink, gb.Dx()*gb.Dy())
	}
	w, h := min(gb.Dx(), wb.Dx())/4, min(gb.Dy(), wb.Dy())/4
	block := func(img image.Image, bx, by int) int {
		o := img.Bounds().Min
		s := 0
		for y := range 4 {
			for x := range 4 {
				s += lum(img, o.X+4*bx+x, o.Y+4*by+y)
			}
		}
		return s / 16
	}
	diff := 0
	for by := range h {
		for bx := range w {
			if d := block(got, bx, by) - block(want, bx, by); d > 40 || d < -40 {
				diff++
			}
		}
	}
	if diff*100 > 8*w*h {
		return fmt.Errorf("%d of %d blocks differ", diff, w*h)
	}
	return nil
}

// TestReportAtScale: past one batch (5,000 comments), the report is the
// same page whichever way its input is read (a plain JSONL file, decoded
// in parallel chunks; the same bytes gzipped, read by one reader) and
// whatever the number of workers: no comment is lost or taken twice when
// the pipeline hands the results over. CI runs it under -race.
func TestReportAtScale(t *testing.T) {
	const n = 5000
	data := bigJSONL(t, n)
	in := filepath.Join(t.TempDir(), "big.jsonl")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, file, stderr := tableRun(t, "report", in, "--quiet")
	if code != 0 {
		t.Fatalf("report FILE: exit %d: %s", code, stderr)
	}
	if !strings.Contains(file, fmt.Sprintf("%d comments", n)) {
		t.Fatalf("the page does not count %d comments", n)
	}
	code, one, stderr := tableRun(t, "report", in, "--quiet", "--workers", "1")
	if code != 0 || one != file {
		t.Errorf("--workers 1: exit %d (%s); the page differs from the default workers'", code, stderr)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in+".gz", gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, seq, stderr := tableRun(t, "report", in+".gz", "--quiet")
	if code != 0 {
		t.Fatalf("report FILE.gz: exit %d: %s", code, stderr)
	}
	if strings.ReplaceAll(seq, in+".gz", in) != file {
		t.Error("the page read by one reader (gzip) differs from the page decoded in parallel chunks (input name aside)")
	}
}
