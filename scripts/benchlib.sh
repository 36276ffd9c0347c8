# benchlib.sh holds what the bench-*.sh scripts share. Source it from a
# script that has set dir (its work directory, with the helper binaries in
# $dir/bin) and root (the repository root); call its functions but abs_path
# once cd'ed to the root.

# abs_path FILE prints FILE's absolute path (FILE relative to the current
# directory): call it before cd'ing to the root.
abs_path() {
	echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

# build_shared_floor makes $shared (default: ../shared/bench next to the
# repository) absolute and builds its floor program and corpus generator
# into $dir/bin; without them the script stops with exit 2.
build_shared_floor() {
	shared="${shared:-$root/../shared/bench}"
	if [ ! -f "$shared/floor.go" ]; then
		echo "$(basename "$0"): no floor program in $shared (use --shared DIR)" >&2
		exit 2
	fi
	shared="$(cd "$shared" && pwd)"
	(cd "$shared" && go build -o "$dir/bin/floor" floor.go && go build -o "$dir/bin/mkcorpus" mkcorpus.go)
}

# build_bench builds the shared floor and corpus generator
# (build_shared_floor), scripts/peakrss and stance into $dir/bin, and with
# $baseline set stance as of that revision too (build_baseline).
build_bench() {
	echo "building (go build) into $dir/bin ..."
	build_shared_floor
	go build -o "$dir/bin/peakrss" ./scripts/peakrss
	go build -o "$dir/bin/stance" ./cmd/stance
	if [ -n "${baseline:-}" ]; then
		build_baseline "$baseline"
	fi
}

# shared_corpus N FORMATS sets corpus to $dir/shared-N and generates there
# with the shared mkcorpus N documents in FORMATS (comma-separated: jsonl
# is corpus.jsonl, ft train.ft) unless every file is there already.
shared_corpus() {
	corpus="$dir/shared-$1"
	local missing=0 f
	for f in ${2//,/ }; do
		case "$f" in
		jsonl) [ -s "$corpus/corpus.jsonl" ] || missing=1 ;;
		*) [ -s "$corpus/train.$f" ] || missing=1 ;;
		esac
	done
	if [ "$missing" = 1 ]; then
		echo "generating $1 documents (shared mkcorpus) ..."
		mkdir -p "$corpus"
		"$dir/bin/mkcorpus" -n "$1" -out "$corpus" -formats "$2" "$shared"/../seeds/*.txt >/dev/null
	fi
}

# setup_labeled N is the start of the scripts that train or evaluate on a
# labeled file (bench-train.sh, bench-eval.sh): it makes their --file
# ($file, if set) absolute, makes $dir/bin, cds to the root, builds the tools
# (build_bench) and the shared corpus of N documents with train.ft
# (shared_corpus).
setup_labeled() {
	if [ -n "${file:-}" ]; then
		file="$(abs_path "$file")"
	fi
	mkdir -p "$dir/bin"
	cd "$root"
	build_bench
	shared_corpus "$1" jsonl,ft
}

# build_baseline REV builds stance as of git revision REV, from git archive,
# into $dir/bin/stance-baseline: before/after figures in the same run.
build_baseline() {
	echo "building stance as of $1 ..."
	rm -rf "$dir/baseline-src"
	mkdir -p "$dir/baseline-src"
	git archive "$1" | tar -x -C "$dir/baseline-src"
	(cd "$dir/baseline-src" && go build -o "$dir/bin/stance-baseline" ./cmd/stance)
}

# measure LOG CMD... runs CMD (stdout to LOG.out, stderr to LOG) and prints
# "wall_s user_s sys_s peak_rss_kb" of it; rss_how says how the peak RSS is
# read: /usr/bin/time, or wait4's ru_maxrss through scripts/peakrss
# (which the script must have built into $dir/bin).
if [ -x /usr/bin/time ] && /usr/bin/time -f %e true >/dev/null 2>&1; then
	rss_how="/usr/bin/time"
	measure() {
		local log="$1"; shift
		/usr/bin/time -f 'TIME %e %U %S %M' "$@" 2>"$log" >"$log.out"
		awk '/^TIME / {print $2, $3, $4, $5}' "$log"
	}
else
	rss_how="wait4 ru_maxrss (scripts/peakrss)"
	measure() {
		local log="$1"; shift
		"$dir/bin/peakrss" "$@" 2>"$log" >"$log.out"
		awk '/^wall_seconds/ {print $2, $6, $8, $4}' "$log"
	}
fi
