package report

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Charts are hand-built SVG: plain elements with classes, coloured by the
// page's CSS (so dark mode and print work), coordinates rounded to 0.1 so
// the same table always gives the same bytes. Every mark a reader counts
// (bar, dot, cell, point, segment) carries the class the browser test
// counts, and a <title> that browsers show on hover.

// chartWidth is the width of every chart, in SVG units (CSS pixels at 100%).
const chartWidth = 720

// Font sizes in SVG units; the page's CSS uses the same.
const (
	fontLabel = 13
	fontSmall = 11
)

// svgChart is a drawn chart: its size and its inner elements.
type svgChart struct {
	W, H float64
	// Body is the inner SVG, already escaped.
	Body string
	// Label is what the chart shows, in words, for screen readers.
	Label string
}

// inline returns the chart as an <svg> element for the page.
func (c svgChart) inline(id string) template.HTML {
	return template.HTML(fmt.Sprintf(`<svg class="chart" data-chart="%s" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">%s</svg>`,
		xmlEsc(id), fmt1(c.W), fmt1(c.H), fmt1(c.W), fmt1(c.H), xmlEsc(c.Label), c.Body))
}

// svgBuilder collects SVG elements.
type svgBuilder struct{ b strings.Builder }

func (s *svgBuilder) add(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }
func (s *svgBuilder) String() string                 { return s.b.String() }

// text writes a text element; anchor is "start", "middle" or "end".
func (s *svgBuilder) text(x, y float64, anchor, class, body string) {
	a := ""
	if anchor != "" && anchor != "start" {
		a = ` text-anchor="` + anchor + `"`
	}
	s.add(`<text x="%s" y="%s"%s class="%s">%s</text>`, fmt1(x), fmt1(y), a, class, xmlEsc(body))
}

// group writes a translated sub-chart.
func (s *svgBuilder) group(dx, dy float64, body string) {
	s.add(`<g transform="translate(%s %s)">%s</g>`, fmt1(dx), fmt1(dy), body)
}

// esc escapes text for SVG and HTML.
func xmlEsc(s string) string { return template.HTMLEscapeString(s) }

