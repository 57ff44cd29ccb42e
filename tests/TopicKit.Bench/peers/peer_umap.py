#!/usr/bin/python3
"""umap-learn to 2-D on one .npy (euclidean unless --metric, 15 neighbours, umap-learn defaults otherwise), per seed: fit seconds
(a warm-up fit first, so numba compilation is not counted) and scikit-learn trustworthiness at k = 15 on every point.

Needs: apt-get install -y umap-learn python3-sklearn python3-threadpoolctl
Usage: peer_umap.py DATA.npy SEEDS(comma separated) [--metric euclidean|cosine] [--save DIR]   (--save writes DIR/umap-learn-seedS.npy)
Prints one line per seed: seed, seconds, trustworthiness; then the BLAS threadpoolctl found."""
import os, sys, time
import numpy as np
import umap
from sklearn.manifold import trustworthiness
from threadpoolctl import threadpool_info

x = np.load(sys.argv[1]).astype(np.float32)
seeds = [int(s) for s in sys.argv[2].split(",")]
metric = sys.argv[sys.argv.index("--metric") + 1] if "--metric" in sys.argv else "euclidean"
save = sys.argv[sys.argv.index("--save") + 1] if "--save" in sys.argv else None
umap.UMAP(n_components=2, n_neighbors=15, random_state=0, n_epochs=5).fit_transform(x[:500])
for seed in seeds:
    t = time.perf_counter()
    y = umap.UMAP(n_components=2, n_neighbors=15, metric=metric, random_state=seed).fit_transform(x)
    s = time.perf_counter() - t
    if save:
        np.save(os.path.join(save, f"umap-learn-seed{seed}.npy"), y.astype(np.float32))
    print(f"umap-learn {umap.__version__} seed {seed}: {s:.2f} s  trustworthiness(k=15) {trustworthiness(x, y, n_neighbors=15):.5f}")
print("BLAS:", ", ".join(f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})" for i in threadpool_info()) or "none loaded")
