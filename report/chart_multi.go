package report

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// period is one time bin of the comments, with its argument table; T is
// nil when no comment falls in the bin.
type period struct {
	Label string
	Start time.Time
	N     int
	T     *Table
}

// threadPanel is one thread of a many-thread input, with its argument
// table.
type threadPanel struct {
	ID string
	N  int
	T  *Table
}

// sharesByID indexes the rows of an argument table by argument ID.
func sharesByID(t *Table) map[string]shareRow {
	m := map[string]shareRow{}
	if t == nil {
		return m
	}
	for _, r := range shareRows(t) {
		m[r.ID] = r
	}
	return m
}

// timeChart draws the comments per bin, then one small panel per argument
// with its share per bin, the 95% interval as a band and the share over
// the whole input as a dashed line.
func timeChart(periods []period, order []shareRow, pal palette, unit string) svgChart {
	var s svgBuilder
	nb := len(periods)
	W := float64(chartWidth)
	xAt := func(x0, x1 float64, i int) float64 { return x0 + (x1-x0)*(float64(i)+0.5)/float64(nb) }
	// Volume.
	maxN := 0
	for _, p := range periods {
		maxN = max(maxN, p.N)
	}
	s.text(0, 12, "start", "lab small", "Comments per "+unit)
	const vy0, vh = 20.0, 54.0
	vx0, vx1 := 34.0, W-6
	bw := math.Max((vx1-vx0)/float64(nb)*0.78, 1)
	s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="axis"/>`, fmt1(vx0), fmt1(vy0+vh), fmt1(vx1), fmt1(vy0+vh))
	s.text(vx0-6, vy0+8, "end", "tick", fmt.Sprint(maxN))
	for i, p := range periods {
		if p.N == 0 {
			continue
		}
		h := vh * float64(p.N) / float64(max(maxN, 1))
		s.add(`<rect x="%s" y="%s" width="%s" height="%s" class="vol"><title>%s</title></rect>`,
			fmt1(xAt(vx0, vx1, i)-bw/2), fmt1(vy0+vh-h), fmt1(bw), fmt1(h), xmlEsc(fmt.Sprintf("%s: %d comments", p.Label, p.N)))
	}
	for _, i := range tickBins(nb) {
		s.text(xAt(vx0, vx1, i), vy0+vh+14, "middle", "tick", periods[i].Label)
	}
	// Small multiples.
	// The scale fits the shares, not the intervals: the intervals of
	// sparse bins reach far up, and their bands are cut at the top.
	ts := make([]*Table, nb)
	for i, p := range periods {
		ts[i] = p.T
	}
	tables, hi := sharesOfAll(ts)
	hi, _ = niceMax(math.Min(1, math.Max(hi*1.1, 0.05)), 4)
	const cols, gap, ph = 2, 28.0, 100.0
	pw := (W - gap*(cols-1)) / cols
	y0 := vy0 + vh + 34
	var args []shareRow
	for _, r := range order {
		args = append(args, r)
	}
	for k, a := range args {
		px, py := float64(k%cols)*(pw+gap), y0+float64(k/cols)*ph
		cls := pal.class(a.Stance)
		s.add(`<rect x="%s" y="%s" width="10" height="10" rx="2" class="key %s"/>`, fmt1(px), fmt1(py), cls)
		s.text(px+15, py+9.5, "start", "lab small strong", clipRunes(a.Name, 40))
		s.text(px+pw, py+9.5, "end", "tick", "overall "+a.ShareText)
		x0, x1 := px+34, px+pw-4
		t0, t1 := py+18, py+74
		ys := func(v float64) float64 { return t1 - (t1-t0)*math.Max(0, math.Min(v, hi))/hi }
		s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="grid"/>`, fmt1(x0), fmt1(t0), fmt1(x1), fmt1(t0))
		s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="axis"/>`, fmt1(x0), fmt1(t1), fmt1(x1), fmt1(t1))
		s.text(x0-5, t0+4, "end", "tick", pctText(hi))
		s.text(x0-5, t1+4, "end", "tick", "0%")
		if !math.IsNaN(a.Share) {
			s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="ref"/>`, fmt1(x0), fmt1(ys(a.Share)), fmt1(x1), fmt1(ys(a.Share)))
		}
		// Runs of non-empty bins: a band and a line each.
		var band, line, dots strings.Builder
		for i := 0; i < nb; {
			if tables[i] == nil || periods[i].T == nil {
				i++
				continue
			}
			j := i
			for j < nb && periods[j].T != nil {
				j++
			}
			var lo, up []string
			for b := i; b < j; b++ {
				r, ok := tables[b][a.ID]
				x := xAt(x0, x1, b)
				v, l, h := 0.0, 0.0, 0.0
				if ok && !math.IsNaN(r.Share) {
					v = r.Share
					l, h = v, v
					if r.CI.Valid() {
						l, h = r.CI.Low, r.CI.High
					}
				}
				up = append(up, fmt1(x)+" "+fmt1(ys(h)))
				lo = append([]string{fmt1(x) + " " + fmt1(ys(l))}, lo...)
				cmd := "L"
				if b == i {
					cmd = "M"
				}
				fmt.Fprintf(&line, "%s%s %s", cmd, fmt1(x), fmt1(ys(v)))
				tip := fmt.Sprintf("%s, %s: %s of %d comments", periods[b].Label, a.Name, pctText(v), periods[b].N)
				if ok && r.CI.Valid() {
					tip += " (95% CI " + r.CIText + ")"
				}
				fmt.Fprintf(&dots, `<circle cx="%s" cy="%s" r="2.8" class="point %s"><title>%s</title></circle>`, fmt1(x), fmt1(ys(v)), cls, xmlEsc(tip))
			}
			if j-i > 1 {
				fmt.Fprintf(&band, `<path d="M%sZ" class="band %s"/>`, strings.Join(append(up, lo...), "L"), cls)
			}
			i = j
		}
		if band.Len() > 0 {
			s.add(`<clipPath id="time-clip-%d"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath>`, k, fmt1(x0), fmt1(t0), fmt1(x1-x0), fmt1(t1-t0))
			s.add(`<g clip-path="url(#time-clip-%d)">%s</g>`, k, band.String())
		}
		if line.Len() > 0 {
			s.add(`<path d="%s" class="line %s"/>`, line.String(), cls)
		}
		s.add("%s", dots.String())
		if k >= len(args)-cols {
			for _, i := range tickBins(nb) {
				if nb > 1 && i != 0 && i != nb-1 {
					continue
				}
				anchor := "middle"
				if nb > 1 && i == 0 {
					anchor = "start"
				} else if nb > 1 {
					anchor = "end"
				}
				s.text(xAt(x0, x1, i), t1+14, anchor, "tick", periods[i].Label)
			}
		}
	}
	rows := (len(args) + cols - 1) / cols
	return svgChart{W: W, H: y0 + float64(rows)*ph, Body: s.String(),
		Label: fmt.Sprintf("Comments per %s and the share of each of %d arguments over %d %ss", unit, len(args), nb, unit)}
}

