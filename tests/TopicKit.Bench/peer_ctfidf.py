"""Peer of `TopicKit.Bench ctfidf`: BERTopic's c-TF-IDF formula with scikit-learn's CountVectorizer.

Same texts (the 2,000 arXiv "title. abstract" texts cycled to N), same archive labels, same stop list (the oracle's),
one joined document per class as BERTopic builds it, then ClassTfidfTransformer's formula and the top 10 terms per
class. Timed from texts in memory to keywords; prints one JSON line with the seconds of each pass.

usage: OPENBLAS_CORETYPE=SkylakeX python3 peer_ctfidf.py TEXTS.jsonl LABELS.csv ORACLE.json N REPEAT
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize


def keywords(texts, labels, stop_words, bm25):
    classes = sorted(set(labels))
    joined = {c: [] for c in classes}
    for text, label in zip(texts, labels):
        joined[label].append(text)
    documents = [" ".join(joined[c]) for c in classes]
    vectorizer = CountVectorizer(stop_words=stop_words)
    X = vectorizer.fit_transform(documents)
    words = vectorizer.get_feature_names_out()
    df = np.squeeze(np.asarray(X.sum(axis=0)))
    avg = int(X.sum(axis=1).mean())
    if bm25:
        idf = np.log(1 + ((avg - df + 0.5) / (df + 0.5)))
    else:
        idf = np.log((avg / df) + 1)
    X = normalize(X.astype(np.float64), axis=1, norm="l1", copy=False)
    if bm25:
        X.data = np.sqrt(X.data)
    X = X @ sp.diags(idf)
    X = X.toarray()
    result = {}
    for row, c in enumerate(classes):
        order = np.lexsort((words, -X[row]))[:10]
        result[c] = [(words[i], float(X[row, i])) for i in order]
    return result


def main():
    texts_path, labels_path, oracle_path, n, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    base = [json.loads(line) for line in open(texts_path, encoding="utf-8") if line.strip()]
    label_of = dict(line.strip().split(",", 1) for line in list(open(labels_path, encoding="utf-8"))[1:])
    texts = [base[i % len(base)]["text"] for i in range(n)]
    labels = [label_of[base[i % len(base)]["id"]] for i in range(n)]
    stop_words = json.load(open(oracle_path, encoding="utf-8"))["stop_words"]
    try:
        from threadpoolctl import threadpool_info
        blas = ";".join(f"{i.get('internal_api')}:{i.get('filepath')}" for i in threadpool_info())
    except ImportError:
        blas = "threadpoolctl not installed"
    seconds = []
    cpu_seconds = []
    top = None
    for _ in range(repeat):
        start = time.perf_counter()
        cpu = time.process_time()
        top = keywords(texts, labels, stop_words, False)
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu)
    first = {c: [w for w, _ in v] for c, v in top.items()}
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "blas": blas, "top": first}))


if __name__ == "__main__":
    main()
