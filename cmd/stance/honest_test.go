package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTableHonest checks the honest-table behaviour on real threads: on
// the seed thread the shares are estimated (bayes) with the unclear
// comments apart and no warning; on a thread about something else (a
// sourdough recipe, written for this test) at least 80% of the comments are
// unclear or fallback, and the table and stderr say the model is out of
// its depth.
func TestTableHonest(t *testing.T) {
	type doc struct {
		Input struct {
			Comments int      `json:"comments"`
			Foreign  *float64 `json:"foreign"`
		} `json:"input"`
		Estimate struct {
			Method   string  `json:"method"`
			Adjusted bool    `json:"adjusted"`
			Unclear  float64 `json:"unclear"`
		} `json:"estimate"`
		Rows []map[string]any `json:"rows"`
	}
	parse := func(out string) doc {
		var d doc
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	code, out, stderr := tableRun(t, "table", tableSeed, "-f", "json", "--quiet")
	if code != 0 {
		t.Fatalf("seed: exit %d: %s", code, stderr)
	}
	d := parse(out)
	if d.Estimate.Method != "bayes" || !d.Estimate.Adjusted || d.Input.Foreign == nil || *d.Input.Foreign > 0.5 {
		t.Fatalf("seed: estimate %+v, foreign %v: want an adjusted bayes estimate and no foreign warning", d.Estimate, d.Input.Foreign)
	}
	var sum float64
	for _, r := range d.Rows {
		if s, ok := r["share"].(float64); ok {
			sum += s
			iv := r["share_ci"].(map[string]any)
			if lo, hi := iv["low"].(float64), iv["high"].(float64); !(lo <= s && s <= hi) {
				t.Errorf("%v: share %v outside its interval [%v, %v]", r["id"], s, lo, hi)
			}
		}
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("seed: estimated shares add to %v, want 1", sum)
	}

	const off = "testdata/offdomain-sourdough-thread.txt"
	code, out, stderr = tableRun(t, "table", off, "-f", "json")
	if code != 0 {
		t.Fatalf("off-domain: exit %d: %s", code, stderr)
	}
	d = parse(out)
	unplaced := d.Estimate.Unclear
	for _, r := range d.Rows {
		if r["id"] == "other" {
			unplaced += r["count"].(float64)
		}
	}
	if unplaced < 0.8*float64(d.Input.Comments) {
		t.Errorf("off-domain: %v of %d comments unclear or other, want at least 80%%", unplaced, d.Input.Comments)
	}
	if !strings.Contains(stderr, "look unlike the data model huawei was trained on") || d.Input.Foreign == nil || *d.Input.Foreign <= 0.5 {
		t.Errorf("off-domain: no out-of-depth warning: stderr %q, foreign %v", stderr, d.Input.Foreign)
	}
	_, text, _ := tableRun(t, "table", off, "--quiet")
	if !strings.Contains(text, "Warning: ") || !strings.Contains(text, "unreliable here") {
		t.Errorf("off-domain: the caption does not warn:\n%s", text)
	}
}

// TestScoreWarnsOffDomain checks score's summary warning: on the seed
// thread none, on the sourdough thread one.
func TestScoreWarnsOffDomain(t *testing.T) {
	const warning = "look unlike the data model huawei was trained on"
	if code, _, stderr := tableRun(t, "score", tableSeed, "-o", t.TempDir()+"/s.jsonl"); code != 0 || strings.Contains(stderr, warning) {
		t.Errorf("seed: exit %d, stderr %q: want no warning", code, stderr)
	}
	if code, _, stderr := tableRun(t, "score", "testdata/offdomain-sourdough-thread.txt", "-o", t.TempDir()+"/s.jsonl"); code != 0 || !strings.Contains(stderr, warning) {
		t.Errorf("off-domain: exit %d, stderr %q: want the warning", code, stderr)
	}
}

// TestTableEveryEstimate runs every --estimate on the seed thread: the
// shares of the placed comments add up to 1, each inside its interval,
// and the caption names the method.
func TestTableEveryEstimate(t *testing.T) {
	for _, method := range []string{"bayes", "acc", "cc", "pcc", "pacc", "sld"} {
		for _, by := range []string{"argument", "stance"} {
			code, out, stderr := tableRun(t, "table", tableSeed, "--by", by, "--estimate", method, "-f", "json", "--quiet")
			if code != 0 {
				t.Fatalf("%s %s: exit %d: %s", method, by, code, stderr)
			}
			var d struct {
				Estimate struct{ Method string } `json:"estimate"`
				Rows     []map[string]any        `json:"rows"`
			}
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatal(err)
			}
			if d.Estimate.Method != method {
				t.Errorf("%s %s: caption method %q", method, by, d.Estimate.Method)
			}
			sum := 0.0
			for _, r := range d.Rows {
				s, ok := r["share"].(float64)
				if !ok {
					continue // the unclear row
				}
				sum += s
				iv := r["share_ci"].(map[string]any)
				if lo, hi := iv["low"].(float64), iv["high"].(float64); s < lo-1e-4 || s > hi+1e-4 {
					t.Errorf("%s %s %v: share %v outside [%v, %v]", method, by, r["stance"], s, lo, hi)
				}
			}
			if sum < 0.999 || sum > 1.001 {
				t.Errorf("%s %s: shares add to %v", method, by, sum)
			}
		}
	}
}
