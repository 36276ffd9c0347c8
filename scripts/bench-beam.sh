#!/usr/bin/env bash
# bench-beam.sh measures stance-beam on Prism against stance score, on the
# same corpus, in the same run.
#
#   scripts/bench-beam.sh              # 1,000,000 comments in 8 shards
#   scripts/bench-beam.sh -n 200000    # any size
#
# Options: -n N (comments), --shards N (input shards, default 8), --dir DIR
# (work directory, default ${TMPDIR:-/tmp}/stance-bench-beam; the corpus is
# kept there and reused), --table (also time stance-beam table --by
# argument and --by exchange against stance table).
#
# The corpus is scripts/gencorpus's (as scripts/bench-score.sh makes it),
# split into shards. stance score reads the shards in turn (one reader,
# scoring on every core); stance-beam score reads them with fileio, one
# shard per bundle, on Prism in-process (as many workers as cores), and
# writes 8 output shards after a GroupByKey. It prints comments/s of each,
# CPU seconds per million comments, and the overhead of Prism: how much
# more CPU per comment stance-beam spends than stance score.
set -euo pipefail

n=1000000
shards=8
dir="${TMPDIR:-/tmp}/stance-bench-beam"
table=0
while [ $# -gt 0 ]; do
	case "$1" in
	-n) n="$2"; shift ;;
	--shards) shards="$2"; shift ;;
	--dir) dir="$2"; shift ;;
	--table) table=1 ;;
	-h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-beam.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$dir/bin"
cd "$root"
echo "building into $dir/bin ..."
go build -o "$dir/bin/gencorpus" ./scripts/gencorpus
go build -o "$dir/bin/stance" ./cmd/stance
(cd beam && go build -o "$dir/bin/stance-beam" ./cmd/stance-beam)

corpus="$dir/corpus-$n"
if [ ! -s "$corpus/shard-00.jsonl" ]; then
	echo "generating $n comments in $shards shards ..."
	rm -rf "$corpus"
	mkdir -p "$corpus"
	"$dir/bin/gencorpus" -n "$n" -seed testdata/nyt-huawei-shared-values-2019-12-27.txt -o "$dir/all.jsonl"
	per=$(((n + shards - 1) / shards))
	split -d -a 2 -l "$per" --additional-suffix .jsonl "$dir/all.jsonl" "$corpus/shard-"
	rm "$dir/all.jsonl"
fi
size=$(du -sb "$corpus" | cut -f1)
echo "corpus: $corpus: $n comments in $shards shards, $((size / 1048576)) MB"
echo "machine: $(nproc) CPUs, $(go version | cut -d' ' -f3-)"
cat "$corpus"/*.jsonl >/dev/null

# timed LABEL CMD... runs CMD (stdout dropped, stderr to DIR/LABEL.log)
# and prints "wall user sys" seconds.
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
	echo "bench-beam.sh: needs GNU time (apt-get install time)" >&2
	exit 1
fi
timed() {
	local label="$1"; shift
	/usr/bin/time -f 'TIME %e %U %S' "$@" >/dev/null 2>"$dir/$label.log" || { cat "$dir/$label.log" >&2; exit 1; }
	awk '/^TIME / {print $2, $3, $4}' "$dir/$label.log"
}

report() {
	local label="$1" wall="$2" user="$3" sys="$4"
	awk -v l="$label" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" \
		'BEGIN {printf "  %-28s %8.0f comments/s  %6.1fs wall  %6.1f CPU s/M comments\n", l, n / w, w, (u + s) / n * 1e6}'
}

echo "stance score (all shards) ..."
read -r w1 u1 s1 < <(timed score "$dir/bin/stance" score --quiet -o "$dir/scored.jsonl" "$corpus"/*.jsonl)
report "stance score" "$w1" "$u1" "$s1"
echo "stance-beam score --runner prism ..."
rm -rf "$dir/beam-out"
read -r w2 u2 s2 < <(timed beam "$dir/bin/stance-beam" score --quiet --input "$corpus/*.jsonl" --output "$dir/beam-out/scored")
report "stance-beam score (Prism)" "$w2" "$u2" "$s2"
got=$(cat "$dir"/beam-out/scored-*.jsonl | wc -l)
[ "$got" = "$n" ] || { echo "stance-beam wrote $got records, want $n" >&2; cat "$dir/beam.log" >&2; exit 1; }
awk -v w1="$w1" -v w2="$w2" -v u1="$u1" -v s1="$s1" -v u2="$u2" -v s2="$s2" \
	'BEGIN {c1 = u1 + s1; c2 = u2 + s2; printf "Prism overhead: %.2fx the wall time, %.2fx the CPU per comment of stance score\n", w2 / w1, c2 / c1}'

if [ "$table" = 1 ]; then
	for by in argument exchange; do
		echo "table --by $by ..."
		read -r w u s < <(timed table "$dir/bin/stance" table --quiet --by "$by" -f json "$corpus"/*.jsonl)
		report "stance table --by $by" "$w" "$u" "$s"
		read -r w u s < <(timed btable "$dir/bin/stance-beam" table --quiet --by "$by" -f json --input "$corpus/*.jsonl")
		report "stance-beam table --by $by" "$w" "$u" "$s"
	done
fi
