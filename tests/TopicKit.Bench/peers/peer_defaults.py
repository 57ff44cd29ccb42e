#!/usr/bin/python3
"""The peer chain of the defaults bench: umap-learn to 5-D (cosine, 15 neighbours, min_dist 0, BERTopic's settings),
then R dbscan::hdbscan(minPts=10), per seed, scored against the archive labels with scikit-learn's V-measure.

Needs: apt-get install -y umap-learn r-cran-dbscan python3-sklearn python3-threadpoolctl
Usage: peer_defaults.py VECTORS.npy TRUTH.txt SEEDS(comma separated) [--layouts DIR]
  TRUTH.txt: one integer label per row of VECTORS.npy.
  --layouts DIR: instead of running umap-learn, cluster DIR/*.npy (e.g. TopicKit's own 5-D layouts) with R only.
Prints a Markdown table: seed, clusters, largest share, noise share, V-measure, seconds."""
import glob, os, subprocess, sys, tempfile, time
import numpy as np
from sklearn.metrics import v_measure_score

vectors_path, truth_path, seeds = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")]
layouts = sys.argv[sys.argv.index("--layouts") + 1] if "--layouts" in sys.argv else None
truth = np.loadtxt(truth_path, dtype=int)


def r_hdbscan(y, min_pts=10):
    with tempfile.TemporaryDirectory() as d:
        np.savetxt(f"{d}/y.csv", y, delimiter=",", fmt="%.9g")
        subprocess.run(["Rscript", "-e", f"""
library(dbscan); y <- as.matrix(read.csv('{d}/y.csv', header=FALSE))
h <- hdbscan(y, minPts={min_pts}); write.csv(data.frame(label=h$cluster), '{d}/l.csv', row.names=FALSE)"""],
                       capture_output=True, text=True, check=True)
        return np.loadtxt(f"{d}/l.csv", skiprows=1, dtype=int) - 1  # R: 0 = noise


def row(name, labels, seconds):
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.array([0])
    print(f"| {name} | {int((sizes > 0).sum())} | {sizes.max() / len(labels):.1%} | {(labels < 0).mean():.1%} "
          f"| {v_measure_score(truth, labels):.3f} | {seconds:.1f} |")


print("| peer run | clusters | largest share | noise share | V-measure | seconds |")
print("|---|---:|---:|---:|---:|---:|")
if layouts:
    for path in sorted(glob.glob(os.path.join(layouts, "*.npy"))):
        t = time.perf_counter(); labels = r_hdbscan(np.load(path)); row(f"R hdbscan on {os.path.basename(path)}", labels, time.perf_counter() - t)
    sys.exit(0)

import umap
from threadpoolctl import threadpool_info
x = np.load(vectors_path).astype(np.float32)
for seed in seeds:
    t = time.perf_counter()
    y = umap.UMAP(n_components=5, n_neighbors=15, min_dist=0.0, metric="cosine", random_state=seed).fit_transform(x)
    labels = r_hdbscan(y)
    row(f"umap-learn {umap.__version__} + R hdbscan, seed {seed}", labels, time.perf_counter() - t)
print("BLAS:", ", ".join(f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})" for i in threadpool_info()))
