package classify

// Taxonomy is the set of arguments a model labels, with their stances.
type Taxonomy struct {
	// Subject is what the debate is about.
	Subject string `json:"subject"`
	// Stances lists the stances, for example for, against, neutral.
	Stances []string `json:"stances"`
	// Arguments are the classes.
	Arguments []Argument `json:"arguments"`
	// Fallback is the argument id used when the classifier abstains.
	Fallback string `json:"fallback,omitempty"`
}

// Argument is one class of a taxonomy.
type Argument struct {
	// ID is the class label, for example "state-control".
	ID string `json:"id"`
	// Name is the human name shown in tables.
	Name string `json:"name"`
	// Description says what comments of this argument claim.
	Description string `json:"description,omitempty"`
	// Stance is one of the taxonomy's stances.
	Stance string `json:"stance,omitempty"`
	// Cues are typical phrases, learned as small-weight pseudo-documents.
	Cues []string `json:"cues,omitempty"`
}
