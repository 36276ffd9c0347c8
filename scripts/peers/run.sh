#!/usr/bin/env bash
# run.sh compares `stance eval` with scikit-learn and fastText on the public sets that
# scripts/peers/fetch.sh makes, and prints one markdown table per set (see README.md).
#
#   scripts/peers/run.sh --data DATA                        # 20news, ukp, c3; stance built from this tree
#   scripts/peers/run.sh --data DATA --sets c3,ukp
#   scripts/peers/run.sh --data DATA --stance ./stance      # a stance binary already built
#   scripts/peers/run.sh --data DATA --rev HEAD             # stance as committed at HEAD (git archive)
#
# Options: --data DIR (holding <name>/{train,test}.ft), --sets LIST (default 20news,ukp,c3, in
# that order), --stance BIN (default: go build ./cmd/stance of this working tree into WORK/bin),
# --rev REV (build stance as of git revision REV instead), --methods LIST (any of
# stance,sklearn,fasttext; default all), --work DIR (outputs of every run; default
# ${TMPDIR:-/tmp}/stance-peers, emptied per set), --timeout S (per stance run, default 1800),
# --no-install (fail instead of running apt-get when a peer is missing).
#
# Peers, installed with `apt-get install -y python3-sklearn fasttext time` when missing, run by
# /usr/bin/python3: LinearSVC C=1 on TF-IDF (sublinear, min_df 2) of word 1-2 and 1-1 grams;
# MultinomialNB alpha 0.1 and 1, ComplementNB alpha 0.3 and 1, on counts of 1-1 and 1-2 grams;
# fastText supervised with its defaults and with -wordNgrams 2 -epoch 25. stance: eval with no
# flags (auto), --preset topic, --preset topic --bigrams, --preset default --binary --refine.
# One run at a time. Rows: stance, then sklearn, then fastText, always in this order.
#
# Times: stance and fastText, the wall time of the whole process(es) (fastText: train + predict);
# sklearn, vectorize + fit + predict inside one Python process (start-up and reading not
# counted). Peak RSS (/usr/bin/time -f %M) for stance only. The exit status is 1 when any run
# failed (its row says FAILED), 2 for bad arguments or a failed build.
set -euo pipefail

data=""
sets="20news,ukp,c3"
stance=""
rev=""
methods="stance,sklearn,fasttext"
work="${TMPDIR:-/tmp}/stance-peers"
timeout=1800
install=1
while [ $# -gt 0 ]; do
	case "$1" in
	--data) data="$2"; shift ;;
	--sets) sets="$2"; shift ;;
	--stance) stance="$2"; shift ;;
	--rev) rev="$2"; shift ;;
	--methods) methods="$2"; shift ;;
	--work) work="$2"; shift ;;
	--timeout) timeout="$2"; shift ;;
	--no-install) install=0 ;;
	-h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$data" ]; then
	echo "run.sh: --data DIR is required (scripts/peers/fetch.sh makes it; see --help)" >&2
	exit 2
fi
if [ -n "$stance" ] && [ -n "$rev" ]; then
	echo "run.sh: --stance and --rev exclude each other" >&2
	exit 2
fi
want() { case ",$methods," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
for m in ${methods//,/ }; do
	case "$m" in stance | sklearn | fasttext) ;; *) echo "run.sh: unknown method $m" >&2; exit 2 ;; esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python=/usr/bin/python3
peers="$here/peers.py"
data="$(cd "$data" && pwd)"
mkdir -p "$work/bin" "$work/runs" "$work/results"
work="$(cd "$work" && pwd)"

# --- the peers ------------------------------------------------------------------------------------
missing=()
[ -x /usr/bin/time ] || missing+=(time)
if want sklearn || want fasttext; then
	"$python" -c 'import sklearn' 2>/dev/null || missing+=(python3-sklearn)
fi
if want fasttext; then
	command -v fasttext >/dev/null || missing+=(fasttext)
fi
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$install" = 0 ]; then
		echo "run.sh: missing ${missing[*]} (apt-get install -y ${missing[*]}; or drop --no-install)" >&2
		exit 2
	fi
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	echo "installing ${missing[*]} (apt-get) ..." >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y "${missing[@]}" >&2 ||
		{ $sudo apt-get update >&2 && $sudo apt-get install -y "${missing[@]}" >&2; }
fi

# --- stance ---------------------------------------------------------------------------------------
if want stance; then
	if [ -n "$stance" ]; then
		stance="$(cd "$(dirname "$stance")" && pwd)/$(basename "$stance")"
		built="given binary $stance"
	elif [ -n "$rev" ]; then
		sha="$(git -C "$root" rev-parse --verify "$rev^{commit}")" || exit 2
		echo "building stance as of $rev (${sha:0:12}) into $work/bin ..." >&2
		rm -rf "$work/src"
		mkdir -p "$work/src"
		git -C "$root" archive "$sha" | tar -x -C "$work/src"
		(cd "$work/src" && go build -o "$work/bin/stance" ./cmd/stance) || exit 2
		stance="$work/bin/stance"
		built="git $rev = ${sha:0:12} ($(go version | cut -d' ' -f3))"
	else
		echo "building stance from $root into $work/bin ..." >&2
		(cd "$root" && go build -o "$work/bin/stance" ./cmd/stance) || exit 2
		stance="$work/bin/stance"
		sha="$(git -C "$root" rev-parse HEAD)"
		built="working tree at ${sha:0:12}"
		git -C "$root" diff --quiet HEAD -- . ':!scripts/peers' || built="$built with uncommitted changes"
		built="$built ($(go version | cut -d' ' -f3))"
	fi