// tickBins returns the bins that get a label: about six, evenly spaced.
func tickBins(nb int) []int {
	if nb <= 0 {
		return nil
	}
	step := max(1, (nb+5)/6)
	var out []int
	for i := 0; i < nb; i += step {
		out = append(out, i)
	}
	if last := nb - 1; out[len(out)-1] != last && last-out[len(out)-1] >= step/2+1 {
		out = append(out, last)
	}
	return out
}

// sharesOfAll reads the rows of every table by argument ID (see
// sharesByID), and the highest share among them, the common scale of
// small multiples.
func sharesOfAll(ts []*Table) (tables []map[string]shareRow, hi float64) {
	tables = make([]map[string]shareRow, len(ts))
	for i, t := range ts {
		tables[i] = sharesByID(t)
		for _, r := range tables[i] {
			if !math.IsNaN(r.Share) {
				hi = math.Max(hi, r.Share)
			}
		}
	}
	return tables, hi
}

// threadsChart draws one small bar chart per thread, the arguments in the
// same order in every panel, on one scale.
func threadsChart(panels []threadPanel, order []shareRow, pal palette) svgChart {
	var s svgBuilder
	names := make([]string, len(order))
	for i, r := range order {
		names[i] = r.Name
	}
	ts := make([]*Table, len(panels))
	for i, p := range panels {
		ts[i] = p.T
	}
	tables, hi := sharesOfAll(ts)
	hi, _ = niceMax(math.Max(hi, 0.01), 2)
	const cols, gap, rowH, barH, head = 3, 14.0, 14.0, 10.0, 22.0
	lw := labelWidth(names, fontSmall, 70, 170)
	pw := (float64(chartWidth) - lw - gap*(cols-1)) / cols
	ph := head + rowH*float64(len(order)) + 22
	gridRows := (len(panels) + cols - 1) / cols
	for gr := 0; gr < gridRows; gr++ {
		py := float64(gr) * ph
		for k, name := range names {
			s.text(lw-8, py+head+rowH*float64(k)+rowH/2+4, "end", "lab small", name)
		}
	}
	for i, p := range panels {
		px := lw + float64(i%cols)*(pw+gap)
		py := float64(i/cols) * ph
		title := fmt.Sprintf(" · %d", p.N)
		s.text(px, py+12, "start", "lab small strong", clipRunes(p.ID, int((pw-textWidth(title, fontSmall))/(fontSmall*0.56)))+title)
		x1 := px + pw - 4
		t1 := py + head + rowH*float64(len(order))
		s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="axis"/>`, fmt1(px), fmt1(py+head), fmt1(px), fmt1(t1))
		s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="grid"/>`, fmt1(x1), fmt1(py+head), fmt1(x1), fmt1(t1))
		for k, a := range order {
			r, ok := tables[i][a.ID]
			v := 0.0
			if ok && !math.IsNaN(r.Share) {
				v = r.Share
			}
			cy := py + head + rowH*float64(k) + rowH/2
			tip := fmt.Sprintf("%s, %s: %s", p.ID, a.Name, pctText(v))
			if ok && r.CI.Valid() {
				tip += " (95% CI " + r.CIText + ")"
			}
			s.add(`<rect x="%s" y="%s" width="%s" height="%s" class="bar %s"><title>%s</title></rect>`,
				fmt1(px), fmt1(cy-barH/2), fmt1((x1-px)*math.Min(v, hi)/hi), fmt1(barH), pal.class(a.Stance), xmlEsc(tip))
		}
		s.text(px, t1+13, "start", "tick", "0")
		s.text(x1, t1+13, "end", "tick", pctText(hi))
	}
	return svgChart{W: chartWidth, H: float64(gridRows) * ph, Body: s.String(),
		Label: fmt.Sprintf("Small multiples: argument shares in %d threads", len(panels))}
}

