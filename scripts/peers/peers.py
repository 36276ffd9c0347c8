#!/usr/bin/python3
"""The Python half of scripts/peers (fetch.sh and run.sh call it; see README.md there).

  peers.py convert --raw DIR --out DIR [--sets 20news,ukp,c3]
      the raw files -> OUT/<name>/{train,test}.ft (standard library only)
  peers.py sklearn --data DIR --set NAME --out FILE
      the scikit-learn peers on DATA/NAME/{train,test}.ft; appends one JSON row per method to FILE
  peers.py fasttext-row --set NAME --method M --test FILE --pred FILE --times F1,F2 --out FILE
      accuracy and macro-F1 of `fasttext predict` output against the test labels; appends a row
  peers.py stance-row --set NAME --method M --json FILE --err FILE --time FILE --rc N --out FILE
      a row from `stance eval -f json` and its `/usr/bin/time -f '%e %M'` file
  peers.py fail-row --set NAME --method M --why TEXT --out FILE
  peers.py table --results DIR --sets 20news,ukp,c3
      one markdown table per set from DIR/<name>.jsonl, rows in file order

Every row is a JSON object: set, method, accuracy, macro_f1, seconds, rss_mb (stance only), ok, why.
"""
import argparse
import collections
import csv
import io
import json
import os
import random
import sys
import time
import zipfile

# --------------------------------------------------------------------------------------------------
# convert: exactly the earlier helper's conversion (the six files are byte-identical to it; fetch.sh
# checks their SHA-256).

UKP_TOPICS = ['abortion', 'cloning', 'death_penalty', 'gun_control', 'marijuana_legalization',
              'minimum_wage', 'nuclear_energy', 'school_uniforms']


def clean(s):
    """Every run of whitespace (newlines included; str.split's notion) becomes one space."""
    return ' '.join(s.split())


def write(out, name, split, rows, seed=None):
    os.makedirs(os.path.join(out, name), exist_ok=True)
    rows = list(rows)
    if seed is not None:
        random.Random(seed).shuffle(rows)
    path = os.path.join(out, name, f'{split}.ft')
    with open(path + '.tmp', 'w', encoding='utf-8') as f:
        for label, text in rows:
            assert ' ' not in label and '__label__' not in text, (label, text[:80])
            f.write(f'__label__{label} {text}\n')
    os.replace(path + '.tmp', path)
    c = collections.Counter(l for l, _ in rows)
    print(f'{name}/{split}.ft: {len(rows)} docs; ' + ', '.join(f'{k} {v}' for k, v in sorted(c.items())),
          flush=True)


def need(path):
    if not os.path.exists(path):
        sys.exit(f'peers.py convert: missing {path} (see fetch.sh --help for the raw layout)')
    return path


def read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


def news20(raw, out):
    """RAW/20news-bydate-{train,test}/<group>/<id>: every file whose name is all digits, decoded as
    latin-1 (as sklearn's fetch_20newsgroups does), headers, signatures and quotes kept. Rows in
    byte order of group then file name (git's tree order, which the first conversion read), then
    train shuffled with seed 1; test kept in that order."""
    for split in ('train', 'test'):
        top = need(os.path.join(raw, f'20news-bydate-{split}'))
        rows = []
        for group in sorted(os.listdir(top)):
            gdir = os.path.join(top, group)
            if not os.path.isdir(gdir):
                continue
            for fn in sorted(os.listdir(gdir)):
                p = os.path.join(gdir, fn)
                if fn.isdigit() and os.path.isfile(p):
                    rows.append((group, clean(read_bytes(p).decode('latin-1'))))
        write(out, '20news', split, rows, seed=1 if split == 'train' else None)


def ukp(raw, out):
    """RAW/<topic>.tsv, the eight completed UKP files: the official in-topic `set` column, train +
    val -> train.ft (shuffled, seed 1), test -> test.ft; text "<topic>: <sentence>"."""
    train, test = [], []
    for topic in UKP_TOPICS:
        data = read_bytes(need(os.path.join(raw, f'{topic}.tsv')))
        for r in csv.DictReader(io.StringIO(data.decode('utf-8')), delimiter='\t', quoting=csv.QUOTE_NONE):
            text = clean(r['sentence'])
            if not text:
                continue
            row = (r['annotation'], f"{r['topic']}: {text}")
            (test if r['set'] == 'test' else train).append(row)
    write(out, 'ukp', 'train', train, seed=1)
    write(out, 'ukp', 'test', test)


