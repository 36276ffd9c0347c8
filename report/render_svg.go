package report

import (
	"fmt"
	"io"
	"strings"
)

// svgRenderer writes the one chart of a table as a standalone SVG file,
// for slides and papers: the title above, the caption (input, model,
// weighting, intervals) below, light colours, no script.
type svgRenderer struct{}

func (svgRenderer) Render(w io.Writer, t *Table) error {
	p := NewPage(t)
	secs := p.sections()
	if len(secs) == 0 {
		return fmt.Errorf("report: no chart for the %s table", t.Kind)
	}
	s := secs[0]
	css, err := pageFiles.ReadFile("html/chart.css")
	if err != nil {
		return fmt.Errorf("write svg: %w", err)
	}
	const pad = 16.0
	dek := wrapWords(s.Dek, int(s.chart.W/(fontSmall*0.56)))
	head := 36 + 16*float64(len(dek)) + 12
	var lines []string
	for _, l := range t.Caption.Lines(t.Title) {
		lines = append(lines, wrapWords(l, int(s.chart.W/(fontSmall*0.56)))...)
	}
	foot := 18*float64(len(lines)) + 14
	W, H := s.chart.W+2*pad, head+s.chart.H+foot+pad
	var b svgBuilder
	b.add(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="%s" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">`,
		xmlEsc(s.ID), fmt1(W), fmt1(H), fmt1(W), fmt1(H), xmlEsc(s.Title+". "+s.chart.Label))
	b.add("\n<style>\n%s:root { font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \"Liberation Sans\", sans-serif; }\n</style>\n", css)
	b.add(`<rect width="100%%" height="100%%" fill="#ffffff"/>`)
	b.text(pad, 26, "start", "strong title", s.Title)
	for i, l := range dek {
		b.text(pad, 48+16*float64(i), "start", "tick", l)
	}
	b.group(pad, head, s.chart.Body)
	y := head + s.chart.H + 22
	for _, l := range lines {
		b.text(pad, y, "start", "tick", l)
		y += 18
	}
	b.add("</svg>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write svg: %w", err)
	}
	return nil
}

// wrap breaks s into lines of at most n runes, at spaces.
func wrapWords(s string, n int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > n {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
