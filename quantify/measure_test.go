package quantify

import (
	"flag"
	"fmt"
	"testing"
)

var (
	measure      = flag.Bool("measure", false, "print APP figures on synthetic classifiers (slow)")
	measureQuick = flag.Bool("measure-quick", false, "with -measure: the methods at their defaults only")
)

// TestMeasureAPP prints the APP figures of every method on synthetic
// classifiers, with and without a shift between the held-out calibration
// and the test pool, for several row caps of the Bayesian model:
//
//	go test ./quantify -run TestMeasureAPP -measure -v
func TestMeasureAPP(t *testing.T) {
	if !*measure {
		t.Skip("use -measure")
	}
	for _, sc := range []struct {
		name              string
		k, sym, L         int
		sharp, shift      float64
		calN, poolN, seed int
	}{
		{"k3 weak, no shift", 3, 12, 2, 2, 0, 2000, 5000, 1},
		{"k3 weak, shift 0.3", 3, 12, 2, 2, 0.3, 2000, 5000, 1},
		{"k3 strong, shift 0.3", 3, 12, 4, 3, 0.3, 2000, 5000, 2},
		{"k8 weak, shift 0.3", 8, 24, 3, 3, 0.3, 2000, 5000, 3},
		{"k8 small calib, shift 0.3", 8, 24, 3, 3, 0.3, 200, 5000, 4},
	} {
		sy := newSynth(sc.k, sc.sym, sc.L, sc.sharp, uint64(sc.seed))
		calItems := sy.items(sc.calN, uniform(sc.k), sy.E)
		emit := sy.E
		if sc.shift > 0 {
			emit = sy.shifted(sc.shift)
		}
		pool := sy.items(sc.poolN, uniform(sc.k), emit)
		cal := CalibrationFromItems(calItems, sc.k)
		acc := 0
		for _, it := range pool {
			if it.True == it.Pred {
				acc++
			}
		}
		fmt.Printf("\n%s: test accuracy %.3f\n", sc.name, float64(acc)/float64(len(pool)))
		opt := APPOptions{Samples: 100, Size: 500, Seed: 1, Estimate: Options{Bootstrap: 100, Draws: 500, Burn: 100}}
		if *measureQuick {
			opt.Methods = []Method{ACC, Bayes}
			opt.Estimate = Options{}
		}
		scores, err := APP(cal, pool, sc.k, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range scores {
			fmt.Printf("  %-6s mae %.3f coverage %.3f width %.3f\n", s.Method, s.MAE, s.Coverage, s.Width)
		}
		if *measureQuick {
			continue
		}
		for _, rc := range []float64{-1, 100, 50, 20, 10} {
			for _, joint := range []bool{false, true} {
				o := opt
				o.Methods = []Method{Bayes}
				o.Estimate.RowCap = rc
				o.Estimate.Joint = joint
				scores, _ := APP(cal, pool, sc.k, o)
				s := scores[0]
				fmt.Printf("  bayes rowcap %4v joint %-5v mae %.3f coverage %.3f width %.3f\n", rc, joint, s.MAE, s.Coverage, s.Width)
			}
		}
	}
}