def c3(raw, out):
    """RAW/C3_anonymized.csv (or RAW/archive.zip holding it): label constructive_binary, text
    comment_text; no official split, so a stratified 80/20 one: each class's comments shuffled by one
    random.Random(20240601) (classes in sorted order), the first 20% to test; then train shuffled with
    seed 1 and test with seed 2."""
    csv_path, zip_path = os.path.join(raw, 'C3_anonymized.csv'), os.path.join(raw, 'archive.zip')
    if os.path.exists(csv_path):
        data = read_bytes(csv_path)
    elif os.path.exists(zip_path):
        data = zipfile.ZipFile(zip_path).read('C3_anonymized.csv')
    else:
        need(csv_path)
    by = collections.defaultdict(list)
    for r in csv.DictReader(io.StringIO(data.decode('utf-8'))):
        lab = {'1.0': 'constructive', '0.0': 'not_constructive'}[r['constructive_binary']]
        text = clean(r['comment_text'])
        if text:
            by[lab].append(text)
    rng = random.Random(20240601)
    train, test = [], []
    for lab in sorted(by):
        docs = by[lab]
        rng.shuffle(docs)
        k = round(len(docs) * 0.2)
        test += [(lab, t) for t in docs[:k]]
        train += [(lab, t) for t in docs[k:]]
    write(out, 'c3', 'train', train, seed=1)
    write(out, 'c3', 'test', test, seed=2)


CONVERT = {'20news': news20, 'ukp': ukp, 'c3': c3}

# --------------------------------------------------------------------------------------------------
# rows


def append(path, row):
    row.setdefault('ok', True)
    with open(path, 'a', encoding='utf-8') as f:
        f.write(json.dumps(row) + '\n')
    if row['ok']:
        rss = f", {row['rss_mb']:.0f} MB" if row.get('rss_mb') is not None else ''
        print(f"  {row['set']} {row['method']}: accuracy {row['accuracy']:.4f}, macro-F1 {row['macro_f1']:.4f}, "
              f"{row['seconds']:.1f} s{rss}", file=sys.stderr, flush=True)
    else:
        print(f"  {row['set']} {row['method']}: FAILED ({row['why']})", file=sys.stderr, flush=True)


def read_ft(path):
    ys, xs = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            lab, _, text = line.rstrip('\n').partition(' ')
            ys.append(lab[len('__label__'):])
            xs.append(text)
    return xs, ys


def sklearn_peers(a):
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.naive_bayes import ComplementNB, MultinomialNB
    from sklearn.svm import LinearSVC

    Xtr, ytr = read_ft(os.path.join(a.data, a.set, 'train.ft'))
    Xte, yte = read_ft(os.path.join(a.data, a.set, 'test.ft'))
    methods = []
    for ng in [(1, 2), (1, 1)]:
        methods.append((f'LinearSVC C=1, tfidf sublinear min_df=2, ngrams {ng}',
                        lambda ng=ng: TfidfVectorizer(sublinear_tf=True, ngram_range=ng, min_df=2),
                        lambda: LinearSVC(C=1)))
    for ng in [(1, 1), (1, 2)]:
        for cls, alpha in [(MultinomialNB, 0.1), (MultinomialNB, 1.0), (ComplementNB, 0.3), (ComplementNB, 1.0)]:
            methods.append((f'{cls.__name__} alpha={alpha:g}, counts, ngrams {ng}',
                            lambda ng=ng: CountVectorizer(ngram_range=ng),
                            lambda cls=cls, alpha=alpha: cls(alpha=alpha)))
    for label, vec, clf in methods:
        t0 = time.perf_counter()
        v = vec()
        A = v.fit_transform(Xtr)
        B = v.transform(Xte)
        p = clf().fit(A, ytr).predict(B)
        dt = time.perf_counter() - t0
        append(a.out, dict(set=a.set, method=label, accuracy=accuracy_score(yte, p),
                           macro_f1=f1_score(yte, p, average='macro'), seconds=dt, features=A.shape[1]))


def time_file(path):
    """(seconds, peak RSS in MB) from `/usr/bin/time -f '%e %M' -o PATH` (its last line; a line
    before it says so when the command exited non-zero)."""
    with open(path) as f:
        last = f.read().strip().splitlines()[-1].split()
    return float(last[0]), int(last[1]) / 1024


