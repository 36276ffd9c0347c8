package comments

import (
	"strings"
	"time"
)

// Comment is one reader comment. Its JSON form uses snake_case keys.
type Comment struct {
	// ID is the source's ID, else c1..cN in input order.
	ID string `json:"id"`
	// Author is the commenter's display name.
	Author string `json:"author,omitempty"`
	// Location is the commenter's declared location.
	Location string `json:"location,omitempty"`
	// Text is the body as written, paragraphs kept.
	Text string `json:"text"`
	// ReplyTo is the name after a leading "@", when the body starts with one.
	ReplyTo string `json:"reply_to,omitempty"`
	// ParentID is the ID of the comment this one answers; empty for top level.
	ParentID string `json:"parent,omitempty"`
	// Depth is 0 for a top-level comment, parent's depth + 1 for a reply.
	Depth int `json:"depth"`
	// Recommendations is the readers' recommendation count, where known.
	Recommendations int `json:"recommendations,omitempty"`
	// EditorsPick is true for an NYT/Times pick.
	EditorsPick bool `json:"editors_pick,omitempty"`
	// Created is the creation time, where the source has it.
	Created time.Time `json:"created,omitzero"`
	// ThreadID is the thread key (articleID, link_id), where the source has one.
	ThreadID string `json:"thread,omitempty"`
	// Source is "file:line" of the record's first line.
	Source string `json:"source,omitempty"`
	// Extra carries the input's fields that stance does not use.
	Extra map[string]any `json:"extra,omitempty"`
}

// Body returns the text without a leading "@Name" (the ReplyTo name) and
// the spaces after it. This is what classifiers should see.
func (c *Comment) Body() string {
	t := c.Text
	if c.ReplyTo == "" {
		return t
	}
	s := strings.TrimLeft(t, " \t")
	if p := "@" + c.ReplyTo; strings.HasPrefix(s, p) {
		return strings.TrimLeft(s[len(p):], " \t:,")
	}
	return t
}

// Thread describes the article a comment thread belongs to, where the input
// declares it.
type Thread struct {
	// Title is the article title.
	Title string `json:"title,omitempty"`
	// Date is the article date.
	Date time.Time `json:"date,omitzero"`
	// Declared is the comment count the page declares; 0 when unknown.
	Declared int `json:"declared,omitempty"`
}

// Reader reads comments one at a time. Read returns io.EOF after the last.
type Reader interface {
	Read() (*Comment, error)
}
