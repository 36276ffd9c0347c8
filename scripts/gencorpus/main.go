// Command gencorpus writes a synthetic corpus of reader comments in JSON
// Lines, shaped like the public NYT comments dataset (commentID, articleID,
// userDisplayName, userLocation, recommendations, createDate, commentBody,
// ...), for benchmarking `stance score`.
//
// The bodies are resampled from real text: the sentences of the seed thread
// (a real NYT comment thread), drawn at random and joined until the record
// reaches its length. Records average about 580 bytes. The output is
// deterministic for the same flags.
//
// Usage:
//
//	go run ./scripts/gencorpus -n 200000 -o corpus.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
)

func main() {
	n := flag.Int("n", 200_000, "number of comments")
	out := flag.String("o", "-", "output `FILE` (- for stdout)")
	seed := flag.String("seed", "testdata/nyt-huawei-shared-values-2019-12-27.txt", "real comment thread (NYT text layout) to resample")
	size := flag.Int("size", 580, "mean record size in bytes")
	rnd := flag.Uint64("rand", 1, "random seed")
	flag.Parse()
	if err := run(*n, *out, *seed, *size, *rnd); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

var header = regexp.MustCompile(`^(.{1,60}) \(([^()]{0,60})\)$`)

// sentenceEnd ends a sentence: ., ! or ? (and closing quotes) then a space.
var sentenceEnd = regexp.MustCompile(`[.!?]["”’)]*\s+`)

type person struct{ name, location string }

// material is what the seed thread gives: authors and sentences.
type material struct {
	people       []person
	sentences    []string
	meanSentence int
}

func readSeed(path string) (*material, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := &material{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if h := header.FindStringSubmatch(line); h != nil {
			m.people = append(m.people, person{h[1], h[2]})
			continue
		}
		if len(line) < 40 {
			continue // title, date, counts
		}
		rest := line
		for rest != "" {
			s := rest
			if loc := sentenceEnd.FindStringIndex(rest); loc != nil {
				s, rest = rest[:loc[1]], rest[loc[1]:]
			} else {
				rest = ""
			}
			s = strings.TrimSpace(s)
			if strings.HasPrefix(s, "@") || len(s) < 15 {
				continue // a reply's mention, or a fragment
			}
			m.sentences = append(m.sentences, s)
		}
	}
	if len(m.people) == 0 || len(m.sentences) == 0 {
		return nil, errors.New(path + ": no comments found (want the NYT text layout)")
	}
	total := 0
	for _, s := range m.sentences {
		total += len(s) + 1
	}
	m.meanSentence = total / len(m.sentences)
	return m, nil
}

// record is one comment in the NYT dataset's shape.
type record struct {
	CommentID        int64  `json:"commentID"`
	ArticleID        string `json:"articleID"`
	ParentID         int64  `json:"parentID"`
	Depth            int    `json:"depth"`
	CommentType      string `json:"commentType"`
	UserDisplayName  string `json:"userDisplayName"`
	UserLocation     string `json:"userLocation"`
	UserID           int64  `json:"userID"`
	Recommendations  int    `json:"recommendations"`
	ReplyCount       int    `json:"replyCount"`
	EditorsSelection bool   `json:"editorsSelection"`
	CreateDate       int64  `json:"createDate"`
	ApproveDate      int64  `json:"approveDate"`
	SectionName      string `json:"sectionName"`
	Status           string `json:"status"`
	CommentBody      string `json:"commentBody"`
}

var sections = []string{"Europe", "Asia Pacific", "Politics", "Technology", "Economy", "Opinion"}

func run(n int, out, seed string, size int, rs uint64) error {
	m, err := readSeed(seed)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(rs, 0x5eed))
	var w io.Writer = os.Stdout
	var f *os.File
	if out != "-" {
		if f, err = os.Create(out); err != nil {
			return err
		}
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)

	var (
		article   string
		left      int   // comments left in the current article
		date      int64 = 1577404800
		commentID int64 = 43_000_000
		recent    []record
	)
	var body strings.Builder
	var written int64
	for i := range n {
		if left == 0 {
			article = fmt.Sprintf("5e%08x%014x", rng.Uint32(), rng.Uint64()&(1<<56-1))
			left = 20 + rng.IntN(600)
			recent = recent[:0]
			date += int64(rng.IntN(7200))
		}
		left--
		commentID += 1 + int64(rng.IntN(5))
		date += int64(rng.IntN(90))
		p := m.people[rng.IntN(len(m.people))]
		r := record{
			CommentID: commentID, ArticleID: article, CommentType: "comment",
			UserDisplayName: p.name, UserLocation: p.location, UserID: 10_000_000 + int64(rng.IntN(80_000_000)),
			Recommendations: int(rng.ExpFloat64() * 25), EditorsSelection: rng.IntN(50) == 0,
			CreateDate: date, ApproveDate: date + int64(rng.IntN(3600)),
			SectionName: sections[rng.IntN(len(sections))], Status: "approved",
		}
		body.Reset()
		if len(recent) > 0 && rng.IntN(4) == 0 {
			parent := recent[rng.IntN(len(recent))]
			r.ParentID, r.Depth, r.CommentType = parent.CommentID, 2, "userReply"
			body.WriteString("@" + parent.UserDisplayName + " ")
		} else {
			r.Depth = 1
			r.ReplyCount = rng.IntN(4)
		}
		// The body fills the record to its size: a spread around the mean.
		fixed, _ := json.Marshal(r)
		// The last sentence overshoots the target by half a sentence on average.
		// Written minus planned bytes so far steer the mean to size.
		drift := (written - int64(i)*int64(size)) / 16
		target := int(float64(size)*(0.5+rng.Float64())) - len(fixed) - m.meanSentence/2 - int(max(-200, min(200, drift)))
		target = max(target, 1)
		for body.Len() < target {
			if body.Len() > 0 && !strings.HasSuffix(body.String(), " ") {
				body.WriteByte(' ')
			}
			body.WriteString(m.sentences[rng.IntN(len(m.sentences))])
		}
		r.CommentBody = body.String()
		line, err := json.Marshal(&r)
		if err != nil {
			return err
		}
		bw.Write(line)
		bw.WriteByte('\n')
		written += int64(len(line) + 1)
		if len(recent) < 64 {
			recent = append(recent, r)
		} else {
			recent[rng.IntN(len(recent))] = r
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		return f.Close()
	}
	return nil
}