fi

# --- the runs -------------------------------------------------------------------------------------
# stance_run SET KEY LABEL FLAGS...: one `stance eval` under /usr/bin/time and timeout.
stance_run() {
	local set="$1" key="$2" label="$3" rc=0 show=()
	shift 3
	local o="$work/runs/$set/stance-$key"
	[ "$key" = auto ] && show=(--show-options)
	echo "== $set: stance eval train.ft --test test.ft -f json $*" >&2
	/usr/bin/time -f '%e %M' -o "$o.time" timeout "$timeout" \
		"$stance" eval "$data/$set/train.ft" --test "$data/$set/test.ft" -f json "$@" >"$o.json" 2>"$o.err" || rc=$?
	"$python" "$peers" stance-row --set "$set" --method "$label" --json "$o.json" --err "$o.err" \
		--time "$o.time" --rc "$rc" --out "$res" "${show[@]}" ||
		"$python" "$peers" fail-row --set "$set" --method "$label" --why "unreadable output, see $o.*" --out "$res"
}

# fasttext_run SET KEY LABEL ARGS...: fasttext supervised, then predict on test.ft.
fasttext_run() {
	local set="$1" key="$2" label="$3" rc=0
	shift 3
	local o="$work/runs/$set/fasttext-$key"
	echo "== $set: fasttext supervised -input train.ft $*" >&2
	/usr/bin/time -f '%e %M' -o "$o.train.time" \
		fasttext supervised -input "$data/$set/train.ft" -output "$o" "$@" >"$o.log" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then
		/usr/bin/time -f '%e %M' -o "$o.predict.time" \
			fasttext predict "$o.bin" "$data/$set/test.ft" >"$o.pred" 2>>"$o.log" || rc=$?
	fi
	rm -f "$o.bin" "$o.vec"
	if [ "$rc" != 0 ]; then
		"$python" "$peers" fail-row --set "$set" --method "$label" --why "exit status $rc, see $o.log" --out "$res"
		return
	fi
	"$python" "$peers" fasttext-row --set "$set" --method "$label" --test "$data/$set/test.ft" --pred "$o.pred" \
		--times "$o.train.time,$o.predict.time" --out "$res" ||
		"$python" "$peers" fail-row --set "$set" --method "$label" --why "unreadable output, see $o.*" --out "$res"
}

IFS=, read -r -a names <<<"$sets"
# shellcheck disable=SC2016 # the backquotes in the row labels are markdown
for set in "${names[@]}"; do
	res="$work/results/$set.jsonl"
	rm -rf "$work/runs/$set"
	mkdir -p "$work/runs/$set"
	: >"$res"
	if [ ! -s "$data/$set/train.ft" ] || [ ! -s "$data/$set/test.ft" ]; then
		"$python" "$peers" fail-row --set "$set" --method "(data)" --why "no $data/$set/{train,test}.ft" --out "$res"
		continue
	fi
	if want stance; then
		stance_run "$set" auto 'stance auto (no flags)'
		stance_run "$set" topic 'stance `--preset topic`' --preset topic
		stance_run "$set" topic-bigrams 'stance `--preset topic --bigrams`' --preset topic --bigrams
		stance_run "$set" nbsvm 'stance `--preset default --binary --refine` (NBSVM)' --preset default --binary --refine
	fi
	if want sklearn; then
		echo "== $set: scikit-learn peers" >&2
		rc=0
		"$python" "$peers" sklearn --data "$data" --set "$set" --out "$res" \
			2> >(tee "$work/runs/$set/sklearn.err" >&2) || rc=$?
		if [ "$rc" != 0 ]; then
			"$python" "$peers" fail-row --set "$set" --method "scikit-learn (the rest)" \
				--why "exit status $rc, see $work/runs/$set/sklearn.err" --out "$res"
		fi
	fi
	if want fasttext; then
		fasttext_run "$set" default 'fastText (defaults)'
		fasttext_run "$set" ng2e25 'fastText `-wordNgrams 2 -epoch 25`' -wordNgrams 2 -epoch 25
	fi
done

# --- the tables -----------------------------------------------------------------------------------
echo "## stance against scikit-learn and fastText"
echo
want stance && echo "- stance: $built"
if want sklearn || want fasttext; then
	echo "- scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)') (python $("$python" -c 'import platform; print(platform.python_version())'))$(want fasttext && echo ", fastText $(dpkg-query -W -f '${Version}' fasttext 2>/dev/null || echo '(version unknown)')")"
fi
echo "- $(nproc) cores; data $data; every run's output in $work/runs"
rc=0
"$python" "$peers" table --results "$work/results" --sets "$sets" || rc=$?
exit "$rc"