// f1 formats a coordinate with at most one decimal.
func fmt1(x float64) string {
	r := math.Round(x*10) / 10
	if r == 0 {
		r = 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// textWidth estimates the width of s in a sans-serif font of size px.
func textWidth(s string, px float64) float64 {
	return float64(utf8.RuneCountInString(s)) * px * 0.56
}

// clip shortens s to at most n runes, with an ellipsis.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:max(n-1, 1)]) + "…"
}

// pct formats a proportion as a whole percentage ("20%"), or with one
// decimal below 10%.
func pctText(x float64) string {
	if math.IsNaN(x) {
		return dash
	}
	return strconv.FormatFloat(math.Round(100*x), 'f', 0, 64) + "%"
}

// niceStep returns a round tick step so that about n ticks cover [0, hi].
func niceStep(hi float64, n int) float64 {
	if !(hi > 0) {
		return 1
	}
	raw := hi / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// niceMax returns hi rounded up to a tick step, and that step.
func niceMax(hi float64, n int) (float64, float64) {
	step := niceStep(hi, n)
	return math.Max(step, math.Ceil(hi/step-1e-9)*step), step
}

// palette maps stances to CSS classes: for, against, neutral and unclear
// have their own colours; other stances take the remaining Okabe–Ito
// colours in order of first appearance.
type palette struct{ other map[string]int }

func newPalette(stances ...[]string) palette {
	p := palette{other: map[string]int{}}
	for _, l := range stances {
		for _, s := range l {
			p.class(s)
		}
	}
	return p
}

// class returns the CSS class of a stance, registering a new one.
func (p palette) class(stance string) string {
	switch s := strings.ToLower(stance); s {
	case "for", "against", "neutral", "unclear":
		return "s-" + s
	case "", "none":
		return "s-none"
	}
	if isUnclear(stance) {
		return "s-unclear"
	}
	i, ok := p.other[stance]
	if !ok {
		i = len(p.other)
		p.other[stance] = i
	}
	return fmt.Sprintf("s-o%d", i%4+1)
}

// legend draws the stance swatches in one line from x, y; it returns the
// height used.
func drawLegend(s *svgBuilder, pal palette, stances []string, x, y float64) float64 {
	if len(stances) == 0 {
		return 0
	}
	for _, st := range stances {
		s.add(`<rect x="%s" y="%s" width="12" height="12" rx="2" class="key %s"/>`, fmt1(x), fmt1(y), pal.class(st))
		s.text(x+17, y+10.5, "", "lab small", st)
		x += 17 + textWidth(st, fontSmall) + 18
	}
	return 22
}

// stancesOf returns the distinct stances of rows, for, against, neutral
// first.
func stancesOf(rows []shareRow) []string {
	seen := map[string]bool{}
	var out []string
	for _, want := range []string{"for", "against", "neutral"} {
		for _, r := range rows {
			if r.Stance == want && !seen[want] {
				seen[want] = true
				out = append(out, want)
			}
		}
	}
	for _, r := range rows {
		if r.Stance != "" && !seen[r.Stance] {
			seen[r.Stance] = true
			out = append(out, r.Stance)
		}
	}
	return out
}

// labelWidth is the width of a left label column for names.
func labelWidth(names []string, px, lo, hi float64) float64 {
	w := lo
	for _, n := range names {
		w = math.Max(w, textWidth(n, px)+14)
	}
	return math.Min(w, hi)
}

// xAxis draws vertical gridlines and percentage tick labels under a plot.
func xAxis(s *svgBuilder, x0, x1, y0, y1, hi, step float64, format func(float64) string) {
	for v := 0.0; v <= hi+1e-9; v += step {
		x := x0 + (x1-x0)*v/hi
		s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="grid"/>`, fmt1(x), fmt1(y0), fmt1(x), fmt1(y1))
		s.text(x, y1+15, "middle", "tick", format(v))
	}
}

// barsChart draws one horizontal bar per row, its 95% interval as a
// whisker and its share as a label, coloured by stance.
func barsChart(rows []shareRow, pal palette, withLegend bool, what string) svgChart {
	var s svgBuilder
	names := make([]string, len(rows))
	hi := 0.0
	for i, r := range rows {
		names[i] = r.Name
		if !math.IsNaN(r.Share) {
			hi = math.Max(hi, r.Share)
		}
		if r.CI.Valid() {
			hi = math.Max(hi, r.CI.High)
		}
	}
	hi, step := niceMax(math.Max(hi, 0.01), 5)
	lw := labelWidth(names, fontLabel, 80, 280)
	// The shares stand in a column at the right, apart from the whiskers.
	x0, x1 := lw, float64(chartWidth)-72
	y := 0.0
	if withLegend {
		y += drawLegend(&s, pal, stancesOf(rows), x0, 0) + 8
	}
	const rowH, barH = 28.0, 14.0
	top := y
	apartRule := false
	var marks strings.Builder
	for _, r := range rows {
		if r.Apart && !apartRule {
			apartRule = true
			y += 10
			marks.WriteString(fmt.Sprintf(`<line x1="0" y1="%s" x2="%s" y2="%s" class="rule"/>`, fmt1(y-5), fmt1(x1), fmt1(y-5)))
		}
		cy := y + rowH/2
		xs := func(v float64) float64 { return x0 + (x1-x0)*math.Max(0, math.Min(v, hi))/hi }
		cls := pal.class(r.Stance)
		if r.Apart {
			cls = "s-unclear"
		}
		tip := fmt.Sprintf("%s: %s of %s", r.Name, r.ShareText, what)
		if r.OfAll {
			tip = fmt.Sprintf("%s: %s of all comments", r.Name, r.ShareText)
		}
		if r.CI.Valid() {
			tip += fmt.Sprintf(" (95%% CI %s)", r.CIText)
		}
		if !math.IsNaN(r.Count) {
			tip += ", " + formatCount(r.Count)
		}
		share := r.Share
		if math.IsNaN(share) {
			share = 0
		}
		fmt.Fprintf(&marks, `<rect x="%s" y="%s" width="%s" height="%s" class="bar %s"><title>%s</title></rect>`,
			fmt1(x0), fmt1(cy-barH/2), fmt1(xs(share)-x0), fmt1(barH), cls, xmlEsc(tip))
		if r.CI.Valid() {
			lo, hi := xs(r.CI.Low), xs(r.CI.High)
			fmt.Fprintf(&marks, `<path d="M%s %sH%sM%s %sV%sM%s %sV%s" class="whisker"/>`,
				fmt1(lo), fmt1(cy), fmt1(hi), fmt1(lo), fmt1(cy-5), fmt1(cy+5), fmt1(hi), fmt1(cy-5), fmt1(cy+5))
		}
		fmt.Fprintf(&marks, `<text x="%s" y="%s" text-anchor="end" class="lab">%s</text>`, fmt1(x0-8), fmt1(cy+4.5), xmlEsc(r.Name))
		fmt.Fprintf(&marks, `<text x="%s" y="%s" text-anchor="end" class="val">%s</text>`, fmt1(float64(chartWidth)), fmt1(cy+4.5), xmlEsc(r.ShareText))
		y += rowH
	}
	xAxis(&s, x0, x1, top, y, hi, step, pctText)
	s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="axis"/>`, fmt1(x0), fmt1(top), fmt1(x0), fmt1(y))
	s.add(`<g class="labels-end">%s</g>`, marks.String())
	return svgChart{W: chartWidth, H: y + 22, Body: s.String(),
		Label: fmt.Sprintf("Bar chart: share of %s for %d rows, with 95%% intervals", what, len(rows))}
}

// stanceChart draws the stance split as one stacked bar (an "unclear" row
// last), then each stance's share with its interval.
func stanceChart(rows []shareRow, pal palette) svgChart {
	var s svgBuilder
	const barH = 34.0
	x0, x1 := 0.0, float64(chartWidth)
	// The stance split covers every row, an "unclear" row last. Shares of
	// the placed comments shrink to leave room for the unclear ones' share
	// of all comments.
	var split []shareRow
	placed, ofAll := 0.0, 0.0
	for _, apart := range []bool{false, true} {
		for _, r := range rows {
			if r.Apart != apart || math.IsNaN(r.Share) {
				continue
			}
			split = append(split, r)
			if r.OfAll {
				ofAll += r.Share
			} else {
				placed += r.Share
			}
		}
	}
	width := func(r shareRow) float64 {
		if r.OfAll {
			return r.Share
		}
		return r.Share / placed * math.Max(0, 1-ofAll)
	}
	x := x0
	for _, r := range split {
		if !(placed+ofAll > 0) {
			continue
		}
		if placed == 0 && !r.OfAll {
			continue
		}
		w := (x1 - x0) * width(r)
		cls := pal.class(r.Stance)
		s.add(`<rect x="%s" y="0" width="%s" height="%s" class="seg %s"><title>%s</title></rect>`,
			fmt1(x), fmt1(w), fmt1(barH), cls, xmlEsc(fmt.Sprintf("%s: %s (95%% CI %s), %s", r.Name, r.ShareText, r.CIText, formatCount(r.Count))))
		label := r.Name + " " + pctText(r.Share)
		if textWidth(label, fontLabel)+12 < w {
			s.text(x+8, barH/2+4.5, "", "seglab "+cls, label)
		} else if textWidth(pctText(r.Share), fontLabel)+8 < w {
			s.text(x+w/2, barH/2+4.5, "middle", "seglab "+cls, pctText(r.Share))
		}
		x += w
	}
	bars := barsChart(rows, pal, false, "comments")
	s.group(0, barH+14, bars.Body)
	return svgChart{W: chartWidth, H: barH + 14 + bars.H, Body: s.String(),
		Label: fmt.Sprintf("Stacked bar of the %d stances' shares, then each share with its 95%% interval", len(rows))}
}

// stripChart draws one row per argument with a dot per comment at its
// VADER compound, the middle half as a box and the mean as a tick.
func stripChart(points []point, order []shareRow, pal palette, maxDots int) svgChart {
	type group struct {
		id, name, stance string
		vals             []float64
		who              []string
	}
	var groups []*group
	byID := map[string]*group{}
	for _, r := range order {
		if r.Apart {
			continue
		}
		g := &group{id: r.ID, name: r.Name, stance: r.Stance}
		byID[r.ID] = g
		groups = append(groups, g)
	}
	for _, p := range points {
		g, ok := byID[p.ArgID]
		if !ok {
			g = &group{id: p.ArgID, name: p.Arg, stance: p.Stance}
			byID[p.ArgID] = g
			groups = append(groups, g)
		}
		g.vals = append(g.vals, p.Compound)
		g.who = append(g.who, p.Who)
	}
	if len(order) == 0 {
		// Most commented first, as in the argument table.
		slices.SortStableFunc(groups, func(a, b *group) int { return len(b.vals) - len(a.vals) })
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.name
	}
	var s svgBuilder
	lw := labelWidth(names, fontLabel, 80, 260)
	x0, x1 := lw, float64(chartWidth)-118
	xs := func(v float64) float64 { return x0 + (x1-x0)*(math.Max(-1, math.Min(1, v))+1)/2 }
	const rowH = 32.0
	top := 0.0
	y := top
	dots := len(points) <= maxDots
	var marks strings.Builder
	s.add(`<rect x="%s" y="%s" width="%s" height="%s" class="band0"/>`, fmt1(xs(-0.05)), fmt1(top), fmt1(xs(0.05)-xs(-0.05)), fmt1(rowH*float64(len(groups))))
	for _, g := range groups {
		cy := y + rowH/2
		cls := pal.class(g.stance)
		fmt.Fprintf(&marks, `<text x="%s" y="%s" text-anchor="end" class="lab">%s</text>`, fmt1(x0-8), fmt1(cy+4.5), xmlEsc(g.name))
		if len(g.vals) > 0 {
			q1, q3 := chartQuantile(g.vals, 0.25), chartQuantile(g.vals, 0.75)
			if !dots {
				lo, hi := xs(chartQuantile(g.vals, 0.05)), xs(chartQuantile(g.vals, 0.95))
				fmt.Fprintf(&marks, `<path d="M%s %sH%s" class="whisker"/>`, fmt1(lo), fmt1(cy), fmt1(hi))
			}
			fmt.Fprintf(&marks, `<rect x="%s" y="%s" width="%s" height="20" rx="2" class="box"/>`, fmt1(xs(q1)), fmt1(cy-10), fmt1(math.Max(xs(q3)-xs(q1), 1)))
			if dots {
				for i, v := range g.vals {
					jit := (math.Mod(float64(i)*0.6180339887, 1) - 0.5) * 16
					tip := fmt.Sprintf("%+.3f %s", v, g.name)
					if g.who[i] != "" {
						tip = g.who[i] + ": " + tip
					}
					fmt.Fprintf(&marks, `<circle cx="%s" cy="%s" r="3.6" class="dot %s"><title>%s</title></circle>`, fmt1(xs(v)), fmt1(cy+jit), cls, xmlEsc(tip))
				}
			}
			m := chartMean(g.vals)
			fmt.Fprintf(&marks, `<path d="M%s %sV%s" class="mean"><title>%s</title></path>`, fmt1(xs(m)), fmt1(cy-12), fmt1(cy+12), xmlEsc(fmt.Sprintf("mean %+.3f", m)))
			fmt.Fprintf(&marks, `<text x="%s" y="%s" class="val">%s</text>`, fmt1(x1+12), fmt1(cy+4.5), xmlEsc(fmt.Sprintf("%+.2f · n %d", m, len(g.vals))))
		} else {
			fmt.Fprintf(&marks, `<text x="%s" y="%s" class="val">%s</text>`, fmt1(x1+12), fmt1(cy+4.5), "n 0")
		}
		y += rowH
	}
	for _, v := range []float64{-1, -0.5, 0, 0.5, 1} {
		x := xs(v)
		cls := "grid"
		if v == 0 {
			cls = "axis"
		}
		s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="%s"/>`, fmt1(x), fmt1(top), fmt1(x), fmt1(y), cls)
		label := strconv.FormatFloat(v, 'f', -1, 64)
		if v > 0 {
			label = "+" + label
		}
		s.text(x, y+15, "middle", "tick", strings.Replace(label, "-", "−", 1))
	}
	s.text(x0, y+32, "start", "tick", "← negative")
	s.text((x0+x1)/2, y+32, "middle", "tick", "VADER compound")
	s.text(x1, y+32, "end", "tick", "positive →")
	s.add(`%s`, marks.String())
	return svgChart{W: chartWidth, H: y + 40, Body: s.String(),
		Label: fmt.Sprintf("Strip chart: sentiment of %d comments in %d arguments", len(points), len(groups))}
}

func chartMean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}

// quantile returns the q-quantile of xs by linear interpolation (type 7).
func chartQuantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	slices.Sort(s)
	h := q * float64(len(s)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-lo)*(s[i+1]-s[i])
}

// heatChart draws the exchange matrix: one cell per parent argument and
// reply stance, shaded by count, then the rebuttal rate with its interval.
func heatChart(d exchangeData, pal palette) svgChart {
	var s svgBuilder
	names := make([]string, len(d.Rows))
	maxC := 0.0
	for i, r := range d.Rows {
		names[i] = r.Name
		for _, c := range r.Cells {
			if !math.IsNaN(c) {
				maxC = math.Max(maxC, c)
			}
		}
	}
	lw := labelWidth(names, fontLabel, 80, 240) + 10
	const cellW, rowH, head = 66.0, 30.0, 44.0
	cx0 := lw
	rx0 := cx0 + cellW*float64(len(d.Stances)) + 34
	rx1 := float64(chartWidth) - 100
	s.text(cx0+cellW*float64(len(d.Stances))/2, 12, "middle", "tick", "Stance of the reply")
	for j, st := range d.Stances {
		x := cx0 + cellW*float64(j)
		s.add(`<rect x="%s" y="22" width="%s" height="4" class="key %s"/>`, fmt1(x+6), fmt1(cellW-12), pal.class(st))
		s.text(x+cellW/2, 40, "middle", "lab small", st)
	}
	s.text(rx0, 12, "start", "tick", "Rebuttal rate (95% CI)")
	xr := func(v float64) float64 { return rx0 + (rx1-rx0)*math.Max(0, math.Min(1, v)) }
	for _, v := range []float64{0, 0.5, 1} {
		s.add(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="grid"/>`, fmt1(xr(v)), fmt1(head), fmt1(xr(v)), fmt1(head+rowH*float64(len(d.Rows))))
		s.text(xr(v), 40, "middle", "tick", pctText(v))
	}
	y := head
	for _, r := range d.Rows {
		cy := y + rowH/2
		s.add(`<rect x="%s" y="%s" width="4" height="%s" class="key %s"/>`, fmt1(lw-12), fmt1(y+6), fmt1(rowH-12), pal.class(r.Stance))
		s.text(lw-18, cy+4.5, "end", "lab", r.Name)
		for j, c := range r.Cells {
			x := cx0 + cellW*float64(j)
			op := 0.0
			if maxC > 0 && !math.IsNaN(c) {
				op = c / maxC
			}
			txt := "num"
			if op > 0.55 {
				txt = "num on"
			}
			s.add(`<rect x="%s" y="%s" width="%s" height="%s" class="cell" fill-opacity="%s"><title>%s</title></rect>`,
				fmt1(x+1), fmt1(y+1), fmt1(cellW-2), fmt1(rowH-2), strconv.FormatFloat(math.Round((0.06+0.94*op)*100)/100, 'f', -1, 64),
				xmlEsc(fmt.Sprintf("%s → reply %s: %s", r.Name, d.Stances[j], r.CellText[j])))
			s.text(x+cellW/2, cy+4.5, "middle", txt, r.CellText[j])
		}
		if r.Replies > 0 && !math.IsNaN(r.Rate) {
			s.add(`<rect x="%s" y="%s" width="%s" height="10" class="rate"><title>%s</title></rect>`,
				fmt1(rx0), fmt1(cy-5), fmt1(xr(r.Rate)-rx0), xmlEsc(fmt.Sprintf("%s: rebuttal rate %s (95%% CI %s) of %s replies", r.Name, r.RateText, r.CIText, formatCount(r.Replies))))
			if r.CI.Valid() {
				lo, hi := xr(r.CI.Low), xr(r.CI.High)
				s.add(`<path d="M%s %sH%sM%s %sV%sM%s %sV%s" class="whisker"/>`, fmt1(lo), fmt1(cy), fmt1(hi), fmt1(lo), fmt1(cy-5), fmt1(cy+5), fmt1(hi), fmt1(cy-5), fmt1(cy+5))
			}
			s.text(float64(chartWidth), cy+4.5, "end", "val", r.RateText)
		} else {
			s.text(rx0, cy+4.5, "start", "tick", "no replies")
		}
		y += rowH
	}
	if d.Total.Name != "" || d.Total.Replies > 0 {
		s.add(`<line x1="0" y1="%s" x2="%s" y2="%s" class="rule"/>`, fmt1(y+4), fmt1(chartWidth), fmt1(y+4))
		cy := y + 4 + rowH/2
		s.text(lw-18, cy+4.5, "end", "lab strong", "Total")
		for j, t := range d.Total.CellText {
			s.text(cx0+cellW*float64(j)+cellW/2, cy+4.5, "middle", "lab strong", t)
		}
		if d.Total.Replies > 0 {
			s.text(rx0, cy+4.5, "start", "lab strong", fmt.Sprintf("%s of %s replies (%s)", d.Total.RateText, formatCount(d.Total.Replies), d.Total.CIText))
		}
		y += rowH + 4
	}
	return svgChart{W: chartWidth, H: y + 6, Body: s.String(),
		Label: fmt.Sprintf("Heat map of replies: %d parent arguments by %d reply stances, with rebuttal rates", len(d.Rows), len(d.Stances))}
}