// maxSplitRows is the number of threads the stance-by-thread chart draws,
// the largest first (the thread table's order).
const maxSplitRows = 40

// threadSplitChart draws one 100% bar per thread, split by stance.
func threadSplitChart(d threadSplit, pal palette) svgChart {
	var s svgBuilder
	rows := d.Rows[:min(len(d.Rows), maxSplitRows)]
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = clipRunes(r.ID, 32)
	}
	lw := labelWidth(names, fontLabel, 80, 260)
	x0, x1 := lw, float64(chartWidth)-64
	y := drawLegend(&s, pal, d.Stances, x0, 0) + 8
	const rowH, barH = 26.0, 16.0
	for i, r := range rows {
		cy := y + rowH/2
		s.text(x0-8, cy+4.5, "end", "lab", names[i])
		total := 0.0
		for _, x := range r.Shares {
			if !math.IsNaN(x) {
				total += x
			}
		}
		x := x0
		for k, sh := range r.Shares {
			if math.IsNaN(sh) || !(total > 0) {
				continue
			}
			w := (x1 - x0) * sh / total
			s.add(`<rect x="%s" y="%s" width="%s" height="%s" class="seg %s"><title>%s</title></rect>`,
				fmt1(x), fmt1(cy-barH/2), fmt1(w), fmt1(barH), pal.class(d.Stances[k]),
				xmlEsc(fmt.Sprintf("%s: %s %s of %s comments", r.ID, d.Stances[k], r.ShareText[k], formatCount(r.Count))))
			if lab := pctText(sh); textWidth(lab, fontSmall)+6 < w {
				s.text(x+w/2, cy+4, "middle", "seglab small "+pal.class(d.Stances[k]), lab)
			}
			x += w
		}
		s.text(x1+8, cy+4.5, "start", "val", "n "+formatCount(r.Count))
		y += rowH
	}
	return svgChart{W: chartWidth, H: y + 4, Body: s.String(),
		Label: fmt.Sprintf("Stance split of %d threads, one bar each", len(rows))}
}
