"""FAISS peer of `TopicKit.Bench dupes`: exact IndexFlatIP k-NN self-search, pairs with inner product >= threshold.

Usage: OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 faiss_dupes.py X.npy THRESHOLD K THREADS OUT_PAIRS.txt
Prints one JSON line: search seconds (the timed part: index.search only), pair count, BLAS libraries loaded.
"""
import json
import sys
import time

import faiss
import numpy as np
from threadpoolctl import threadpool_info

path, threshold, k, threads, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
faiss.omp_set_num_threads(threads)
x = np.ascontiguousarray(np.load(path).astype(np.float32))
index = faiss.IndexFlatIP(x.shape[1])
index.add(x)
start = time.perf_counter()
scores, ids = index.search(x, k)
seconds = time.perf_counter() - start
pairs = set()
rows, cols = np.nonzero(scores >= threshold)
for r, c in zip(rows.tolist(), cols.tolist()):
    j = int(ids[r, c])
    if j >= 0 and j != r:
        pairs.add((min(r, j), max(r, j)))
with open(out, "w") as f:
    for a, b in sorted(pairs):
        f.write(f"{a} {b}\n")
blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')} ({i.get('filepath')})"
        for i in threadpool_info() if i.get("user_api") == "blas"]
print(json.dumps({"seconds": seconds, "pairs": len(pairs), "blas": blas, "faiss": faiss.__version__}))
