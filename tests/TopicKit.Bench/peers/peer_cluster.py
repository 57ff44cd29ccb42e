#!/usr/bin/python3
"""Peer timings for the clustering stage, run side by side with TopicKit's benchmarks (a copy of
shared/bench/peer_cluster.py extended to report the BLAS it ran on and to write labels).

Needs Debian packages: apt-get install -y python3-sklearn python3-threadpoolctl libopenblas0-pthread umap-learn r-cran-dbscan
Run it with OPENBLAS_CORETYPE=SkylakeX (AVX-512) or Haswell (AVX2); the bench harness sets it from /proc/cpuinfo.
Usage: peer_cluster.py DATA.npy {kmeans K [N_INIT] | hdbscan MIN_PTS | umap N_COMPONENTS [N_NEIGHBORS]} [--seed S] [--out labels-or-coords.csv]
Prints one JSON line: peer name, version, seconds of the algorithm itself (not Python start-up or file loading),
quality figures, and "blas": the BLAS libraries numpy/scipy loaded (threadpoolctl), as "api arch threads file"."""
import json, os, subprocess, sys, tempfile, time
import numpy as np


def blas():
    try:
        import threadpoolctl
    except ImportError:
        return "unknown (apt-get install -y python3-threadpoolctl)"
    libs = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
    return "; ".join(f"{i['internal_api']} {i.get('version') or ''} {i.get('architecture') or ''} {i['num_threads']} threads {os.path.basename(i['filepath'])}".replace("  ", " ")
                     for i in libs) or "none loaded"


args = sys.argv[1:]
seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 0
out = args[args.index("--out") + 1] if "--out" in args else None
X = np.load(args[0]).astype(np.float32)
algo = args[1]
res = {"algorithm": algo, "n": int(X.shape[0]), "d": int(X.shape[1])}

if algo == "kmeans":
    import sklearn
    from sklearn.cluster import KMeans
    k = int(args[2]); n_init = int(args[3]) if len(args) > 3 and not args[3].startswith("--") else 1
    t = time.perf_counter(); km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(X); s = time.perf_counter() - t
    res.update(peer=f"scikit-learn {sklearn.__version__} KMeans(n_init={n_init})", seconds=s, inertia=float(km.inertia_), iterations=int(km.n_iter_))
    result = km.labels_
elif algo == "hdbscan":
    min_pts = int(args[2])
    with tempfile.TemporaryDirectory() as d:
        np.savetxt(f"{d}/x.csv", X, delimiter=",", fmt="%.9g")
        r = subprocess.run(["Rscript", "-e", f"""
library(dbscan); x <- as.matrix(read.csv('{d}/x.csv', header=FALSE))
t <- system.time(h <- hdbscan(x, minPts={min_pts}))
write.csv(data.frame(label=h$cluster), '{d}/l.csv', row.names=FALSE)
cat(t[['elapsed']], as.character(packageVersion('dbscan')), '\\n')"""], capture_output=True, text=True, check=True)
        secs, ver = r.stdout.split()[-2:]
        result = np.loadtxt(f"{d}/l.csv", skiprows=1, dtype=int)
    res.update(peer=f"R dbscan {ver} hdbscan(minPts={min_pts})", seconds=float(secs), clusters=int(result.max()), noise=int((result == 0).sum()))
elif algo == "umap":
    import umap
    from sklearn.manifold import trustworthiness
    nc = int(args[2]); nn = int(args[3]) if len(args) > 3 and not args[3].startswith("--") else 15
    t = time.perf_counter(); Y = umap.UMAP(n_components=nc, n_neighbors=nn, random_state=seed).fit_transform(X); s = time.perf_counter() - t
    idx = np.random.default_rng(0).choice(len(X), min(len(X), 5000), replace=False)
    res.update(peer=f"umap-learn {umap.__version__} (seeded, so single-threaded)", seconds=s,
               trustworthiness_k15=float(trustworthiness(X[idx], Y[idx], n_neighbors=15)))
    result = Y
else:
    sys.exit("unknown algorithm " + algo)
# R runs outside this process and uses R's own BLAS, so the line only describes Python peers.
res["blas"] = blas() if algo != "hdbscan" else "n/a (R)"
if out:
    np.savetxt(out, result, delimiter=",", fmt="%.6g" if algo == "umap" else "%d")
print(json.dumps(res))
