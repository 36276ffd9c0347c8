package training

import (
	_ "embed"
	"sync"

	"github.com/stance-dev/stance/classify"
)

//go:embed default/huawei.toml
var huaweiTOML []byte

// DefaultTaxonomyTOML returns the source of the default Huawei taxonomy.
func DefaultTaxonomyTOML() []byte { return append([]byte(nil), huaweiTOML...) }

var defaultTaxonomy = sync.OnceValue(func() *classify.Taxonomy {
	t, err := ParseTaxonomy("default/huawei.toml", huaweiTOML)
	if err != nil {
		panic("training: embedded taxonomy: " + err.Error())
	}
	return t
})

// DefaultTaxonomy returns a copy of the default Huawei taxonomy.
func DefaultTaxonomy() *classify.Taxonomy { return cloneTaxonomy(defaultTaxonomy()) }