def fasttext_row(a):
    from sklearn.metrics import accuracy_score, f1_score
    _, gold = read_ft(a.test)
    with open(a.pred, encoding='utf-8') as f:
        pred = [l.strip() for l in f]
    pred = [p[len('__label__'):] if p.startswith('__label__') else p for p in pred]
    if len(pred) != len(gold):
        return fail(a, f'{len(pred)} predictions for {len(gold)} test documents')
    times = [time_file(t) for t in a.times.split(',')]
    append(a.out, dict(set=a.set, method=a.method, accuracy=accuracy_score(gold, pred),
                       macro_f1=f1_score(gold, pred, average='macro'), seconds=sum(s for s, _ in times),
                       rss_mb_fasttext=max(m for _, m in times)))


def stance_row(a):
    if a.rc != 0:
        return fail(a, f'exit status {a.rc}' + (' (timeout)' if a.rc == 124 else '') + f'; see {a.err}')
    with open(a.json) as f:
        j = json.load(f)
    secs, rss = time_file(a.time)
    method = a.method
    if a.show_options:
        opts = ' '.join(o for o in j.get('options', '').split() if not o.startswith('temperature='))
        method += f' → `{opts}`'
    append(a.out, dict(set=a.set, method=method, accuracy=j['accuracy'], macro_f1=j['macro_f1'],
                       seconds=secs, rss_mb=rss, options=j.get('options'), model=j.get('model')))


def fail(a, why):
    append(a.out, dict(set=a.set, method=a.method, ok=False, why=why))


def fail_row(a):
    fail(a, a.why)

# --------------------------------------------------------------------------------------------------
# table


def table(a):
    bad = 0
    for name in a.sets.split(','):
        path = os.path.join(a.results, f'{name}.jsonl')
        rows = []
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                rows = [json.loads(l) for l in f if l.strip()]
        ok = [r for r in rows if r['ok']]
        best_a = max((round(r['accuracy'], 4) for r in ok), default=None)
        best_f = max((round(r['macro_f1'], 4) for r in ok), default=None)
        print(f'\n### {name}\n')
        print('| method | accuracy | macro-F1 | wall s | peak RSS MB |')
        print('|---|---:|---:|---:|---:|')
        for r in rows:
            if not r['ok']:
                bad += 1
                print(f"| {r['method']}: {r['why']} | FAILED | | | |")
                continue
            acc, f1 = f"{r['accuracy']:.4f}", f"{r['macro_f1']:.4f}"
            acc = f'**{acc}**' if round(r['accuracy'], 4) == best_a else acc
            f1 = f'**{f1}**' if round(r['macro_f1'], 4) == best_f else f1
            rss = f"{r['rss_mb']:.0f}" if r.get('rss_mb') is not None else ''
            print(f"| {r['method']} | {acc} | {f1} | {r['seconds']:.1f} | {rss} |")
        if not rows:
            bad += 1
            print('| (no results) | | | | |')
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('convert')
    c.add_argument('--raw', required=True)
    c.add_argument('--out', required=True)
    c.add_argument('--sets', default='20news,ukp,c3')
    s = sub.add_parser('sklearn')
    s.add_argument('--data', required=True)
    s.add_argument('--set', required=True)
    s.add_argument('--out', required=True)
    f = sub.add_parser('fasttext-row')
    for k in ('--set', '--method', '--test', '--pred', '--times', '--out'):
        f.add_argument(k, required=True)
    r = sub.add_parser('stance-row')
    for k in ('--set', '--method', '--json', '--err', '--time', '--out'):
        r.add_argument(k, required=True)
    r.add_argument('--rc', type=int, required=True)
    r.add_argument('--show-options', action='store_true', help="append the options stance chose (auto)")
    x = sub.add_parser('fail-row')
    for k in ('--set', '--method', '--why', '--out'):
        x.add_argument(k, required=True)
    t = sub.add_parser('table')
    t.add_argument('--results', required=True)
    t.add_argument('--sets', required=True)
    a = p.parse_args()
    if a.cmd == 'convert':
        for name in a.sets.split(','):
            if name not in CONVERT:
                sys.exit(f'peers.py convert: unknown set {name!r} (20news, ukp, c3)')
        for name in a.sets.split(','):
            CONVERT[name](a.raw, a.out)
        return 0
    if a.cmd == 'table':
        return table(a)
    {'sklearn': sklearn_peers, 'fasttext-row': fasttext_row, 'stance-row': stance_row, 'fail-row': fail_row}[a.cmd](a)
    return 0


if __name__ == '__main__':
    sys.exit(main())
